package server_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"provgraph/config"
	"provgraph/db/dbtest"
)

func TestLimits(t *testing.T) {
	_, srv := newTestServerWith(t, dbtest.SQLiteURL(t), func(c *config.Config) {
		c.MaxComplexity = 10
		c.MaxQueryDepth = 4
		c.MaxUploadBytes = 2048
	})
	tests := []struct {
		name     string
		query    string
		wantCode string
	}{
		{"within limits", `{ viewer { id name } }`, ""},
		{"small page", `{ collections(first: 2) { edges { node { id } } } }`, ""},
		{"large page", `{ collections(first: 50) { edges { node { id } } } }`, "COMPLEXITY_LIMIT_EXCEEDED"},
		{"large page by variable", `query($n: Int) { collections(first: $n) { edges { node { id } } } }`, "COMPLEXITY_LIMIT_EXCEEDED"},
		{"unbounded page", `{ collections { edges { node { id } } } }`, "COMPLEXITY_LIMIT_EXCEEDED"},
		{"too complex", `{ collections(first: 10) { totalCount edges { cursor node { id name description createdAt updatedAt } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`, "COMPLEXITY_LIMIT_EXCEEDED"},
		{"too deep", `{ assets(first: 1) { edges { node { collections(first: 1) { totalCount } } } } }`, "INVALID_INPUT"},
		{"fragments count", `query { assets(first: 1) { ...E } } fragment E on AssetConnection { edges { node { collections(first: 1) { totalCount } } } }`, "INVALID_INPUT"},
		{"introspection is not counted", `{ __schema { types { name fields { name type { name ofType { name ofType { name } } } } } } }`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := post(t, srv, adminKey, tt.query, map[string]any{"n": 50})
			if got := res.code(); got != tt.wantCode {
				t.Errorf("code = %q, want %q (errors %+v)", got, tt.wantCode, res.Errors)
			}
		})
	}

	t.Run("rate limited", func(t *testing.T) {
		_, srv := newTestServerWith(t, dbtest.SQLiteURL(t), func(c *config.Config) {
			c.RateLimit = 0.001 // one token per 1000 s: none comes back during the test
			c.RateBurst = 3
		})
		var codes []string
		for range 4 {
			codes = append(codes, post(t, srv, adminKey, `{ viewer { id } }`, nil).code())
		}
		if want := []string{"", "", "", "RATE_LIMITED"}; !slices.Equal(codes, want) {
			t.Errorf("codes = %q, want %q", codes, want)
		}
	})

	t.Run("body too large", func(t *testing.T) {
		big := `{"query":"{ viewer { id } }","variables":{"pad":"` + strings.Repeat("x", 4096) + `"}}`
		req, err := http.NewRequest(http.MethodPost, srv.URL+"/graphql", strings.NewReader(big))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+adminKey)
		res, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode == http.StatusOK {
			t.Errorf("a body over the limit was accepted: %s", res.Status)
		}
	})
}
