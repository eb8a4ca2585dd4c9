local name = "eth0"
print("opening " .. name
print("opened")
