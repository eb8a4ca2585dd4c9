local prefix = "if: "
print(prefix .. ifname)
