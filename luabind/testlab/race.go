//go:build race

package testlab

// raceBuild is true when the tests run under the race detector: Binary then
// builds netlua with it too, so that go test -race also checks the code that
// runs only in the binary (signals, the REPL, the test runner).
const raceBuild = true
