local proto = "tcp"
if proto = "udp" then
  print("udp")
end
