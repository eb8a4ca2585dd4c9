package nft

import _ "github.com/netlua/netlua/luabind/loop" // the scripts of the tests use now()
