local ports = {
  22, 80,
  443
print(#ports)
