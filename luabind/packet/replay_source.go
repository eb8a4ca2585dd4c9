package packet

import (
	"context"
	"io"

	"github.com/netlua/netlua/luabind/pcap"
)

// A source reads the records of a replay: the file once or Loop times,
// up to Limit frames.
type source struct {
	name    string
	r       *pcap.Reader
	passes  int // left to start, after this one; < 0 for no end
	limit   int // frames at most; 0 for no limit
	read    int // records read in all
	inPass  int // records read in this pass
	newPass bool
}

func openSource(ctx context.Context, name string, opt ReplayOptions) (*source, error) {
	r, err := pcap.Open(ctx, name)
	if err != nil {
		return nil, err
	}
	passes := opt.Loop - 1
	if opt.Loop == 0 {
		passes = 0
	}
	return &source{name: name, r: r, passes: passes, limit: opt.Limit}, nil
}

// next returns the next record, its bytes valid until the next call; at
// the end of a pass it opens the file again for the next. io.EOF after
// the last.
func (s *source) next(ctx context.Context) ([]byte, pcap.Record, error) {
	if s.limit > 0 && s.read >= s.limit {
		return nil, pcap.Record{}, io.EOF
	}
	for {
		data, rec, err := s.r.NextShared(ctx)
		if err == nil {
			s.read++
			s.inPass++
			return data, rec, nil
		}
		if err != io.EOF || s.passes == 0 || s.inPass == 0 {
			return nil, pcap.Record{}, err
		}
		if err := s.reopen(ctx); err != nil {
			return nil, pcap.Record{}, err
		}
	}
}

// reopen starts the next pass.
func (s *source) reopen(ctx context.Context) error {
	s.r.Close()
	r, err := pcap.Open(ctx, s.name)
	if err != nil {
		return err
	}
	s.r, s.inPass, s.newPass = r, 0, true
	if s.passes > 0 {
		s.passes--
	}
	return nil
}

func (s *source) close() { s.r.Close() }
