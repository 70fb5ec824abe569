package server_test

import (
	"fmt"
	"sync"
	"testing"

	"provgraph/db/dbtest"
)

// TestConcurrentMutations runs mutations in parallel: on SQLite they queue
// for the write lock (busy timeout, immediate transactions) instead of
// failing with "database is locked".
func TestConcurrentMutations(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, url string) {
		_, srv := newTestServer(t, url)
		const n = 16
		var wg sync.WaitGroup
		errs := make(chan string, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, err := tryPost(srv, adminKey, createCollection, map[string]any{"input": map[string]any{"name": fmt.Sprintf("c%d", i)}})
				switch {
				case err != nil:
					errs <- err.Error()
				case len(res.Errors) > 0:
					errs <- fmt.Sprint(res.Errors)
				}
			}()
		}
		wg.Wait()
		close(errs)
		for e := range errs {
			t.Error(e)
		}
		var list collectionList
		mustData(t, srv, adminKey, `{ collections { totalCount } }`, nil, &list)
		if list.Collections.TotalCount != n {
			t.Errorf("totalCount = %d, want %d", list.Collections.TotalCount, n)
		}
	})
}
