package nftcore

// What the kernel tests (package nftcore_test, outside so that they can
// build labs, which import this package) use of the package's inside.
var (
	MustAdd    = mustAdd
	DelRuleMsg = delRuleMsg
)
