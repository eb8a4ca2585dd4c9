//go:build !race

package testlab

// raceBuild is false: the tests run without the race detector (see race.go).
const raceBuild = false
