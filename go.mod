module github.com/netlua/netlua

go 1.26.0

require (
	github.com/florianl/go-nfqueue/v2 v2.0.2
	github.com/google/nftables v0.3.0
	github.com/gopacket/gopacket v1.7.7
	github.com/jsimonetti/rtnetlink/v2 v2.0.2
	github.com/mdlayher/netlink v1.11.2
	github.com/yuin/gopher-lua v1.1.2
	golang.org/x/net v0.59.0
	golang.org/x/sys v0.48.0
)

require (
	github.com/google/go-cmp v0.7.0 // indirect
	github.com/mdlayher/socket v0.7.0 // indirect
	golang.org/x/sync v0.23.0 // indirect
)

replace github.com/yuin/gopher-lua => ./third_party/gopher-lua
