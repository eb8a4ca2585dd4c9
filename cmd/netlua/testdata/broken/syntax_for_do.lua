local sum = 0
for i = 1, 10
  sum = sum + i
end
print(sum)
