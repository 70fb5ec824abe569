package server_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"entgo.io/ent/dialect"

	"provgraph/db/dbtest"
	"provgraph/ent/schema/tenant"
	"provgraph/server"
)

// countingDriver records the SQL statements run through it.
type countingDriver struct {
	dialect.Driver
	log *statementLog
}

type statementLog struct {
	mu   sync.Mutex
	stmt []string
}

func (l *statementLog) add(q string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.stmt = append(l.stmt, q)
}

// reset forgets the statements recorded so far.
func (l *statementLog) reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.stmt = nil
}

// touching returns the statements that name one of tables.
func (l *statementLog) touching(tables ...string) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, s := range l.stmt {
		for _, t := range tables {
			if strings.Contains(s, `"`+t+`"`) || strings.Contains(s, "`"+t+"`") {
				out = append(out, s)
				break
			}
		}
	}
	return out
}

func (d countingDriver) Exec(ctx context.Context, query string, args, v any) error {
	d.log.add(query)
	return d.Driver.Exec(ctx, query, args, v)
}

func (d countingDriver) Query(ctx context.Context, query string, args, v any) error {
	d.log.add(query)
	return d.Driver.Query(ctx, query, args, v)
}

func (d countingDriver) Tx(ctx context.Context) (dialect.Tx, error) {
	tx, err := d.Driver.Tx(ctx)
	if err != nil {
		return nil, err
	}
	return countingTx{Tx: tx, log: d.log}, nil
}

type countingTx struct {
	dialect.Tx
	log *statementLog
}

func (t countingTx) Exec(ctx context.Context, query string, args, v any) error {
	t.log.add(query)
	return t.Tx.Exec(ctx, query, args, v)
}

func (t countingTx) Query(ctx context.Context, query string, args, v any) error {
	t.log.add(query)
	return t.Tx.Query(ctx, query, args, v)
}

// TestPageOfAssetsIsBoundedQueries proves the eager loading of entgql's
// CollectFields: a page of assets with their manifests and collections costs
// the same number of SQL statements for 5 assets as for 20.
func TestPageOfAssetsIsBoundedQueries(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, url string) {
		log := &statementLog{}
		app, srv := newTestServer(t, url, server.WithDriver(func(d dialect.Driver) dialect.Driver {
			return countingDriver{Driver: d, log: log}
		}))
		ctx := context.Background()
		viewer, err := app.Deps.Accounts.Authenticate(ctx, adminKey)
		if err != nil {
			t.Fatal(err)
		}
		ctx = tenant.NewContext(ctx, viewer)
		client := app.Deps.Client
		coll := client.Collection.Create().SetName("shoot").SaveX(ctx)
		for i := range 20 {
			a := client.Asset.Create().
				SetFileName(fmt.Sprintf("a%02d.jpg", i)).
				SetMediaType("image/jpeg").
				SetSize(int64(1000 + i)).
				SetSha256(strings.Repeat(fmt.Sprintf("%x", i%16), 64)).
				SetOriginalBlobKey(fmt.Sprintf("originals/a%02d", i)).
				AddCollections(coll).
				SaveX(ctx)
			for j := range 2 {
				client.Manifest.Create().
					SetAsset(a).
					SetLabel(fmt.Sprintf("urn:c2pa:%d-%d", i, j)).
					SetIsActive(j == 1).
					SaveX(ctx)
			}
		}

		const query = `query($n: Int!) {
			assets(first: $n, orderBy: [{field: FILE_NAME}]) {
				totalCount
				edges { node {
					fileName
					manifests(first: 10) { totalCount edges { node { label isActive } } }
					collections(first: 5) { edges { node { name } } }
				} }
			}
		}`
		counts := map[int]int{}
		for _, n := range []int{5, 20} {
			log.reset()
			var page struct {
				Assets struct {
					TotalCount int
					Edges      []struct {
						Node struct {
							FileName  string
							Manifests struct {
								TotalCount int
								Edges      []struct{ Node struct{ Label string } }
							}
							Collections struct {
								Edges []struct{ Node struct{ Name string } }
							}
						}
					}
				}
			}
			mustData(t, srv, adminKey, query, map[string]any{"n": n}, &page)
			if page.Assets.TotalCount != 20 || len(page.Assets.Edges) != n {
				t.Fatalf("n=%d: totalCount %d, %d edges", n, page.Assets.TotalCount, len(page.Assets.Edges))
			}
			for _, e := range page.Assets.Edges {
				if e.Node.Manifests.TotalCount != 2 || len(e.Node.Manifests.Edges) != 2 || len(e.Node.Collections.Edges) != 1 {
					t.Fatalf("n=%d: asset %s has %+v", n, e.Node.FileName, e.Node)
				}
			}
			counts[n] = len(log.touching("assets", "manifests", "collections", "collection_assets"))
		}
		if counts[5] != counts[20] {
			t.Errorf("statements grow with the page: %d for 5 assets, %d for 20", counts[5], counts[20])
		}
		// Assets page + count, manifests page + count, collections.
		if counts[20] > 6 {
			t.Errorf("%d statements for one page, want at most 6:\n%s", counts[20], strings.Join(log.touching("assets", "manifests", "collections"), "\n"))
		}
		t.Logf("%d SQL statements for a page of 20 assets with manifests and collections", counts[20])
	})
}
