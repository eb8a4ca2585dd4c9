-- a netlua module used without require: in lua5.1 too it is a nil global
local ifname = "veth0"
local s = packet.open(ifname)
