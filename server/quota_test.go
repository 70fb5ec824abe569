package server_test

import (
	"context"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"provgraph/config"
	"provgraph/db/dbtest"
	"provgraph/ent/schema/tenant"
	"provgraph/quota"
	"provgraph/server"
)

// newQuotaServer serves the services of app again, with d.Quota counting
// requestsPerMinute per API key at the instant now, and returns the
// server with a second key of the admin account.
func newQuotaServer(t *testing.T, app *server.App, requestsPerMinute int, now time.Time) (srv *httptest.Server, otherKey string) {
	t.Helper()
	ctx := context.Background()
	d := app.Deps
	d.Quota = quota.NewService(d.Client, quota.Options{
		KeyRequestsPerMinute: requestsPerMinute,
		Now:                  func() time.Time { return now },
	})
	cfg := config.Default()
	srv = httptest.NewServer(server.New(d, server.Options{
		MaxUploadBytes: cfg.MaxUploadBytes,
		MaxQueryDepth:  cfg.MaxQueryDepth,
		MaxComplexity:  cfg.MaxComplexity,
	}))
	t.Cleanup(srv.Close)
	admin, err := d.Accounts.Authenticate(ctx, adminKey)
	if err != nil {
		t.Fatal(err)
	}
	_, otherKey, err = d.Accounts.CreateKeyFor(ctx, admin.AccountID, "second", tenant.AllScopes(), "")
	if err != nil {
		t.Fatal(err)
	}
	return srv, otherKey
}

// TestQuotaRateLimit checks the per-minute count every instance shares: an
// operation beyond it is refused with RATE_LIMITED and retryAfter, per
// key, until the minute ends.
func TestQuotaRateLimit(t *testing.T) {
	const viewer = `{ viewer { id } }`
	dbtest.Run(t, func(t *testing.T, url string) {
		app, _ := newTestServer(t, url)
		// 15:09:30 UTC: the minute resets in 30 seconds.
		now := time.Date(2026, 3, 14, 15, 9, 30, 0, time.UTC)
		srv, otherKey := newQuotaServer(t, app, 3, now)
		// A second instance on the same database shares the counts.
		other, _ := newQuotaServer(t, app, 3, now)
		tests := []struct {
			name       string
			srv        *httptest.Server
			key        string
			query      string
			wantCode   string
			retryAfter float64
		}{
			{"first", srv, adminKey, viewer, "", 0},
			{"second", srv, adminKey, viewer, "", 0},
			{"third, on another instance", other, adminKey, viewer, "", 0},
			{"fourth is refused", srv, adminKey, viewer, "RATE_LIMITED", 30},
			{"and on the other instance", other, adminKey, viewer, "RATE_LIMITED", 30},
			{"mutations too", srv, adminKey, createCollection, "RATE_LIMITED", 30},
			{"another key counts apart", srv, otherKey, viewer, "", 0},
			{"introspection needs no key and is not counted", srv, "", `{ __schema { queryType { name } } }`, "", 0},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				res := post(t, tt.srv, tt.key, tt.query, map[string]any{"input": map[string]any{"name": "c"}})
				if got := res.code(); got != tt.wantCode {
					t.Fatalf("code = %q, want %q (errors %+v)", got, tt.wantCode, res.Errors)
				}
				if tt.wantCode == "" {
					return
				}
				if got, _ := res.Errors[0].Extensions["retryAfter"].(float64); got != tt.retryAfter {
					t.Errorf("extensions.retryAfter = %v, want %v", res.Errors[0].Extensions["retryAfter"], tt.retryAfter)
				}
				if res.Errors[0].Message == "" || res.Data != nil && string(res.Data) != "null" {
					t.Errorf("refusal %+v with data %s, want a message and no data", res.Errors[0], res.Data)
				}
			})
		}
	})
}

// TestRateLimitBurstRetryAfter checks that a refusal by the in-memory
// bucket says when to retry too.
func TestRateLimitBurstRetryAfter(t *testing.T) {
	_, srv := newTestServerWith(t, dbtest.SQLiteURL(t), func(c *config.Config) {
		c.RateLimit = 0.1 // a token every 10 s
		c.RateBurst = 1
	})
	var codes []string
	var retryAfter any
	for range 2 {
		res := post(t, srv, adminKey, `{ viewer { id } }`, nil)
		codes = append(codes, res.code())
		if len(res.Errors) > 0 {
			retryAfter = res.Errors[0].Extensions["retryAfter"]
		}
	}
	if want := []string{"", "RATE_LIMITED"}; !slices.Equal(codes, want) {
		t.Fatalf("codes = %q, want %q", codes, want)
	}
	if retryAfter != float64(10) {
		t.Errorf("extensions.retryAfter = %v, want 10", retryAfter)
	}
}
