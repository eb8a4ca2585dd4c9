local ok, err = pcall(function()
  local t = nil
  return t.field
end)
if not ok then
  error(err, 0)
end
