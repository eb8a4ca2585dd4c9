// Package pcap reads and writes capture files in the format of libpcap,
// which tcpdump and Wireshark read, on github.com/gopacket/gopacket/pcapgo;
// it also reads pcapng, Wireshark's own format. It is the Lua module
// "pcap".
//
// The Go core knows nothing of Lua: Create makes a Writer, Open a Reader.
// Errors name the file, and for a damaged file the offset of the damage.
// lua.go (the module and its functions), lua_writer.go and lua_reader.go
// (the methods of pcap.writer and pcap.reader) are the thin binding.
package pcap
