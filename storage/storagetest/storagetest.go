// Package storagetest gives a test a blob store of its own: a folder in the
// test's temporary directory, closed when the test ends. Imported by tests
// only.
package storagetest

import (
	"context"
	"testing"

	"provgraph/storage"
)

// Open returns a folder-backed Store under t.TempDir().
func Open(t testing.TB) *storage.Store {
	t.Helper()
	s, err := storage.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
