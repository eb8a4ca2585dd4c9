package ethtool

import (
	"errors"
	"fmt"

	"golang.org/x/sys/unix"
)

// channels is struct ethtool_channels.
type channels struct {
	cmd           uint32
	_             [4]uint32 // max_rx, max_tx, max_other, max_combined
	rxCount       uint32
	_             [2]uint32 // tx_count, other_count
	combinedCount uint32
}

// RxQueues is how many queues interface ifname receives on, as `ethtool
// -l` shows them (its rx and combined channels): 1 for a driver that does
// not tell (ETHTOOL_GCHANNELS unsupported).
func RxQueues(ifname string) (int, error) {
	c := channels{cmd: unix.ETHTOOL_GCHANNELS}
	err := ioctl(ifname, &c)
	if errors.Is(err, unix.EOPNOTSUPP) {
		return 1, nil
	}
	if err != nil {
		return 0, fmt.Errorf("ethtool -l %s: %w", ifname, err)
	}
	return max(1, int(c.rxCount+c.combinedCount)), nil
}
