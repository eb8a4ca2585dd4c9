module github.com/netlua/netlua

go 1.26.0

require (
	github.com/cilium/ebpf v0.19.0
	github.com/florianl/go-nfqueue/v2 v2.0.2
	github.com/florianl/go-tc v0.4.8
	github.com/google/nftables v0.3.0
	github.com/gopacket/gopacket v1.7.7
	github.com/jsimonetti/rtnetlink/v2 v2.0.2
	github.com/mdlayher/netlink v1.11.2
	github.com/yuin/gopher-lua v1.1.2
	golang.org/x/net v0.59.0
	golang.org/x/sys v0.48.0
)

require (
	github.com/BurntSushi/toml v1.4.1-0.20240526193622-a339e1f7089c // indirect
	github.com/google/go-cmp v0.7.0 // indirect
	github.com/josharian/native v1.1.0 // indirect
	github.com/mdlayher/socket v0.7.0 // indirect
	golang.org/x/exp/typeparams v0.0.0-20231108232855-2478ac86f678 // indirect
	golang.org/x/mod v0.41.0 // indirect
	golang.org/x/sync v0.23.0 // indirect
	golang.org/x/tools v0.51.0 // indirect
	honnef.co/go/tools v0.8.2 // indirect
)

replace github.com/yuin/gopher-lua => ./third_party/gopher-lua

tool honnef.co/go/tools/cmd/staticcheck
