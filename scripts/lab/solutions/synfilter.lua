-- A solution to exercise 4 (scripts/lab/synfilter.lua).
local M = {}

M.expr = "tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn"

return M
