local stats = { sent = 10 }
local rate = stats.sent / stats.elapsed
print(rate)
