// Package nft is the Lua module "nft": nftables rules that drop, accept,
// reject or count the packets a few matches select, in a table of
// netlua's own that the kernel removes when netlua ends.
//
// lua.go (the module and its functions) and lua_rule.go (the type
// nft.rule) are the thin binding. The rules themselves are made by the
// Lua-free core, luabind/internal/nftcore (see there for the table's
// owner flag and the kernel messages); the match options and the
// runtime's tables, which the nfqueue module shares, are
// luabind/internal/nftbind.
package nft
