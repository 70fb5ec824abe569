package server_test

import (
	"slices"
	"testing"

	"provgraph/db/dbtest"
)

type collectionPage struct {
	Collections struct {
		TotalCount int
		PageInfo   struct {
			HasNextPage bool
			EndCursor   *string
		}
		Edges []struct{ Node struct{ Name string } }
	}
}

func TestCollectionsPaginationOrderAndFilter(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, url string) {
		_, srv := newTestServer(t, url)
		for _, name := range []string{"beta", "alpha", "delta", "gamma", "omega"} {
			mustData(t, srv, adminKey, createCollection, map[string]any{"input": map[string]any{"name": name}}, &struct{}{})
		}
		const query = `query($first: Int, $after: Cursor, $order: [CollectionOrder!], $where: CollectionWhereInput) {
			collections(first: $first, after: $after, orderBy: $order, where: $where) {
				totalCount
				pageInfo { hasNextPage endCursor }
				edges { node { name } }
			}
		}`
		names := func(p collectionPage) []string {
			var out []string
			for _, e := range p.Collections.Edges {
				out = append(out, e.Node.Name)
			}
			return out
		}

		tests := []struct {
			name  string
			vars  map[string]any
			want  []string
			total int
		}{
			{"by name", map[string]any{"order": []any{map[string]any{"field": "NAME"}}}, []string{"alpha", "beta", "delta", "gamma", "omega"}, 5},
			{"by name, descending", map[string]any{"order": []any{map[string]any{"field": "NAME", "direction": "DESC"}}}, []string{"omega", "gamma", "delta", "beta", "alpha"}, 5},
			{"filtered", map[string]any{"order": []any{map[string]any{"field": "NAME"}}, "where": map[string]any{"nameContains": "ta"}}, []string{"beta", "delta"}, 2},
			{"filter combinators", map[string]any{"order": []any{map[string]any{"field": "NAME"}}, "where": map[string]any{"or": []any{map[string]any{"name": "alpha"}, map[string]any{"nameHasPrefix": "om"}}}}, []string{"alpha", "omega"}, 2},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				var p collectionPage
				mustData(t, srv, adminKey, query, tt.vars, &p)
				if got := names(p); !slices.Equal(got, tt.want) || p.Collections.TotalCount != tt.total {
					t.Errorf("got %v (total %d), want %v (total %d)", got, p.Collections.TotalCount, tt.want, tt.total)
				}
			})
		}

		// Walk the list two at a time by cursor.
		var walked []string
		vars := map[string]any{"first": 2, "order": []any{map[string]any{"field": "NAME"}}}
		for range 5 {
			var p collectionPage
			mustData(t, srv, adminKey, query, vars, &p)
			walked = append(walked, names(p)...)
			if !p.Collections.PageInfo.HasNextPage {
				break
			}
			vars["after"] = *p.Collections.PageInfo.EndCursor
		}
		if want := []string{"alpha", "beta", "delta", "gamma", "omega"}; !slices.Equal(walked, want) {
			t.Errorf("pages walked %v, want %v", walked, want)
		}
	})
}
