package analytics_test

import (
	"context"
	"os"
	"testing"
	"time"

	"provgraph/accounts"
	"provgraph/analytics"
	"provgraph/db"
	"provgraph/db/dbtest"
	"provgraph/ent"
	"provgraph/ent/account"
	"provgraph/ent/schema/tenant"
)

// bulkAccount is an account seeded in bulk, with its caller.
type bulkAccount struct {
	ctx        context.Context
	collection int
}

// bulkStatements write n assets of account $1 spread evenly over span
// seconds ($4) from $3, with their scans, the declarations of the third
// of them that are signed, verifications of half, one asset in ten in a
// collection, a job per 100 assets and a webhook delivery attempt per 10;
// bulkArgs says which of (account, n, start, span, collection, webhook)
// each statement takes.
var bulkStatements = []string{
	`INSERT INTO assets (created_at, updated_at, file_name, media_type, size, sha256, cid, original_blob_key, status, account_id,
		signed_sha256, signed_cid, signed_at)
	SELECT ts, ts, 'f' || g || '.jpg', (ARRAY['image/jpeg','image/png','image/webp','video/mp4'])[1 + g % 4], 1000 + g % 5000,
		md5(g::text) || md5((g + 1)::text), 'bafy' || g, 'k/' || g, CASE WHEN g % 3 = 0 THEN 'SIGNED' ELSE 'SCANNED' END, $1,
		CASE WHEN g % 3 = 0 THEN md5(g::text) || md5((g + 2)::text) END, CASE WHEN g % 3 = 0 THEN 'bafys' || g END,
		CASE WHEN g % 3 = 0 THEN ts END
	FROM (SELECT g, $3::timestamptz + make_interval(secs => $4::float8 * g / $2) AS ts FROM generate_series(1, $2::int) g) s`,
	`INSERT INTO scans (created_at, updated_at, has_c2pa, has_xmp, ai_model, verdict, asset_id, account_id)
	SELECT created_at, created_at, false, false, (ARRAY[NULL, 'dall-e-3', 'midjourney', 'firefly', 'sora'])[1 + id % 5],
		(ARRAY['DECLARED_AI', 'HINTED_AI', 'NO_AI_MARKING'])[1 + id % 3], id, account_id
	FROM assets WHERE account_id = $1`,
	`INSERT INTO declarations (created_at, updated_at, ai_model, modification_type, purpose, human_review, certificate_blob_key, asset_id, account_id)
	SELECT created_at, created_at, 'dall-e-3', (ARRAY['GENERATION', 'SUBSTANTIAL_ALTERATION', 'MINOR_EDIT'])[1 + id % 3],
		(ARRAY['advertising', 'news', 'art', 'education'])[1 + id % 4], false, 'cert/' || id, id, account_id
	FROM assets WHERE account_id = $1 AND status = 'SIGNED'`,
	`INSERT INTO verifications (created_at, updated_at, public_id, asset_id, trust_tier, status, confidence, ai_declared, account_id)
	SELECT created_at, created_at, 'v' || id, id, (ARRAY['VERIFIED', 'SIGNED_UNTRUSTED', 'TAMPERED', 'INVALID', 'NO_CREDENTIALS'])[1 + id % 5],
		'COMPLETE', 'LOW', false, account_id
	FROM assets WHERE account_id = $1 AND id % 2 = 0`,
	`INSERT INTO collection_assets (collection_id, asset_id) SELECT $2, id FROM assets WHERE account_id = $1 AND id % 10 = 0`,
	`INSERT INTO jobs (created_at, updated_at, kind, status, total_assets, completed_assets, failed_assets, started_at, completed_at, account_id, collection_id)
	SELECT ts, ts, 'SCAN', (ARRAY['COMPLETED', 'COMPLETED', 'COMPLETED', 'FAILED', 'CANCELLED'])[1 + g % 5], 100, 95, 5,
		ts + interval '1 second', ts + make_interval(secs => 1 + g % 120), $1, CASE WHEN g % 10 = 0 THEN $5::bigint END
	FROM (SELECT g, $3::timestamptz + make_interval(secs => $4::float8 * g / ($2 / 100)) AS ts FROM generate_series(1, $2::int / 100) g) s`,
	`INSERT INTO webhook_deliveries (created_at, updated_at, webhook_id, message_id, event, succeeded, attempt, latency_ms, account_id)
	SELECT ts, ts, $5, 'msg_' || g, 'asset.signed', g % 10 <> 0, 1, 20 + g % 500, $1
	FROM (SELECT g, $3::timestamptz + make_interval(secs => $4::float8 * g / ($2 / 10)) AS ts FROM generate_series(1, $2::int / 10) g) s`,
}

// bulkArgs are the arguments each of bulkStatements takes, by position.
var bulkArgs = [][]int{{1, 2, 3, 4}, {1}, {1}, {1}, {1, 5}, {1, 2, 3, 4, 5}, {1, 2, 3, 4, 6}}

// seedBulk creates an account with n assets (and their rows) between start
// and start+span on PostgreSQL, by INSERT … SELECT generate_series.
func seedBulk(tb testing.TB, d *db.DB, client *ent.Client, name string, n int, start time.Time, span time.Duration) bulkAccount {
	tb.Helper()
	ctx := context.Background()
	acc, err := accounts.NewService(client).CreateAccount(ctx, name, account.PlanStarter)
	if err != nil {
		tb.Fatal(err)
	}
	actx := tenant.NewContext(ctx, tenant.Viewer{AccountID: acc.ID, Scopes: []tenant.Scope{tenant.ScopeAdmin}})
	col, err := client.Collection.Create().SetName("bulk").Save(actx)
	if err != nil {
		tb.Fatal(err)
	}
	hook, err := client.Webhook.Create().SetURL("https://hooks.example/bulk").SetEvents([]string{"asset.signed"}).SetSecret("whsec_bulk").Save(actx)
	if err != nil {
		tb.Fatal(err)
	}
	all := []any{acc.ID, n, start, span.Seconds(), col.ID, hook.ID}
	for i, stmt := range bulkStatements {
		args := make([]any, len(bulkArgs[i]))
		for j, k := range bulkArgs[i] {
			args[j] = all[k-1]
		}
		if _, err := d.SQL.ExecContext(ctx, stmt, args...); err != nil {
			tb.Fatalf("seeding %s: statement %d: %v", name, i, err)
		}
	}
	return bulkAccount{ctx: actx, collection: col.ID}
}

// analyze refreshes the planner's statistics and the visibility map, as
// autovacuum would after a bulk load.
func analyze(tb testing.TB, d *db.DB) {
	tb.Helper()
	if _, err := d.SQL.ExecContext(context.Background(), "VACUUM ANALYZE"); err != nil {
		tb.Fatal(err)
	}
}

// everyQuery runs each query of the Queries interface once over f.
func everyQuery(ctx context.Context, svc *analytics.Service, f analytics.Filter) map[string]func() error {
	qs := map[string]func() error{
		"assets":   func() error { _, err := svc.Assets(ctx, f); return err },
		"jobs":     func() error { _, err := svc.Jobs(ctx, f); return err },
		"webhooks": func() error { _, err := svc.Webhooks(ctx, f); return err },
	}
	for _, b := range []analytics.Breakdown{analytics.ScansByVerdict, analytics.ScansByAIModel, analytics.VerificationsByTier,
		analytics.SignsByPurpose, analytics.SignsByModificationType} {
		qs[string(b)] = func() error { _, err := svc.Breakdown(ctx, f, b); return err }
	}
	for _, m := range []analytics.Metric{analytics.MetricAssets, analytics.MetricScans, analytics.MetricSigns,
		analytics.MetricVerifications, analytics.MetricAIDeclared} {
		qs["series "+string(m)] = func() error { _, err := svc.Series(ctx, f, m, analytics.IntervalDay); return err }
	}
	return qs
}

// requirePostgres skips a test or benchmark without PostgreSQL.
func requirePostgres(tb testing.TB) {
	if os.Getenv(dbtest.EnvURL) == "" {
		tb.Skipf("%s not set: PostgreSQL only", dbtest.EnvURL)
	}
}
