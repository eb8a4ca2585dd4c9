package lua

import (
	"fmt"
	"testing"
)

// Patch 26: a table finds its hash keys by scanning them until it has
// more than smallKeys, then through k2i. Both ways must give what the map
// gave: next visits every key once, in insertion order, whatever the size,
// after deletions and re-insertions.
func TestTableKeysBothWays(t *testing.T) {
	for n := 0; n <= 3*smallKeys; n++ {
		L := NewState()
		if err := L.DoString(fmt.Sprintf(`
local n = %d
local t = {}
for i = 1, n do
  if i %% 3 == 0 then t[i + 0.5] = i elseif i %% 3 == 1 then t["k" .. i] = i else t[{}] = i end
end
-- delete every other key while walking, as Lua allows
local seen, count, k, v = {}, 0, next(t)
while k ~= nil do
  assert(not seen[v], "key visited twice: " .. v)
  seen[v] = true
  count = count + 1
  if v %% 2 == 0 then t[k] = nil end
  k, v = next(t, k)
end
assert(count == n, "visited " .. count .. " of " .. n)
local left = 0
for _ in pairs(t) do left = left + 1 end
assert(left == n - math.floor(n / 2), "left " .. left)
-- a key set again keeps its place and is visited once
for i = 1, n, 2 do if i %% 3 == 1 then t["k" .. i] = -i end end
local again = 0
for _ in pairs(t) do again = again + 1 end
assert(again == left, "after setting again " .. again)
`, n)); err != nil {
			t.Fatalf("%d keys: %v", n, err)
		}
		L.Close()
	}
}

// A small table with string keys, as scripts make for every call with
// options, costs the table, its map (and the map's group) and its key
// list: four allocations. It cost 14 before patch 26.
func TestSmallTableAllocs(t *testing.T) {
	L := NewState()
	defer L.Close()
	allocs := func(code string) float64 {
		fn, err := L.LoadString(code)
		if err != nil {
			t.Fatal(err)
		}
		return testing.AllocsPerRun(200, func() {
			L.Push(fn)
			L.Call(0, 1)
			L.Pop(1)
		})
	}
	call := allocs(`return nil`)
	for _, code := range []string{
		`local t = {src = "a", dst = "b", ttl = 64} return t`,
		`local t = {} t.src, t.dst, t.ttl = "a", "b", 64 return t`,
	} {
		if n := allocs(code) - call; n > 4 {
			t.Errorf("%s: %.0f allocations, want 4 at most", code, n)
		}
	}
}
