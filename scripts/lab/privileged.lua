-- privileged: skips a test whose lab needs a program with capabilities
-- (ip link add for a bridge, dnsmasq) when programs run without them, as
-- they do when netlua runs under setcap: the kernel gives file
-- capabilities to the file, not to the children host:exec starts.
--
--   require("privileged")(t, host, "dnsmasq")
return function(t, host, what)
  local out = host:exec{ "grep", "CapEff", "/proc/self/status" }
  if out:match("CapEff:%s*0+%s*$") then
    t:skip(what .. " runs as a program, which gets no capabilities when netlua runs under setcap: run this test as root")
  end
end
