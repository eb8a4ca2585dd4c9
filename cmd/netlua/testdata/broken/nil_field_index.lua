local config = { opts = nil }
local port = 80
if config.opts.port then port = config.opts.port end
