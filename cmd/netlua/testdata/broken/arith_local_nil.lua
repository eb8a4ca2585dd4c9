local total
for _, v in ipairs({1, 2, 3}) do
  total = total + v
end
