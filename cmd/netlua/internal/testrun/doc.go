// Package testrun is `netlua test` (Main): it finds the *_test.lua files
// under the paths given, runs each test in a fresh Lua state with a
// timeout, and writes the results as text, TAP or JUnit XML.
package testrun
