package analytics_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"testing"
	"time"

	"provgraph/analytics"
	"provgraph/analytics/analyticstest"
	"provgraph/apierror"
	"provgraph/db/dbtest"
	"provgraph/ent/schema/tenant"
	"provgraph/internal/servicetest"
)

// fixture is a Service over a fresh database seeded with the graph of
// package analyticstest, with a caller in each of its two accounts.
type fixture struct {
	svc   *analytics.Service
	graph analyticstest.Graph
	a, b  context.Context
}

func newFixture(t *testing.T, url string) *fixture {
	t.Helper()
	st := servicetest.New(t, url)
	services := analyticstest.Services{
		DB:            st.DB,
		Client:        st.Client,
		Assets:        st.Assets,
		Signing:       st.Signing,
		Verifications: st.Verifications,
	}
	svc, err := analytics.NewService(st.DB, st.Client)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{svc: svc, a: st.Caller(t, "a", tenant.ScopeAdmin), b: st.Caller(t, "b", tenant.ScopeAdmin)}
	f.graph = analyticstest.Seed(t, services, f.a, f.b)
	return f
}

// want are the aggregates of one caller and filter.
type want struct {
	assets        analytics.AssetStats
	verdicts      []analytics.Count
	models        []analytics.Count
	tiers         []analytics.Count
	purposes      []analytics.Count
	modTypes      []analytics.Count
	jobs          analytics.JobStats
	webhooks      analytics.WebhookStats
	skipWebhooks  bool
	skipJobTiming bool
}

func counts(kv ...any) []analytics.Count {
	out := []analytics.Count{}
	for i := 0; i < len(kv); i += 2 {
		out = append(out, analytics.Count{Key: kv[i].(string), Count: kv[i+1].(int)})
	}
	return out
}

func ptr(v float64) *float64 { return &v }

// percentile is percentile_cont(p) of sorted values, in float64 as
// PostgreSQL computes it.
func percentile(p float64, sorted ...float64) float64 {
	pos := p * float64(len(sorted)-1)
	lo := math.Floor(pos)
	if int(lo) == len(sorted)-1 {
		return sorted[len(sorted)-1]
	}
	return sorted[int(lo)] + (pos-lo)*(sorted[int(lo)+1]-sorted[int(lo)])
}

func TestAggregates(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, url string) {
		f := newFixture(t, url)
		from, to := analyticstest.From, analyticstest.To
		col := f.graph.Collection
		tests := []struct {
			name   string
			ctx    context.Context
			filter analytics.Filter
			want   want
		}{
			{"account A", f.a, analytics.Filter{From: &from, To: &to}, want{
				assets:   analytics.AssetStats{Total: 9, Bytes: 2800 + f.graph.ServiceBytes, ByMediaType: counts("image/jpeg", 5, "image/png", 3, "image/webp", 1)},
				verdicts: counts("NO_AI_MARKING", 5, "DECLARED_AI", 3, "HINTED_AI", 2),
				models:   counts("dall-e-3", 2, "midjourney", 2, "firefly", 1),
				tiers:    counts("NO_CREDENTIALS", 2, "INVALID", 1, "SIGNED_UNTRUSTED", 1, "TAMPERED", 1, "VERIFIED", 1),
				purposes: counts("advertising", 1, "art", 1, "news", 1),
				modTypes: counts("MINOR_EDIT", 2, "GENERATION", 1, "SUBSTANTIAL_ALTERATION", 1),
				jobs: analytics.JobStats{ByStatus: counts("COMPLETED", 2, "FAILED", 1, "PROCESSING", 1, "QUEUED", 1),
					DurationP50Ms: ptr(2000), DurationP95Ms: ptr(3800), ItemsPerSecond: ptr(5)},
				webhooks: analytics.WebhookStats{Deliveries: 4, SuccessRate: ptr(0.5), P95LatencyMs: ptr(290)},
			}},
			{"account B", f.b, analytics.Filter{From: &from, To: &to}, want{
				assets:   analytics.AssetStats{Total: 2, Bytes: 30, ByMediaType: counts("image/gif", 2)},
				verdicts: counts("DECLARED_AI", 1, "NO_AI_MARKING", 1),
				models:   counts("sora", 1),
				tiers:    counts("VERIFIED", 1),
				purposes: counts("news", 1),
				modTypes: counts("GENERATION", 1),
				jobs:     analytics.JobStats{ByStatus: counts("COMPLETED", 1), DurationP50Ms: ptr(500), DurationP95Ms: ptr(500), ItemsPerSecond: ptr(2)},
				webhooks: analytics.WebhookStats{Deliveries: 1, SuccessRate: ptr(1), P95LatencyMs: ptr(50)},
			}},
			{"account A, collection", f.a, analytics.Filter{From: &from, To: &to, CollectionID: &col}, want{
				assets:   analytics.AssetStats{Total: 3, Bytes: 1100, ByMediaType: counts("image/png", 2, "image/jpeg", 1)},
				verdicts: counts("DECLARED_AI", 2, "NO_AI_MARKING", 2),
				models:   counts("dall-e-3", 2),
				tiers:    counts("NO_CREDENTIALS", 1, "VERIFIED", 1),
				purposes: counts("advertising", 1),
				modTypes: counts("GENERATION", 1),
				jobs:     analytics.JobStats{ByStatus: counts("COMPLETED", 1), DurationP50Ms: ptr(1000), DurationP95Ms: ptr(1000), ItemsPerSecond: ptr(10)},
				// Deliveries are the account's, whatever the collection.
				webhooks: analytics.WebhookStats{Deliveries: 4, SuccessRate: ptr(0.5), P95LatencyMs: ptr(290)},
			}},
			{"account A, all time", f.a, analytics.Filter{}, want{
				assets:   analytics.AssetStats{Total: 11, Bytes: 4500 + f.graph.ServiceBytes, ByMediaType: counts("image/jpeg", 5, "image/png", 5, "image/webp", 1)},
				verdicts: counts("DECLARED_AI", 5, "NO_AI_MARKING", 5, "HINTED_AI", 2),
				models:   counts("dall-e-3", 4, "midjourney", 2, "firefly", 1),
				tiers:    counts("VERIFIED", 3, "NO_CREDENTIALS", 2, "INVALID", 1, "SIGNED_UNTRUSTED", 1, "TAMPERED", 1),
				purposes: counts("news", 3, "advertising", 1, "art", 1),
				modTypes: counts("GENERATION", 3, "MINOR_EDIT", 2, "SUBSTANTIAL_ALTERATION", 1),
				jobs:     analytics.JobStats{ByStatus: counts("COMPLETED", 3, "FAILED", 1, "PROCESSING", 1, "QUEUED", 1)},
				// The March delivery: 5 attempts, 2 succeeded.
				webhooks:      analytics.WebhookStats{Deliveries: 5, SuccessRate: ptr(0.4), P95LatencyMs: ptr(percentile(0.95, 100, 200, 300, 900))},
				skipJobTiming: true,
			}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got := want{skipWebhooks: tt.want.skipWebhooks, skipJobTiming: tt.want.skipJobTiming}
				var err error
				if got.assets, err = f.svc.Assets(tt.ctx, tt.filter); err != nil {
					t.Fatal(err)
				}
				for _, b := range []struct {
					dst *[]analytics.Count
					b   analytics.Breakdown
				}{
					{&got.verdicts, analytics.ScansByVerdict}, {&got.models, analytics.ScansByAIModel},
					{&got.tiers, analytics.VerificationsByTier}, {&got.purposes, analytics.SignsByPurpose},
					{&got.modTypes, analytics.SignsByModificationType},
				} {
					if *b.dst, err = f.svc.Breakdown(tt.ctx, tt.filter, b.b); err != nil {
						t.Fatalf("%s: %v", b.b, err)
					}
				}
				if got.jobs, err = f.svc.Jobs(tt.ctx, tt.filter); err != nil {
					t.Fatal(err)
				}
				if tt.want.skipJobTiming {
					got.jobs = analytics.JobStats{ByStatus: got.jobs.ByStatus}
				}
				if got.webhooks, err = f.svc.Webhooks(tt.ctx, tt.filter); err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, tt.want) {
					t.Errorf("got\n%s\nwant\n%s", dump(got), dump(tt.want))
				}
			})
		}
	})
}

// dump shows aggregates with their pointers followed.
func dump(w want) string {
	b, _ := json.Marshal(map[string]any{
		"assets": w.assets, "verdicts": w.verdicts, "models": w.models, "tiers": w.tiers, "purposes": w.purposes,
		"modTypes": w.modTypes, "jobs": w.jobs, "webhooks": w.webhooks,
	})
	return string(b)
}

func TestSeries(t *testing.T) {
	utc := time.UTC
	ny, _ := time.LoadLocation("America/New_York")
	paris, _ := time.LoadLocation("Europe/Paris")
	kolkata, _ := time.LoadLocation("Asia/Kolkata")
	at := func(loc *time.Location, y int, m time.Month, d, h, min int) time.Time {
		return time.Date(y, m, d, h, min, 0, 0, loc)
	}
	type b = analytics.Bucket
	dbtest.Run(t, func(t *testing.T, url string) {
		f := newFixture(t, url)
		from, to := analyticstest.From, analyticstest.To
		in := func(loc *time.Location) analytics.Filter {
			return analytics.Filter{From: &from, To: &to, Location: loc}
		}
		tests := []struct {
			name     string
			filter   analytics.Filter
			metric   analytics.Metric
			interval analytics.Interval
			want     []analytics.Bucket
		}{
			{"assets per UTC day", in(utc), analytics.MetricAssets, analytics.IntervalDay, []b{
				{at(utc, 2026, 1, 5, 0, 0), 2}, {at(utc, 2026, 1, 6, 0, 0), 2}, {at(utc, 2026, 1, 7, 0, 0), 2},
				{at(utc, 2026, 1, 11, 0, 0), 1}, {at(utc, 2026, 1, 12, 0, 0), 1}, {at(utc, 2026, 2, 1, 0, 0), 1}}},
			{"assets per New York day", in(ny), analytics.MetricAssets, analytics.IntervalDay, []b{
				{at(ny, 2026, 1, 5, 0, 0), 3}, {at(ny, 2026, 1, 6, 0, 0), 1}, {at(ny, 2026, 1, 7, 0, 0), 2},
				{at(ny, 2026, 1, 11, 0, 0), 2}, {at(ny, 2026, 1, 31, 0, 0), 1}}},
			{"assets per UTC week", in(utc), analytics.MetricAssets, analytics.IntervalWeek, []b{
				{at(utc, 2026, 1, 5, 0, 0), 7}, {at(utc, 2026, 1, 12, 0, 0), 1}, {at(utc, 2026, 1, 26, 0, 0), 1}}},
			{"assets per New York week", in(ny), analytics.MetricAssets, analytics.IntervalWeek, []b{
				{at(ny, 2026, 1, 5, 0, 0), 8}, {at(ny, 2026, 1, 26, 0, 0), 1}}},
			{"assets per UTC month", in(utc), analytics.MetricAssets, analytics.IntervalMonth, []b{
				{at(utc, 2026, 1, 1, 0, 0), 8}, {at(utc, 2026, 2, 1, 0, 0), 1}}},
			{"assets per New York month", in(ny), analytics.MetricAssets, analytics.IntervalMonth, []b{
				{at(ny, 2026, 1, 1, 0, 0), 9}}},
			{"assets per New York month, all time", analytics.Filter{Location: ny}, analytics.MetricAssets, analytics.IntervalMonth, []b{
				{at(ny, 2025, 12, 1, 0, 0), 1}, {at(ny, 2026, 1, 1, 0, 0), 9}, {at(ny, 2026, 2, 1, 0, 0), 1}}},
			{"scans per Paris day", in(paris), analytics.MetricScans, analytics.IntervalDay, []b{
				{at(paris, 2026, 1, 5, 0, 0), 1}, {at(paris, 2026, 1, 6, 0, 0), 4}, {at(paris, 2026, 1, 7, 0, 0), 2},
				{at(paris, 2026, 1, 12, 0, 0), 2}, {at(paris, 2026, 2, 1, 0, 0), 1}}},
			{"signs per Kolkata hour", in(kolkata), analytics.MetricSigns, analytics.IntervalHour, []b{
				{at(kolkata, 2026, 1, 6, 17, 0), 1}, {at(kolkata, 2026, 1, 7, 14, 0), 1},
				{at(kolkata, 2026, 1, 12, 4, 0), 1}, {at(kolkata, 2026, 2, 1, 6, 0), 1}}},
			{"AI declared per UTC day", in(utc), analytics.MetricAIDeclared, analytics.IntervalDay, []b{
				{at(utc, 2026, 1, 5, 0, 0), 1}, {at(utc, 2026, 1, 6, 0, 0), 1}, {at(utc, 2026, 1, 11, 0, 0), 1}}},
			{"verifications per UTC month", in(utc), analytics.MetricVerifications, analytics.IntervalMonth, []b{
				{at(utc, 2026, 1, 1, 0, 0), 5}, {at(utc, 2026, 2, 1, 0, 0), 1}}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := f.svc.Series(f.a, tt.filter, tt.metric, tt.interval)
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != len(tt.want) {
					t.Fatalf("got %v, want %v", got, tt.want)
				}
				for i := range got {
					if !got[i].Start.Equal(tt.want[i].Start) || got[i].Count != tt.want[i].Count ||
						got[i].Start.Location().String() != tt.want[i].Start.Location().String() {
						t.Errorf("bucket %d: %v %d, want %v %d", i, got[i].Start, got[i].Count, tt.want[i].Start, tt.want[i].Count)
					}
				}
			})
		}
		// Account B sees its own.
		got, err := f.svc.Series(f.b, in(utc), analytics.MetricAssets, analytics.IntervalMonth)
		if err != nil || len(got) != 1 || got[0].Count != 2 {
			t.Errorf("account B: %v, %v; want one bucket of 2", got, err)
		}
	})
}

func TestExport(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, url string) {
		f := newFixture(t, url)
		from, to := analyticstest.From, analyticstest.To
		var out bytes.Buffer
		n, err := f.svc.Export(f.a, analytics.Filter{From: &from, To: &to}, analytics.FormatNDJSON, &out)
		if err != nil {
			t.Fatal(err)
		}
		rows := map[string]map[string]any{}
		sc := bufio.NewScanner(&out)
		for sc.Scan() {
			var r map[string]any
			if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
				t.Fatalf("line %q: %v", sc.Text(), err)
			}
			rows[r["fileName"].(string)] = r
		}
		if n != 9 || len(rows) != 9 {
			t.Fatalf("%d rows written, %d read (%v); want 9", n, len(rows), rows)
		}
		a4 := rows["a4.bin"]
		wantA4 := map[string]any{
			"createdAt": "2026-01-06T12:00:00Z", "mediaType": "image/png", "size": 400.0, "status": "SIGNED",
			"sha256": "4444444444444444444444444444444444444444444444444444444444444444", "cid": "bafya4",
			"signedSha256": "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "signedCid": "bafysigneda4",
			"scanVerdict": "DECLARED_AI", "aiModel": "dall-e-3", "declaredAiModel": "dall-e-3", "purpose": "advertising",
			"modificationType": "GENERATION", "trustTier": "VERIFIED",
		}
		for k, v := range wantA4 {
			if a4[k] != v {
				t.Errorf("a4 %s = %v, want %v", k, a4[k], v)
			}
		}
		if a3 := rows["a3.bin"]; a3["declaredAiModel"] != nil || a3["trustTier"] != nil || a3["scanVerdict"] != "NO_AI_MARKING" {
			t.Errorf("a3: %v; want no sign (its declaration has no certificate), no verification", a3)
		}
		if u1 := rows["u1.jpg"]; u1["purpose"] != "art" || u1["trustTier"] != "SIGNED_UNTRUSTED" {
			t.Errorf("u1: %v", u1)
		}

		// CSV of account B: a header and its two assets only.
		out.Reset()
		if _, err := f.svc.Export(f.b, analytics.Filter{}, analytics.FormatCSV, &out); err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(&out).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != 3 || recs[0][0] != "id" || recs[1][2] != "b1.bin" || recs[2][2] != "b2.bin" || recs[1][12] != "sora" {
			t.Errorf("account B's CSV: %v", recs)
		}
	})
}

func TestErrors(t *testing.T) {
	f := newFixture(t, dbtest.SQLiteURL(t))
	from := analyticstest.From
	other := 1
	tests := []struct {
		name string
		ctx  context.Context
		f    analytics.Filter
		code apierror.Code
	}{
		{"no caller", context.Background(), analytics.Filter{}, apierror.Internal},
		{"empty range", f.a, analytics.Filter{From: &from, To: &from}, apierror.InvalidInput},
		{"collection of another account", f.b, analytics.Filter{CollectionID: &f.graph.Collection}, apierror.NotFound},
		{"unknown collection", f.a, analytics.Filter{CollectionID: &other}, apierror.NotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.svc.Assets(tt.ctx, tt.f)
			if apierror.CodeOf(err) != tt.code {
				t.Errorf("error %v (%s), want %s", err, apierror.CodeOf(err), tt.code)
			}
		})
	}
	if _, err := f.svc.Series(f.a, analytics.Filter{}, "BYTES", analytics.IntervalDay); !errors.Is(err, apierror.ErrInvalidInput) {
		t.Errorf("unknown metric: %v", err)
	}
	if _, err := analytics.ParseTimeZone("Mars/Olympus"); apierror.CodeOf(err) != apierror.InvalidInput {
		t.Errorf("unknown zone: %v", err)
	}
}

// failingWriter fails every write after the first, as a connection whose
// client is gone.
type failingWriter struct{ writes int }

var errGone = errors.New("client gone")

func (w *failingWriter) Write(p []byte) (int, error) {
	w.writes++
	if w.writes > 1 {
		return 0, errGone
	}
	return len(p), nil
}

func (w *failingWriter) Flush() {}

func TestExportStopsWhenTheClientGoes(t *testing.T) {
	f := newFixture(t, dbtest.SQLiteURL(t))
	w := &failingWriter{}
	n, err := f.svc.Export(f.a, analytics.Filter{}, analytics.FormatNDJSON, w)
	// The first row is flushed alone; the second flush fails and ends the
	// export there, closing the statement.
	if !errors.Is(err, errGone) || n > 1000 || w.writes != 2 {
		t.Errorf("Export = %d, %v after %d writes; want errGone at the second flush", n, err, w.writes)
	}
	ctx, cancel := context.WithCancel(f.a)
	cancel()
	if _, err := f.svc.Export(ctx, analytics.Filter{}, analytics.FormatCSV, &bytes.Buffer{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled export: %v, want context.Canceled", err)
	}
}
