local count = 5
for i = 1, 3 do
  count = count + i
end
print(count.total)
