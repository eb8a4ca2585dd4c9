local co = coroutine.create(function(n)
  local x = coroutine.yield(n + 1)
  return x.value
end)
coroutine.resume(co, 1)
local ok, err = coroutine.resume(co, nil)
error(err, 0)
