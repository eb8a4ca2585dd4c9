package packet

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/netlua/netlua/luabind/pcap"
)

// preloadMax is the most frame bytes a top-speed replay reads into
// memory before it sends, as tcpreplay --preload-pcap does: reading
// records as it sends costs a third of the rate (measured on a veth
// pair), so a file that fits is read first, and its frames are rewritten
// once. A bigger file is read as it is sent.
const preloadMax = 256 << 20

// A preload is the frames of a capture in memory, rewritten.
type preload struct {
	data []byte
	ends []int // where each frame ends in data
	skip int   // frames too big to send, counted as errors each pass
}

// loadFile reads up to limit frames (0: all) of file into memory, if the
// file is regular and its frames fit in preloadMax; ok is false when not.
func (p *replayer) loadFile(ctx context.Context, file string, limit int) (l *preload, ok bool, err error) {
	st, err := os.Stat(file)
	if err != nil || !st.Mode().IsRegular() || st.Size() > preloadMax {
		return nil, false, nil
	}
	r, err := pcap.Open(ctx, file)
	if err != nil {
		return nil, false, err
	}
	defer r.Close()
	l = &preload{data: make([]byte, 0, st.Size())}
	room := len(p.slots[0])
	for n := 0; limit == 0 || n < limit; n++ {
		data, rec, err := r.NextShared(ctx)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, false, err
		}
		if rec.LinkType != pcap.LinkEthernet {
			return nil, false, fmt.Errorf("%s: record %d is of link type %d: replay sends Ethernet frames", file, n+1, rec.LinkType)
		}
		if len(data) > room {
			l.skip++
			continue
		}
		l.data = append(l.data, data...)
		if p.opt.Rewrite != nil {
			p.opt.Rewrite.Frame(l.data[len(l.data)-len(data):])
		}
		l.ends = append(l.ends, len(l.data))
	}
	return l, true, nil
}

// runLoaded sends the preloaded frames, pass after pass, in batches,
// until Loop passes, Limit frames, or the end of ctx.
func (p *replayer) runLoaded(ctx context.Context, l *preload) error {
	if len(l.ends) == 0 {
		p.errors.Add(int64(l.skip))
		return nil
	}
	left := p.opt.Limit
	for pass := 0; p.opt.Loop < 0 || pass < max(p.opt.Loop, 1); pass++ {
		p.errors.Add(int64(l.skip))
		start := 0
		for i, end := range l.ends {
			if left > 0 && p.done() >= left {
				return p.flush(ctx)
			}
			if p.start.IsZero() {
				p.start = time.Now()
			}
			f := l.data[start:end]
			start = end
			p.batch.Set(p.n, f)
			p.lens[p.n] = len(f)
			if p.n++; p.n == len(p.slots) || i == len(l.ends)-1 || (left > 0 && p.done()+p.n >= left) {
				if err := p.flush(ctx); err != nil {
					return p.stopped(ctx, err)
				}
				if ctx.Err() != nil {
					return nil
				}
			}
		}
	}
	return nil
}

// done is how many frames were handed to the kernel so far.
func (p *replayer) done() int { return int(p.sent.Load() + p.errors.Load()) }
