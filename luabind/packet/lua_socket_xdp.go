package packet

import (
	"github.com/netlua/netlua/luabind"
)

// Engine is how blast and capture move frames.
type Engine int

// The engines: AF_PACKET sockets (the default) and AF_XDP (see BlastXDP).
const (
	EnginePacket Engine = iota
	EngineXDP
)

// checkEngine reads option engine: "packet" (the default) or "xdp".
func checkEngine(o luabind.Options) Engine {
	switch e := o.String("engine", "packet"); e {
	case "packet":
		return EnginePacket
	case "xdp":
		return EngineXDP
	default:
		o.Error("engine", `is "packet" or "xdp", got "`+e+`"`)
	}
	return EnginePacket
}
