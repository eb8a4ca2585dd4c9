-- Many quick tests, so that a run lasts longer than a reader reading one
-- line of the report.
for i = 1, 500 do
  test("quick " .. i, function(t) t:eq(i, i) end)
end
