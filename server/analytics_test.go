package server_test

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"provgraph/analytics/analyticstest"
	"provgraph/db/dbtest"
	"provgraph/ent/account"
	"provgraph/ent/schema/tenant"
)

// analyticsCaller is an account of the analytics tests with a key.
type analyticsCaller struct {
	ctx context.Context
	key string
}

// newAnalyticsServer serves the graph of analyticstest in accounts A and
// B, and returns their keys (all scopes) and a key of A with scope scan
// only.
func newAnalyticsServer(t *testing.T, url string) (srv *httptest.Server, a, b analyticsCaller, scanOnly string, g analyticstest.Graph) {
	t.Helper()
	app, srv := newTestServer(t, url)
	ctx := context.Background()
	caller := func(name string, scopes ...tenant.Scope) (analyticsCaller, int) {
		acc, err := app.Deps.Accounts.CreateAccount(ctx, name, account.PlanStarter)
		if err != nil {
			t.Fatal(err)
		}
		_, key, err := app.Deps.Accounts.CreateKeyFor(ctx, acc.ID, name, scopes, "")
		if err != nil {
			t.Fatal(err)
		}
		return analyticsCaller{tenant.NewContext(ctx, tenant.Viewer{AccountID: acc.ID, Scopes: scopes}), key}, acc.ID
	}
	a, aID := caller("a", tenant.ScopeAdmin)
	b, _ = caller("b", tenant.ScopeJobsRead)
	_, scanOnly, err := app.Deps.Accounts.CreateKeyFor(ctx, aID, "scan only", []tenant.Scope{tenant.ScopeScan}, "")
	if err != nil {
		t.Fatal(err)
	}
	g = analyticstest.Seed(t, analyticstest.Services{
		DB: app.Deps.DB, Client: app.Deps.Client, Assets: app.Deps.Assets,
		Signing: app.Deps.Signing, Verifications: app.Deps.Verifications,
	}, a.ctx, b.ctx)
	return srv, a, b, scanOnly, g
}

const analyticsQuery = `query($from: Time, $to: Time, $tz: String, $col: ID) {
  analytics(from: $from, to: $to, timeZone: $tz, collectionId: $col) {
    assets { total bytes byMediaType { key count } }
    scansByVerdict { key count }
    scansByAiModel { key count }
    verificationsByTier { key count }
    signsByPurpose { key count }
    signsByModificationType { key count }
    jobs { byStatus { key count } durationP50Ms durationP95Ms itemsPerSecond }
    webhooks { deliveries successRate p95LatencyMs }
    series(metric: ASSETS, interval: DAY) { bucket count }
  }
}`

type analyticsData struct {
	Analytics struct {
		Assets struct {
			Total       int `json:"total"`
			Bytes       int64
			ByMediaType []keyCount `json:"byMediaType"`
		} `json:"assets"`
		ScansByVerdict          []keyCount `json:"scansByVerdict"`
		ScansByAIModel          []keyCount `json:"scansByAiModel"`
		VerificationsByTier     []keyCount `json:"verificationsByTier"`
		SignsByPurpose          []keyCount `json:"signsByPurpose"`
		SignsByModificationType []keyCount `json:"signsByModificationType"`
		Jobs                    struct {
			ByStatus       []keyCount `json:"byStatus"`
			DurationP50Ms  *float64   `json:"durationP50Ms"`
			DurationP95Ms  *float64   `json:"durationP95Ms"`
			ItemsPerSecond *float64   `json:"itemsPerSecond"`
		} `json:"jobs"`
		Webhooks struct {
			Deliveries   int      `json:"deliveries"`
			SuccessRate  *float64 `json:"successRate"`
			P95LatencyMs *float64 `json:"p95LatencyMs"`
		} `json:"webhooks"`
		Series []struct {
			Bucket string `json:"bucket"`
			Count  int    `json:"count"`
		} `json:"series"`
	} `json:"analytics"`
}

type keyCount struct {
	Key   string `json:"key"`
	Count int    `json:"count"`
}

func TestAnalyticsQuery(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, url string) {
		srv, a, b, scanOnly, g := newAnalyticsServer(t, url)
		vars := map[string]any{"from": "2026-01-01T00:00:00Z", "to": "2026-02-02T00:00:00Z", "tz": "America/New_York"}

		var got analyticsData
		mustData(t, srv, a.key, analyticsQuery, vars, &got)
		an := got.Analytics
		if an.Assets.Total != 9 || an.Assets.Bytes != 2800+g.ServiceBytes || len(an.Assets.ByMediaType) != 3 ||
			an.Assets.ByMediaType[0] != (keyCount{"image/jpeg", 5}) {
			t.Errorf("assets: %+v", an.Assets)
		}
		if len(an.ScansByVerdict) != 3 || an.ScansByVerdict[0] != (keyCount{"NO_AI_MARKING", 5}) ||
			len(an.ScansByAIModel) != 3 || len(an.VerificationsByTier) != 5 || len(an.SignsByPurpose) != 3 ||
			an.SignsByModificationType[0] != (keyCount{"MINOR_EDIT", 2}) {
			t.Errorf("breakdowns: %+v", an)
		}
		if j := an.Jobs; len(j.ByStatus) != 4 || j.DurationP50Ms == nil || *j.DurationP50Ms != 2000 || *j.DurationP95Ms != 3800 || *j.ItemsPerSecond != 5 {
			t.Errorf("jobs: %+v", j)
		}
		if w := an.Webhooks; w.Deliveries != 4 || *w.SuccessRate != 0.5 || *w.P95LatencyMs != 290 {
			t.Errorf("webhooks: %+v", w)
		}
		wantSeries := []string{"2026-01-05T00:00:00-05:00 3", "2026-01-06T00:00:00-05:00 1", "2026-01-07T00:00:00-05:00 2",
			"2026-01-11T00:00:00-05:00 2", "2026-01-31T00:00:00-05:00 1"}
		if len(an.Series) != len(wantSeries) {
			t.Fatalf("series %+v, want %v", an.Series, wantSeries)
		}
		for i, s := range an.Series {
			if s.Bucket+" "+strconv.Itoa(s.Count) != wantSeries[i] {
				t.Errorf("series[%d] = %+v, want %s", i, s, wantSeries[i])
			}
		}

		// Account B sees its own graph only.
		mustData(t, srv, b.key, analyticsQuery, vars, &got)
		if an := got.Analytics; an.Assets.Total != 2 || an.Assets.Bytes != 30 || an.Webhooks.Deliveries != 1 || len(an.Jobs.ByStatus) != 1 {
			t.Errorf("account B: %+v", an)
		}

		for _, tt := range []struct {
			name, key string
			vars      map[string]any
			code      string
		}{
			{"no key", "", vars, "UNAUTHENTICATED"},
			{"scope scan", scanOnly, vars, "FORBIDDEN"},
			{"bad zone", a.key, map[string]any{"tz": "Mars/Olympus"}, "INVALID_INPUT"},
			{"empty range", a.key, map[string]any{"from": "2026-01-02T00:00:00Z", "to": "2026-01-01T00:00:00Z"}, "INVALID_INPUT"},
			{"collection of another account", b.key, map[string]any{"col": strconv.Itoa(g.Collection)}, "NOT_FOUND"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				if res := post(t, srv, tt.key, `query($from: Time, $to: Time, $tz: String, $col: ID) {
				  analytics(from: $from, to: $to, timeZone: $tz, collectionId: $col) { assets { total } } }`, tt.vars); res.code() != tt.code {
					t.Errorf("errors %+v, want %s", res.Errors, tt.code)
				}
			})
		}
	})
}

// getExport fetches an export with key (none when "").
func getExport(t *testing.T, srv *httptest.Server, key, path string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	return res
}

func TestExportRoutes(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, url string) {
		srv, a, b, scanOnly, g := newAnalyticsServer(t, url)
		const jan = "?from=2026-01-01T00:00:00Z&to=2026-02-02T00:00:00Z"

		res := getExport(t, srv, a.key, "/export/assets.ndjson"+jan)
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/x-ndjson" {
			t.Fatalf("status %s, type %s", res.Status, res.Header.Get("Content-Type"))
		}
		names := map[string]bool{}
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			var row struct {
				FileName string `json:"fileName"`
			}
			if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
				t.Fatal(err)
			}
			names[row.FileName] = true
		}
		if len(names) != 9 || !names["a4.bin"] || !names["u1.jpg"] || names["a8.bin"] || names["b1.bin"] {
			t.Errorf("account A's export: %v", names)
		}

		res = getExport(t, srv, a.key, "/export/assets.csv?collectionId="+strconv.Itoa(g.Collection))
		recs, err := csv.NewReader(res.Body).ReadAll()
		if err != nil || res.Header.Get("Content-Type") != "text/csv; charset=utf-8" {
			t.Fatal(err, res.Header)
		}
		// a1, a4, a6, and a8, a9 outside January: the collection, all time.
		if len(recs) != 6 || recs[0][2] != "fileName" {
			t.Errorf("collection CSV: %v", recs)
		}

		res = getExport(t, srv, b.key, "/export/assets.csv")
		if recs, err := csv.NewReader(res.Body).ReadAll(); err != nil || len(recs) != 3 {
			t.Errorf("account B's CSV: %v %v", recs, err)
		}

		for _, tt := range []struct {
			name, key, path string
			status          int
			code            string
		}{
			{"no key", "", "/export/assets.ndjson", http.StatusUnauthorized, "UNAUTHENTICATED"},
			{"bad key", "pg_nope", "/export/assets.ndjson", http.StatusUnauthorized, "UNAUTHENTICATED"},
			{"scope scan", scanOnly, "/export/assets.csv", http.StatusForbidden, "FORBIDDEN"},
			{"bad time", a.key, "/export/assets.csv?from=yesterday", http.StatusBadRequest, "INVALID_INPUT"},
			{"another account's collection", b.key, "/export/assets.csv?collectionId=" + strconv.Itoa(g.Collection), http.StatusNotFound, "NOT_FOUND"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				res := getExport(t, srv, tt.key, tt.path)
				var body struct {
					Error struct{ Code, Message string }
				}
				raw, _ := io.ReadAll(res.Body)
				if err := json.Unmarshal(raw, &body); err != nil || res.StatusCode != tt.status || body.Error.Code != tt.code {
					t.Errorf("%s %s, want %d %s", res.Status, raw, tt.status, tt.code)
				}
			})
		}
	})
}
