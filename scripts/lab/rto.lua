-- Exercise 17: retransmission timing, the RTO doubling.
--
-- Goal: watch the kernel retransmit a segment nobody acknowledges, and
-- measure its retransmission timeout (RTO, RFC 6298) backing off. The test
-- gives you tt, a tcptest pair (`netlua doc tcptest`) whose kernel (tt.host)
-- has just sent 100 bytes, seq 1 (relative), to the remote, which never
-- acknowledges them. Write
--
--   gaps(tt, sent, n) expect the kernel's next n retransmissions of that
--                     segment and return a list of n numbers: the seconds
--                     from each transmission to the next one, measured on
--                     the wire (the .time of the segments tt:expect
--                     returns). sent is the first transmission, the
--                     segment the test already expected.
--   predict(rto, n)   the n gaps RFC 6298 predicts when the first RTO is
--                     rto seconds and every timeout doubles it.
--
-- The test compares your gaps with your prediction from tcp_info's rto
-- (the kernel's own RTO, in microseconds, before the first loss), and then
-- tcp_info's backoff and rto after the n retransmissions with both.
--
-- Hints:
--   * tt:expect checks a segment's time too: it must come `at` seconds
--     after the event before (default 0), within `tolerance`. To measure
--     instead, allow it all (tolerance = 5) and wait long enough for a
--     backed-off RTO (timeout = 5).
--   * The first gap is from the original transmission, sent.time.
--   * The test turns off the tail loss probe (tcp_early_retrans = 0), a
--     retransmission Linux sends before the RTO, and lowers the RTO's floor
--     to 0.1 s (tcp_rto_min_us), so three retransmissions take 0.7 s.
--
-- Check your work:   sudo netlua test scripts/lab/rto_test.lua
-- A solution:        scripts/lab/solutions/rto.lua
local M = {}

function M.gaps(tt, sent, n)
  error("exercise 17: write gaps") -- your code here
end

function M.predict(rto, n)
  error("exercise 17: write predict") -- your code here
end

return M
