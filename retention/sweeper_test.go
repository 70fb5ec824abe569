package retention_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"provgraph/accounts"
	"provgraph/db/dbtest"
	"provgraph/ent"
	"provgraph/ent/account"
	"provgraph/ent/asset"
	"provgraph/ent/declaration"
	"provgraph/ent/schema/tenant"
	"provgraph/ent/verification"
	"provgraph/retention"
	"provgraph/storage"
	"provgraph/storage/storagetest"
	"provgraph/verifications"
)

// env is a migrated database and a blob store, shared by the sweepers of a
// test.
type env struct {
	url    string
	client *ent.Client
	store  *storage.Store
}

func newEnv(t *testing.T, url string) *env {
	t.Helper()
	return &env{url: url, client: dbtest.Open(t, url).Client(), store: storagetest.Open(t)}
}

// sys is the context the fixtures are written in.
var sys = tenant.WithSystem(context.Background())

func (e *env) account(t *testing.T, plan account.Plan) *ent.Account {
	t.Helper()
	a, err := accounts.NewService(e.client).CreateAccount(sys, "acct-"+string(plan), plan)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// blob stores a small blob under key.
func (e *env) blob(t *testing.T, key string) string {
	t.Helper()
	if _, err := e.store.Put(sys, key, strings.NewReader("bytes of "+key), "application/octet-stream", 0); err != nil {
		t.Fatal(err)
	}
	return key
}

func (e *env) exists(t *testing.T, key string) bool {
	t.Helper()
	ok, err := e.store.Exists(sys, key)
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

// asset creates an asset of acc with an original blob; signedAt, when not
// zero, makes it SIGNED with a signed output and a certificate.
func (e *env) asset(t *testing.T, acc *ent.Account, name string, signedAt time.Time) *ent.Asset {
	t.Helper()
	c := e.client.Asset.Create().
		SetAccountID(acc.ID).
		SetFileName(name).
		SetMediaType("image/jpeg").
		SetSize(10).
		SetSha256(strings.Repeat("0", 64)).
		SetOriginalBlobKey(e.blob(t, "originals/"+name)).
		SetStatus(asset.StatusScanned)
	if !signedAt.IsZero() {
		c.SetStatus(asset.StatusSigned).
			SetSignedAt(signedAt).
			SetSignedBlobKey(e.blob(t, "signed/"+name))
	}
	a, err := c.Save(sys)
	if err != nil {
		t.Fatal(err)
	}
	if !signedAt.IsZero() {
		_, err := e.client.Declaration.Create().
			SetAccountID(acc.ID).
			SetAssetID(a.ID).
			SetModificationType(declaration.ModificationTypeGeneration).
			SetCertificateBlobKey(e.blob(t, "certificates/"+name)).
			Save(sys)
		if err != nil {
			t.Fatal(err)
		}
	}
	return a
}

func (e *env) reload(t *testing.T, a *ent.Asset) *ent.Asset {
	t.Helper()
	got, err := e.client.Asset.Get(sys, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestSweepPurgesWhatExpired(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, url string) {
		e := newEnv(t, url)
		starter := e.account(t, account.PlanStarter)       // keeps signed outputs RetentionDays
		enterprise := e.account(t, account.PlanEnterprise) // keeps them forever
		t0 := time.Now()

		signed := e.asset(t, starter, "signed.jpg", t0)
		forever := e.asset(t, enterprise, "forever.jpg", t0)
		abandoned := e.asset(t, starter, "abandoned.jpg", time.Time{})
		expiring, err := e.client.Verification.Create().
			SetAccountID(starter.ID).
			SetPublicID("v-expiring").
			SetTrustTier(verification.TrustTierVerified).
			SetExpiresAt(t0.Add(time.Hour)).
			Save(sys)
		if err != nil {
			t.Fatal(err)
		}
		kept, err := e.client.Verification.Create().
			SetAccountID(starter.ID).
			SetPublicID("v-kept").
			SetTrustTier(verification.TrustTierVerified).
			Save(sys)
		if err != nil {
			t.Fatal(err)
		}
		days := starter.RetentionDays
		if days <= 0 {
			t.Fatalf("starter plan keeps signed outputs forever (%d days): the test needs a limit", days)
		}

		// state is what the graph and the store show of an asset.
		type state struct {
			status             asset.Status
			original, output   bool // blob present
			originalPurged     bool // original_purged_at set
			outputPurged       bool // signed_purged_at set
			certificatePresent bool
		}
		look := func(a *ent.Asset) state {
			a = e.reload(t, a)
			s := state{
				status:         a.Status,
				original:       e.exists(t, a.OriginalBlobKey),
				originalPurged: a.OriginalPurgedAt != nil,
				outputPurged:   a.SignedPurgedAt != nil,
			}
			if a.SignedBlobKey != nil {
				s.output = e.exists(t, *a.SignedBlobKey)
				s.certificatePresent = e.exists(t, "certificates/"+a.FileName)
			}
			return s
		}
		verificationCount := func() int {
			n, err := e.client.Verification.Query().Where(verification.IDIn(expiring.ID, kept.ID)).Count(sys)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}

		steps := []struct {
			name          string
			at            time.Duration
			want          retention.Report
			signed        state
			forever       state
			abandoned     state
			verifications int
		}{
			{
				name:          "ten minutes after signing nothing goes",
				at:            10 * time.Minute,
				signed:        state{status: asset.StatusSigned, original: true, output: true, certificatePresent: true},
				forever:       state{status: asset.StatusSigned, original: true, output: true, certificatePresent: true},
				abandoned:     state{status: asset.StatusScanned, original: true},
				verifications: 2,
			},
			{
				name:          "sixteen minutes after signing the originals go",
				at:            16 * time.Minute,
				want:          retention.Report{Originals: 2},
				signed:        state{status: asset.StatusSigned, originalPurged: true, output: true, certificatePresent: true},
				forever:       state{status: asset.StatusSigned, originalPurged: true, output: true, certificatePresent: true},
				abandoned:     state{status: asset.StatusScanned, original: true},
				verifications: 2,
			},
			{
				name:          "after 73 hours the unsigned upload and the expired verification go",
				at:            73 * time.Hour,
				want:          retention.Report{Abandoned: 1, Verifications: 1},
				signed:        state{status: asset.StatusSigned, originalPurged: true, output: true, certificatePresent: true},
				forever:       state{status: asset.StatusSigned, originalPurged: true, output: true, certificatePresent: true},
				abandoned:     state{status: asset.StatusExpired, originalPurged: true},
				verifications: 1,
			},
			{
				name:          "after the plan's days the signed output and certificate go",
				at:            time.Duration(days)*24*time.Hour + time.Hour,
				want:          retention.Report{SignedOutputs: 1},
				signed:        state{status: asset.StatusExpired, originalPurged: true, outputPurged: true},
				forever:       state{status: asset.StatusSigned, originalPurged: true, output: true, certificatePresent: true},
				abandoned:     state{status: asset.StatusExpired, originalPurged: true},
				verifications: 1,
			},
			{
				name:          "a second sweep finds nothing left",
				at:            time.Duration(days)*24*time.Hour + 2*time.Hour,
				signed:        state{status: asset.StatusExpired, originalPurged: true, outputPurged: true},
				forever:       state{status: asset.StatusSigned, originalPurged: true, output: true, certificatePresent: true},
				abandoned:     state{status: asset.StatusExpired, originalPurged: true},
				verifications: 1,
			},
		}
		for _, st := range steps {
			now := func() time.Time { return t0.Add(st.at) }
			sw := retention.NewSweeper(e.client, e.store, retention.Options{
				Now:           now,
				Verifications: verifications.NewService(e.client, e.store, verifications.Options{Now: now}),
			})
			got, err := sw.Sweep(context.Background())
			if err != nil {
				t.Fatalf("%s: %v", st.name, err)
			}
			if got != st.want {
				t.Errorf("%s: report %+v, want %+v", st.name, got, st.want)
			}
			for _, c := range []struct {
				name string
				a    *ent.Asset
				want state
			}{{"signed", signed, st.signed}, {"forever", forever, st.forever}, {"abandoned", abandoned, st.abandoned}} {
				if s := look(c.a); s != c.want {
					t.Errorf("%s: %s asset %+v, want %+v", st.name, c.name, s, c.want)
				}
			}
			if n := verificationCount(); n != st.verifications {
				t.Errorf("%s: %d verifications left, want %d", st.name, n, st.verifications)
			}
		}
	})
}

// TestConcurrentSweepers runs two sweepers, each with its own connection
// pool, over the same rows at once: every row is purged exactly once.
func TestConcurrentSweepers(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, url string) {
		e := newEnv(t, url)
		other := newEnv(t, url) // a second instance: its own pool (same store)
		other.store = e.store
		acc := e.account(t, account.PlanBusiness)
		t0 := time.Now()
		const n = 40
		var all []*ent.Asset
		for i := range n {
			signedAt := time.Time{}
			if i%2 == 0 {
				signedAt = t0
			}
			all = append(all, e.asset(t, acc, fmt.Sprintf("a%02d.jpg", i), signedAt))
		}
		at := t0.Add(73 * time.Hour)
		var wg sync.WaitGroup
		reports := make([]retention.Report, 2)
		errs := make([]error, 2)
		for i, client := range []*ent.Client{e.client, other.client} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sw := retention.NewSweeper(client, e.store, retention.Options{
					BatchSize: n,
					Now:       func() time.Time { return at },
				})
				reports[i], errs[i] = sw.Sweep(context.Background())
			}()
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("sweeper %d: %v", i, err)
			}
		}
		sum := retention.Report{
			Originals: reports[0].Originals + reports[1].Originals,
			Abandoned: reports[0].Abandoned + reports[1].Abandoned,
		}
		if sum != (retention.Report{Originals: n / 2, Abandoned: n / 2}) {
			t.Errorf("sweepers purged %+v and %+v together, want each of %d originals once", reports[0], reports[1], n)
		}
		for _, a := range all {
			got := e.reload(t, a)
			if got.OriginalPurgedAt == nil || e.exists(t, a.OriginalBlobKey) {
				t.Errorf("asset %s: original purged at %v, blob present %v", a.FileName, got.OriginalPurgedAt, e.exists(t, a.OriginalBlobKey))
			}
		}
		t.Logf("sweeper reports: %+v, %+v", reports[0], reports[1])
	})
}
