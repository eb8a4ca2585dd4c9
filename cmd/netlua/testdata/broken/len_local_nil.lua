local function count(list)
  return #list
end
print(count())
