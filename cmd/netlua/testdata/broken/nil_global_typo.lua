local ifname = "veth0"
local s = pakcet.open(ifname)
s:send("hello")
