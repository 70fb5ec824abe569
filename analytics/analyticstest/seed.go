package analyticstest

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/jpeg"
	"strings"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"provgraph/article50"
	"provgraph/assets"
	"provgraph/db"
	"provgraph/ent"
	"provgraph/ent/declaration"
	"provgraph/ent/job"
	"provgraph/ent/scan"
	"provgraph/ent/verification"
	"provgraph/signing"
	"provgraph/verifications"
)

// Services are what Seed writes through.
type Services struct {
	DB            *db.DB
	Client        *ent.Client
	Assets        *assets.Service
	Signing       *signing.Service
	Verifications *verifications.Service
}

// Graph is what Seed wrote.
type Graph struct {
	// Collection holds a1, a4 and a6 of account A.
	Collection int
	// ServiceBytes is the size of the two uploads of account A stored by
	// the assets service (u1, u2).
	ServiceBytes int64
	// IDs are account A's assets by name (a1…a9, u1, u2).
	IDs map[string]int
}

// The range the expectations are for: January 2026 and the first day of
// February, in UTC.
var (
	From = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	To   = time.Date(2026, 2, 2, 0, 0, 0, 0, time.UTC)
)

// ServiceTime is when the rows written by the services are moved to.
var ServiceTime = time.Date(2026, 1, 7, 9, 0, 0, 0, time.UTC)

// asset is one asset written directly, with its latest scan and, when
// set, its signing declaration and verification, all at its time (the
// declaration and verification a minute later).
type asset struct {
	name      string
	at        time.Time
	mediaType string
	size      int64
	verdict   scan.Verdict
	model     string
	signed    bool
	purpose   string
	modType   declaration.ModificationType
	tier      verification.TrustTier
	inColl    bool
	rescanned bool // an older scan first, an hour before
}

// zones in which some times are written, so that the stored text is not
// always UTC.
var (
	paris   = mustZone("Europe/Paris")
	newYork = mustZone("America/New_York")
)

func mustZone(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

// accountA are account A's directly written assets. a8 is before From, a9
// at To: neither is counted.
var accountA = []asset{
	{name: "a1", at: time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC), mediaType: "image/png", size: 100, verdict: scan.VerdictDeclaredAI, model: "dall-e-3", inColl: true},
	{name: "a2", at: time.Date(2026, 1, 5, 23, 30, 0, 250e6, time.UTC), mediaType: "image/jpeg", size: 200, verdict: scan.VerdictHintedAI, model: "midjourney"},
	{name: "a3", at: time.Date(2026, 1, 5, 22, 0, 0, 0, newYork), mediaType: "image/jpeg", size: 300, verdict: scan.VerdictNoAIMarking},
	{name: "a4", at: time.Date(2026, 1, 6, 13, 0, 0, 0, paris), mediaType: "image/png", size: 400, verdict: scan.VerdictDeclaredAI, model: "dall-e-3",
		signed: true, purpose: "advertising", modType: declaration.ModificationTypeGeneration, tier: verification.TrustTierVerified, inColl: true,
		rescanned: true},
	{name: "a5", at: time.Date(2026, 1, 11, 23, 0, 0, 0, time.UTC), mediaType: "image/webp", size: 500, verdict: scan.VerdictDeclaredAI, model: "firefly",
		signed: true, purpose: "news", modType: declaration.ModificationTypeSubstantialAlteration, tier: verification.TrustTierTampered},
	{name: "a6", at: time.Date(2026, 1, 12, 2, 0, 0, 0, time.UTC), mediaType: "image/jpeg", size: 600, verdict: scan.VerdictNoAIMarking,
		tier: verification.TrustTierNoCredentials, inColl: true},
	{name: "a7", at: time.Date(2026, 2, 1, 1, 0, 0, 0, time.UTC), mediaType: "image/png", size: 700, verdict: scan.VerdictHintedAI, model: "midjourney",
		signed: true, modType: declaration.ModificationTypeMinorEdit, tier: verification.TrustTierInvalid},
	{name: "a8", at: time.Date(2025, 12, 31, 23, 58, 0, 0, time.UTC), mediaType: "image/png", size: 800, verdict: scan.VerdictDeclaredAI, model: "dall-e-3",
		signed: true, purpose: "news", modType: declaration.ModificationTypeGeneration, tier: verification.TrustTierVerified, inColl: true},
	{name: "a9", at: To, mediaType: "image/png", size: 900, verdict: scan.VerdictDeclaredAI, model: "dall-e-3",
		signed: true, purpose: "news", modType: declaration.ModificationTypeGeneration, tier: verification.TrustTierVerified, inColl: true},
}

// accountB are account B's assets.
var accountB = []asset{
	{name: "b1", at: time.Date(2026, 1, 6, 8, 0, 0, 0, time.UTC), mediaType: "image/gif", size: 10, verdict: scan.VerdictDeclaredAI, model: "sora",
		signed: true, purpose: "news", modType: declaration.ModificationTypeGeneration, tier: verification.TrustTierVerified},
	{name: "b2", at: time.Date(2026, 1, 20, 8, 0, 0, 0, time.UTC), mediaType: "image/gif", size: 20, verdict: scan.VerdictNoAIMarking},
}

// jobRow is one job written directly; zero durations mean not started or
// not finished.
type jobRow struct {
	at          time.Time
	status      job.Status
	started     time.Duration // after at; <0: not started
	ran         time.Duration // <0: not finished
	done, fails int
	inColl      bool
}

var jobsA = []jobRow{
	{at: time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC), status: job.StatusCompleted, started: time.Second, ran: time.Second, done: 10, inColl: true},
	{at: time.Date(2026, 1, 6, 10, 0, 0, 0, time.UTC), status: job.StatusCompleted, started: time.Second, ran: 2 * time.Second, done: 18, fails: 2},
	{at: time.Date(2026, 1, 7, 10, 0, 0, 0, paris), status: job.StatusFailed, started: 750 * time.Millisecond, ran: 4 * time.Second, fails: 5},
	{at: time.Date(2026, 1, 8, 10, 0, 0, 0, time.UTC), status: job.StatusProcessing, started: time.Second, ran: -1},
	{at: time.Date(2026, 1, 9, 10, 0, 0, 0, time.UTC), status: job.StatusQueued, started: -1, ran: -1},
	{at: time.Date(2025, 12, 1, 10, 0, 0, 0, time.UTC), status: job.StatusCompleted, started: time.Second, ran: time.Hour, done: 1},
}

var jobsB = []jobRow{
	{at: time.Date(2026, 1, 6, 10, 0, 0, 0, time.UTC), status: job.StatusCompleted, started: 0, ran: 500 * time.Millisecond, done: 1},
}

// delivery is one webhook delivery attempt; latency <0 means unmeasured.
type delivery struct {
	at      time.Time
	ok      bool
	latency int
}

var deliveriesA = []delivery{
	{time.Date(2026, 1, 5, 1, 0, 0, 0, time.UTC), true, 100},
	{time.Date(2026, 1, 6, 1, 0, 0, 0, time.UTC), true, 200},
	{time.Date(2026, 1, 7, 1, 0, 0, 0, time.UTC), false, 300},
	{time.Date(2026, 1, 8, 1, 0, 0, 0, time.UTC), false, -1},
	{time.Date(2026, 3, 1, 1, 0, 0, 0, time.UTC), false, 900},
}

var deliveriesB = []delivery{{time.Date(2026, 1, 5, 1, 0, 0, 0, time.UTC), true, 50}}

// Seed writes the graph of account A (ctxA) and account B (ctxB): two
// uploads of A through the assets service, one of them signed through the
// signing service and the other verified through the verifications
// service, their rows then moved to ServiceTime; the rest written
// directly with ent at chosen times.
func Seed(t testing.TB, s Services, ctxA, ctxB context.Context) Graph {
	t.Helper()
	g := Graph{IDs: map[string]int{}}
	col, err := s.Client.Collection.Create().SetName("campaign").Save(ctxA)
	if err != nil {
		t.Fatal(err)
	}
	g.Collection = col.ID

	u1 := upload(t, s, ctxA, "u1.jpg", 40)
	u2 := upload(t, s, ctxA, "u2.jpg", 48)
	g.IDs["u1"], g.IDs["u2"] = u1.ID, u2.ID
	g.ServiceBytes = u1.Size + u2.Size
	yes := true
	res, err := s.Signing.SignAssets(ctxA, []int{u1.ID}, article50.Declaration{
		AIModel: "midjourney-v6", ModificationType: article50.MinorEdit, Purpose: "art", HumanReview: &yes, ReviewerName: "R",
	})
	if err != nil || res[0].Err != nil {
		t.Fatalf("signing u1: %v %+v", err, res)
	}
	if _, err := s.Verifications.VerifyAsset(ctxA, u2.ID); err != nil {
		t.Fatalf("verifying u2: %v", err)
	}
	for _, table := range []string{"scans", "declarations", "verifications", "manifests"} {
		exec(t, s.DB, "UPDATE "+table+" SET created_at = ? WHERE asset_id IN (?, ?)", ServiceTime, u1.ID, u2.ID)
	}
	exec(t, s.DB, "UPDATE assets SET created_at = ? WHERE id IN (?, ?)", ServiceTime, u1.ID, u2.ID)

	for _, a := range accountA {
		g.IDs[a.name] = write(t, s.Client, ctxA, a, col.ID)
	}
	// A declaration made without signing (no certificate) is no sign.
	if _, err := s.Client.Declaration.Create().SetAssetID(g.IDs["a3"]).SetModificationType(declaration.ModificationTypeGeneration).
		SetPurpose("art").SetCreatedAt(accountA[2].at).Save(ctxA); err != nil {
		t.Fatal(err)
	}
	for _, a := range accountB {
		write(t, s.Client, ctxB, a, 0)
	}
	writeJobs(t, s.Client, ctxA, jobsA, col.ID)
	writeJobs(t, s.Client, ctxB, jobsB, 0)
	writeDeliveries(t, s.Client, ctxA, deliveriesA)
	writeDeliveries(t, s.Client, ctxB, deliveriesB)
	return g
}

// upload stores and scans a grey JPEG of width w through the assets
// service.
func upload(t testing.TB, s Services, ctx context.Context, name string, w int) *ent.Asset {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, w, 30)), nil); err != nil {
		t.Fatal(err)
	}
	res, err := s.Assets.Scan(ctx, assets.ScanRequest{Files: []assets.Upload{{FileName: name, Content: bytes.NewReader(b.Bytes()), Size: int64(b.Len())}}})
	if err != nil || res.Files[0].Err != nil {
		t.Fatalf("scanning %s: %v %+v", name, err, res)
	}
	return res.Files[0].Asset
}

// exec runs a statement written with ? placeholders.
func exec(t testing.TB, d *db.DB, stmt string, args ...any) {
	t.Helper()
	if d.Dialect == dialect.Postgres {
		for i := 1; strings.Contains(stmt, "?"); i++ {
			stmt = strings.Replace(stmt, "?", fmt.Sprintf("$%d", i), 1)
		}
	}
	if _, err := d.SQL.ExecContext(context.Background(), stmt, args...); err != nil {
		t.Fatalf("%s: %v", stmt, err)
	}
}

// write stores a and its rows, returning its ID.
func write(t testing.TB, c *ent.Client, ctx context.Context, a asset, collection int) int {
	t.Helper()
	create := c.Asset.Create().SetFileName(a.name + ".bin").SetMediaType(a.mediaType).SetSize(a.size).
		SetSha256(strings.Repeat(a.name[1:], 64)[:64]).SetCid("bafy" + a.name).SetOriginalBlobKey("blob/" + a.name).
		SetStatus("SCANNED").SetCreatedAt(a.at)
	if a.inColl && collection != 0 {
		create.AddCollectionIDs(collection)
	}
	if a.signed {
		create.SetStatus("SIGNED").SetSignedSha256(strings.Repeat("f", 64)).SetSignedCid("bafysigned" + a.name).SetSignedAt(a.at)
	}
	row, err := create.Save(ctx)
	if err != nil {
		t.Fatalf("asset %s: %v", a.name, err)
	}
	if a.rescanned {
		if _, err := c.Scan.Create().SetAssetID(row.ID).SetVerdict(scan.VerdictNoAIMarking).SetCreatedAt(a.at.Add(-time.Hour)).Save(ctx); err != nil {
			t.Fatal(err)
		}
	}
	sc := c.Scan.Create().SetAssetID(row.ID).SetVerdict(a.verdict).SetCreatedAt(a.at)
	if a.model != "" {
		sc.SetAiModel(a.model)
	}
	if _, err := sc.Save(ctx); err != nil {
		t.Fatal(err)
	}
	later := a.at.Add(time.Minute)
	if a.signed {
		d := c.Declaration.Create().SetAssetID(row.ID).SetAiModel(a.model).SetModificationType(a.modType).
			SetCertificateBlobKey("cert/" + a.name).SetCreatedAt(later)
		if a.purpose != "" {
			d.SetPurpose(a.purpose)
		}
		if _, err := d.Save(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if a.tier != "" {
		if _, err := c.Verification.Create().SetPublicID("v-" + a.name + fmt.Sprint(row.ID)).SetAssetID(row.ID).
			SetTrustTier(a.tier).SetCreatedAt(later).Save(ctx); err != nil {
			t.Fatal(err)
		}
	}
	return row.ID
}

func writeJobs(t testing.TB, c *ent.Client, ctx context.Context, rows []jobRow, collection int) {
	t.Helper()
	for _, j := range rows {
		create := c.Job.Create().SetKind(job.KindScan).SetStatus(j.status).SetCreatedAt(j.at).
			SetTotalAssets(j.done + j.fails).SetCompletedAssets(j.done).SetFailedAssets(j.fails)
		if j.started >= 0 {
			start := j.at.Add(j.started)
			create.SetStartedAt(start)
			if j.ran >= 0 {
				create.SetCompletedAt(start.Add(j.ran))
			}
		}
		if j.inColl && collection != 0 {
			create.SetCollectionID(collection)
		}
		if _, err := create.Save(ctx); err != nil {
			t.Fatal(err)
		}
	}
}

func writeDeliveries(t testing.TB, c *ent.Client, ctx context.Context, rows []delivery) {
	t.Helper()
	hook, err := c.Webhook.Create().SetURL("https://hooks.example/x").SetEvents([]string{"asset.signed"}).SetSecret("whsec_x").Save(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i, d := range rows {
		create := c.WebhookDelivery.Create().SetWebhookID(hook.ID).SetMessageID(fmt.Sprintf("msg_%d", i)).SetEvent("asset.signed").
			SetSucceeded(d.ok).SetCreatedAt(d.at)
		if d.latency >= 0 {
			create.SetLatencyMs(d.latency)
		}
		if _, err := create.Save(ctx); err != nil {
			t.Fatal(err)
		}
	}
}
