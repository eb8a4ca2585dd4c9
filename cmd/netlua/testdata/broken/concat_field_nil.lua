local pkt = { src = "198.18.0.1" }
print("from " .. pkt.src .. " to " .. pkt.dst)
