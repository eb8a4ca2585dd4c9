// Command tcpecho is the Go side of scripts/bench/sock_echo.lua: the same
// echo server and ping-pong client, written with Go's net package, which
// bench/compare.lua runs in the same lab namespaces (it starts the
// process inside them) to set sock's round trips beside Go's.
//
//	tcpecho server tcp|udp PORT
//	tcpecho client tcp|udp HOST PORT COUNT
//
// The client sends a 64-byte message and waits for it to come back, COUNT
// times or for 10 seconds, whichever ends first, and prints
// "N round trips in S s: R pps".
package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"time"
)

// limit bounds a client's run in time, as sock_echo.lua does.
const limit = 10 * time.Second

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "tcpecho:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	switch {
	case len(args) == 3 && args[0] == "server":
		return serve(args[1], args[2])
	case len(args) == 5 && args[0] == "client":
		count, err := strconv.Atoi(args[4])
		if err != nil {
			return err
		}
		return client(args[1], net.JoinHostPort(args[2], args[3]), count)
	}
	return errors.New("usage: tcpecho server tcp|udp PORT | client tcp|udp HOST PORT COUNT")
}

// serve echoes what comes to port: TCP connections one after the other,
// or UDP datagrams back to their senders.
func serve(proto, port string) error {
	if proto == "udp" {
		c, err := net.ListenPacket("udp", ":"+port)
		if err != nil {
			return err
		}
		fmt.Println("listening")
		buf := make([]byte, 65536)
		for {
			n, from, err := c.ReadFrom(buf)
			if err != nil {
				return err
			}
			c.WriteTo(buf[:n], from)
		}
	}
	l, err := net.Listen("tcp", ":"+port)
	if err != nil {
		return err
	}
	fmt.Println("listening")
	for {
		c, err := l.Accept()
		if err != nil {
			return err
		}
		io.Copy(c, c)
		c.Close()
	}
}

// client runs the ping-pong and prints its rate.
func client(proto, addr string, count int) error {
	c, err := net.Dial(proto, addr)
	if err != nil {
		return err
	}
	defer c.Close()
	msg := bytes.Repeat([]byte("x"), 64)
	buf := make([]byte, 64)
	start := time.Now()
	n := 0
	for ; n < count && time.Since(start) < limit; n++ {
		if _, err := c.Write(msg); err != nil {
			return err
		}
		if proto == "udp" {
			c.SetReadDeadline(time.Now().Add(time.Second))
			_, err = c.Read(buf)
		} else {
			_, err = io.ReadFull(c, buf)
		}
		if err != nil {
			return err
		}
	}
	elapsed := time.Since(start).Seconds()
	fmt.Printf("%d round trips in %.3f s: %.0f pps\n", n, elapsed, float64(n)/elapsed)
	return nil
}
