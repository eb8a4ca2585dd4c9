local sock = {}
function sock:send(data) return #data end
sock:sned("payload")
