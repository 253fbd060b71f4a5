//go:build !unix

package sqlite

// freeSpace cannot tell the free space here: a full disk is not named.
func freeSpace(string) (uint64, bool) { return 0, false }
