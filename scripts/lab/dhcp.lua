-- Exercise 10: a DHCP handshake by hand.
--
-- Goal: write lease(e [, want]), which gets an IPv4 address for e's
-- interface from the DHCP server on its link, as a DHCP client does, and
-- returns it (nil and a reason when the server says no or says nothing
-- within 3 seconds). want, when given, is the address to ask for. Speak
-- DHCP yourself, over a packet socket: the kernel has no address for you
-- to send from, nor any idea what DHCP is.
--
-- The handshake (RFC 2131), all from UDP port 68 to 67 and back:
--   DISCOVER  client, broadcast: "any server? I am chaddr"
--   OFFER     server: "take yiaddr", with its server_id
--   REQUEST   client, broadcast: "I take requested_addr from server_id"
--   ACK       server: "it is yours for lease_time seconds" (or a NAK)
-- All four carry the client's xid, so each side knows which answer goes
-- with which question. The server is dnsmasq in the other lab host; the
-- test reads its leases file to see what it gave you.
--
-- Hints:
--   * packet.open(e.ifname, { netns = e, filter = "udp port 68" }).
--   * frame.ether{ src = e.mac } (the broadcast dst is the default),
--     frame.ipv4{ src = "0.0.0.0", dst = "255.255.255.255" },
--     frame.udp{ sport = 68, dport = 67 }, frame.bootp{ xid =, chaddr =,
--     flags = 0x8000 (answer by broadcast) }, frame.dhcp{ options = {
--     {"message-type", "discover"}, ..., "end" } }.
--   * chaddr is the MAC as 6 bytes, not text: "\2\0\198\18\0\1".
--   * An answer's options come back as a list in the same form:
--     p.dhcp.options[1] is { "message-type", "offer" }; yiaddr is in
--     p.bootp.
--
-- Check your work:   sudo netlua test scripts/lab/dhcp_test.lua
-- A solution:        scripts/lab/solutions/dhcp.lua
local packet, frame = require "packet", require "frame"

local M = {}

function M.lease(e, want)
  error("exercise 10: write lease") -- your code here
end

return M
