package testlab

import (
	"path/filepath"

	"golang.org/x/sys/unix"

	"github.com/netlua/netlua/luabind/internal/netns"
)

// PinPath is where a namespace pinned as name lives: under /run/netns,
// where `ip netns` looks.
func PinPath(name string) string { return filepath.Join(netns.RunDir, name) }

// IsPinned reports whether PinPath(name) is a network namespace's bind
// mount now, not merely a file of that name.
func IsPinned(name string) bool {
	var st unix.Statfs_t
	return unix.Statfs(PinPath(name), &st) == nil && st.Type == unix.NSFS_MAGIC
}
