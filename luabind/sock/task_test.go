package sock

import (
	"regexp"
	"testing"
)

// A blocking accept in a task parks while the main thread connects and
// sends: the kernel completes the handshake, the task goes on when the
// connection is there and its results come back through task:wait.
func TestTaskAcceptWhileMainConnects(t *testing.T) {
	out := pairLua(t, `
		local sock = require "sock"
		local l = sock.tcp{ netns = B, timeout = 5 }
		l:bind(BIP, 8080)
		l:listen()
		local task = sock.go(function(greeting)
			local c, ip = l:accept()
			local got = c:recv()
			c:send(greeting .. got)
			return ip, got
		end, "hello ")
		print("parked", task.done, task.finished_at)
		local c = sock.tcp{ netns = A, timeout = 5 }
		c:connect(BIP, 8080)
		c:send("world")
		local ip, got = task:wait(5)
		print(ip == AIP, got, task.done, type(task.finished_at))
		print(c:recv())
	`)
	want := "parked\tfalse\tnil\ntrue\tworld\ttrue\tnumber\nhello world\n"
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

// Two tasks talk over IPv6 while the main thread only waits: each parks
// in turn (connect, accept, recv) and a send bigger than the socket
// buffers parks and goes on where it stopped, so that every byte arrives
// once and in order.
func TestTasksTalk(t *testing.T) {
	out := pairLua(t, `
		local sock = require "sock"
		local l = sock.tcp{ netns = B, timeout = 10 }
		l:bind(BIP6, 9000)
		l:listen()
		local N = 8 * 1024 * 1024
		local block = {}
		for i = 0, 255 do block[#block + 1] = string.char(i) end
		block = table.concat(block)
		local data = block:rep(N / 256)
		local server = sock.go(function()
			local c = l:accept()
			local n, sum = 0, 0
			while true do
				local d = c:recv()
				if not d then break end
				-- every byte is its offset mod 256: one lost or repeated shows
				for i = 1, #d, 4099 do sum = sum + (d:byte(i) == (n + i - 1) % 256 and 0 or 1) end
				n = n + #d
			end
			return n, sum
		end)
		local client = sock.go(function()
			local c = sock.tcp{ netns = A, timeout = 10 }
			c:connect(BIP6, 9000)
			local n = c:send(data)
			c:close()
			return n
		end)
		print(client:wait(20), server:wait(20))
	`)
	if want := "8388608\t8388608\t0\n"; out != want {
		t.Errorf("got %q, want %q", out, want)
	}
}

// A parked call's timeout and the errors of a task: task:wait re-raises
// them with the coroutine's traceback; a timeout of task:wait itself; a
// plain coroutine.yield in a task goes on at the loop's next turn.
func TestTaskErrors(t *testing.T) {
	out := pairLua(t, `
		local sock = require "sock"
		local u = sock.udp{ netns = A }
		u:bind(AIP, 0)
		local function inner() return u:recvfrom(100, 0.1) end
		local t1 = sock.go(function() inner() end)
		local ok, err = pcall(t1.wait, t1)
		print(ok, err)
		local t2 = sock.go(function() u:recvfrom() end)
		print(pcall(t2.wait, t2, 0.05))
		print(t2.done)
		u:close()
		print(pcall(t2.wait, t2, 1))
		local t3 = sock.go(function() coroutine.yield() return "after yield" end)
		print(t3.done, t3:wait(1))
	`)
	out = regexp.MustCompile(`<string>:\d+`).ReplaceAllString(out, "<string>:N")
	want := "false\t<string>:N: sock.recvfrom: timed out after 0.1 s (EAGAIN)\n" +
		"stack traceback:\n\t<string>:N: in function 'inner'\n\t<string>:N: in function <<string>:N>\n" +
		"false\t<string>:N: sock.task:wait: timed out after 0.05 s\n" +
		"false\n" +
		"false\t<string>:N: sock.recvfrom: the socket is closed\nstack traceback:\n\t<string>:N: in function <<string>:N>\n" +
		"false\tafter yield\n"
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

// A nonblock connect returns at once; on("writable") says when the
// handshake is done, on("readable") when data comes; cancel stops them
// and the script ends.
func TestNonblockOn(t *testing.T) {
	out := pairLua(t, `
		local sock = require "sock"
		local l = sock.tcp{ netns = B }
		l:bind("*", 7070)
		l:listen()
		local c = sock.tcp{ netns = A, nonblock = true }
		print(c:connect(BIP, 7070))
		local w
		w = c:on("writable", function(s)
			print("writable", s:peer_addr() == BIP, w.active)
			w:cancel()
			print(w.active)
		end)
		local la
		la = l:on("readable", function()
			local s = l:accept()
			s:send("data")
			la:cancel()
		end)
		local r
		r = c:on("readable", function(s)
			print("readable", s:recv())
			r:cancel()
		end)
	`)
	want := "\nwritable\ttrue\ttrue\nfalse\nreadable\tdata\n"
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}
