package accounts_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"provgraph/accounts"
	"provgraph/apierror"
	"provgraph/db"
	"provgraph/db/dbtest"
	"provgraph/ent"
	"provgraph/ent/account"
	"provgraph/ent/apikey"
	"provgraph/ent/schema/tenant"
)

// newService returns a Service over a fresh, migrated database.
func newService(t *testing.T, url string) (*accounts.Service, *ent.Client) {
	t.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, url, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if _, err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	client := d.Client()
	return accounts.NewService(client), client
}

func TestBootstrap(t *testing.T) {
	tests := []struct {
		name     string
		adminKey string
	}{
		{"random key", ""},
		{"operator key", "k"},
		{"operator key in issued form", "pg_live_abc_def"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc, client := newService(t, dbtest.SQLiteURL(t))
			ctx := context.Background()
			key, created, err := svc.Bootstrap(ctx, tt.adminKey)
			if err != nil || !created {
				t.Fatalf("Bootstrap = %q, %v, %v", key, created, err)
			}
			if tt.adminKey != "" && key != tt.adminKey {
				t.Errorf("key = %q, want the operator's %q", key, tt.adminKey)
			}
			if tt.adminKey == "" && !strings.HasPrefix(key, "pg_live_") {
				t.Errorf("random key %q lacks the pg_live_ prefix", key)
			}
			v, err := svc.Authenticate(ctx, key)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range tenant.AllScopes() {
				if !v.Has(s) {
					t.Errorf("admin key lacks %s", s)
				}
			}
			stored := client.APIKey.Query().OnlyX(tenant.WithSystem(ctx))
			if len(stored.SecretHash) != 32 || strings.Contains(stored.Prefix, key) {
				t.Errorf("the key is not stored as a SHA-256 hash only: prefix %q, hash %d bytes", stored.Prefix, len(stored.SecretHash))
			}
			again, created, err := svc.Bootstrap(ctx, "other")
			if err != nil || created || again != "" {
				t.Errorf("second Bootstrap = %q, %v, %v; want nothing done", again, created, err)
			}
			if n := client.Account.Query().CountX(tenant.WithSystem(ctx)); n != 1 {
				t.Errorf("%d accounts after two bootstraps", n)
			}
		})
	}
}

func TestAuthenticate(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, url string) {
		svc, client := newService(t, url)
		ctx := context.Background()
		acct, err := svc.CreateAccount(ctx, "acme", account.PlanBusiness)
		if err != nil {
			t.Fatal(err)
		}
		good, goodKey, err := svc.CreateKeyFor(ctx, acct.ID, "ci", []tenant.Scope{tenant.ScopeScan, tenant.ScopeVerifyRead}, "")
		if err != nil {
			t.Fatal(err)
		}
		if good.LastUsedAt != nil {
			t.Fatal("new key already used")
		}
		_, revokedKey, err := svc.CreateKeyFor(ctx, acct.ID, "old", []tenant.Scope{tenant.ScopeScan}, "")
		if err != nil {
			t.Fatal(err)
		}
		asAcct := tenant.NewContext(ctx, tenant.Viewer{AccountID: acct.ID, Scopes: tenant.AllScopes()})
		old := client.APIKey.Query().Where(apikey.Name("old")).OnlyX(asAcct)
		if _, err := svc.RevokeKey(asAcct, old.ID); err != nil {
			t.Fatal(err)
		}

		tests := []struct {
			name    string
			key     string
			wantErr error
		}{
			{"valid", goodKey, nil},
			{"empty", "", accounts.ErrInvalidKey},
			{"unknown id", "pg_live_aaaaaaaaaaaaaaaa_bbbb", accounts.ErrInvalidKey},
			{"wrong secret", goodKey[:len(goodKey)-1] + "x", accounts.ErrInvalidKey},
			{"no secret", goodKey[:strings.LastIndex(goodKey, "_")+1], accounts.ErrInvalidKey},
			{"revoked", revokedKey, accounts.ErrRevokedKey},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				v, err := svc.Authenticate(ctx, tt.key)
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				if tt.wantErr != nil {
					if apierror.CodeOf(err) != apierror.Unauthenticated {
						t.Errorf("code = %s", apierror.CodeOf(err))
					}
					return
				}
				if v.AccountID != acct.ID || v.APIKeyID != good.ID || !v.Has(tenant.ScopeScan) || v.Has(tenant.ScopeAdmin) || v.Has(tenant.ScopeSign) {
					t.Errorf("viewer = %+v", v)
				}
			})
		}
		used := client.APIKey.GetX(asAcct, good.ID)
		if used.LastUsedAt == nil {
			t.Error("last_used_at not recorded")
		}
	})
}

func TestCreateAccountQuotas(t *testing.T) {
	svc, _ := newService(t, dbtest.SQLiteURL(t))
	for _, plan := range []account.Plan{account.PlanStarter, account.PlanBusiness, account.PlanEnterprise} {
		t.Run(string(plan), func(t *testing.T) {
			a, err := svc.CreateAccount(context.Background(), "acme", plan)
			if err != nil {
				t.Fatal(err)
			}
			want := accounts.PlanQuotas(plan)
			got := accounts.Quotas{MonthlyAssets: a.MonthlyAssetQuota, StorageBytes: a.StorageQuotaBytes, RetentionDays: a.RetentionDays}
			if got != want || a.Plan != plan {
				t.Errorf("account %+v, want plan %s with %+v", a, plan, want)
			}
		})
	}
	// The plans of the systems provgraph replaces: monthly scans and signs,
	// and how many days signed outputs are kept.
	for plan, want := range map[account.Plan][2]int{
		account.PlanStarter: {500, 7}, account.PlanBusiness: {2_000, 21}, account.PlanEnterprise: {12_000, 45},
	} {
		q := accounts.PlanQuotas(plan)
		if q.MonthlyAssets != want[0] || q.RetentionDays != want[1] {
			t.Errorf("%s: %+v, want %d a month, %d days", plan, q, want[0], want[1])
		}
	}
}

func TestCreateKeyValidation(t *testing.T) {
	svc, _ := newService(t, dbtest.SQLiteURL(t))
	ctx := context.Background()
	acct, err := svc.CreateAccount(ctx, "acme", account.PlanStarter)
	if err != nil {
		t.Fatal(err)
	}
	asAcct := tenant.NewContext(ctx, tenant.Viewer{AccountID: acct.ID, Scopes: tenant.AllScopes()})
	tests := []struct {
		name   string
		scopes []tenant.Scope
	}{
		{"no scopes", nil},
		{"unknown scope", []tenant.Scope{"root"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := svc.CreateKey(asAcct, "k", tt.scopes)
			if apierror.CodeOf(err) != apierror.InvalidInput {
				t.Errorf("err = %v, want INVALID_INPUT", err)
			}
		})
	}
	if _, _, err := svc.CreateKey(ctx, "k", []tenant.Scope{tenant.ScopeScan}); !errors.Is(err, tenant.ErrNoViewer) {
		t.Errorf("without a caller: err = %v, want ErrNoViewer", err)
	}
}

// TestKeyForms checks that keys are issued in the NotarAI shape
// pg_live_key_<keyId>_<secret> and that keys of the older
// pg_live_<keyId>_<secret> form, and operator-chosen keys, still work.
func TestKeyForms(t *testing.T) {
	svc, _ := newService(t, dbtest.SQLiteURL(t))
	ctx := context.Background()
	acct, err := svc.CreateAccount(ctx, "acme", account.PlanStarter)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		raw        string // "" issues a random key
		wantPrefix string
	}{
		{"issued", "", "pg_live_key_"},
		{"issued form, chosen", "pg_live_key_abcdefgh_s3cr3t", "pg_live_key_"},
		{"older form", "pg_live_ijklmnop_s3cr3t", "pg_live_"},
		{"older form, id key", "pg_live_key_s3cr3t", "pg_live_"},
		{"operator key", "my-operator-key", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stored, key, err := svc.CreateKeyFor(ctx, acct.ID, tt.name, []tenant.Scope{tenant.ScopeScan}, tt.raw)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(key, tt.wantPrefix) {
				t.Errorf("key %q lacks the prefix %q", key, tt.wantPrefix)
			}
			if tt.raw == "" && strings.Count(key, "_") != 4 {
				t.Errorf("issued key %q is not pg_live_key_<keyId>_<secret>", key)
			}
			v, err := svc.Authenticate(ctx, key)
			if err != nil || v.APIKeyID != stored.ID {
				t.Fatalf("Authenticate = %+v, %v; want key %d", v, err, stored.ID)
			}
			if _, err := svc.Authenticate(ctx, key+"x"); !errors.Is(err, accounts.ErrInvalidKey) {
				t.Errorf("wrong secret: err = %v, want ErrInvalidKey", err)
			}
		})
	}
}
