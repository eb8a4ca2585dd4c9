local hosts = { { name = "a" }, { name = "b" }, {} }
table.sort(hosts, function(x, y)
  return x.name < y.name
end)
