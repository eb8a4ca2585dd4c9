package loop

import (
	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
)

func init() {
	timerType.Methods = []luabind.Func{
		{Name: "cancel", Sig: "timer:cancel()", Doc: "stops the timer; safe to call twice or from its own callback", Fn: timerCancel},
	}
}

var timerType = &luabind.Type{
	Name: "loop.timer",
	Doc:  "a pending after or every callback",
	// Methods are set in init: cancel refers to timerType.
	Fields: []luabind.Field{
		{Name: "pending", Type: "boolean", Doc: "true while the timer will still fire"},
	},
	Get: func(L *lua.LState, v any, key string) lua.LValue {
		if key == "pending" {
			return lua.LBool(v.(*luabind.Timer).Pending())
		}
		return lua.LNil
	},
}

// timerCancel implements timer:cancel().
func timerCancel(L *lua.LState) int {
	luabind.CheckObject[*luabind.Timer](L, 1, timerType).Cancel()
	return 0
}
