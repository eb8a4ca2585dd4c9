local opts
opts.timeout = 5
