local opts = { count = nil }
for i = 1, opts.count do
  print(i)
end
