local name = "eth0"
print(name:upr())
