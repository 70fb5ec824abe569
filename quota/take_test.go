package quota_test

import (
	"context"
	"errors"
	"testing"

	"provgraph/accounts"
	"provgraph/apierror"
	"provgraph/db/dbtest"
	"provgraph/ent/account"
	"provgraph/ent/schema/tenant"
	"provgraph/quota"
)

func TestTakePlanQuotas(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, url string) {
		svc, client, _ := newService(t, url, quota.Options{})
		acc := accounts.NewService(client)
		tests := []struct {
			plan account.Plan
			want int
		}{
			{account.PlanStarter, 500},
			{account.PlanBusiness, 2_000},
			{account.PlanEnterprise, 12_000},
		}
		for _, tt := range tests {
			t.Run(string(tt.plan), func(t *testing.T) {
				a, err := acc.CreateAccount(context.Background(), "acme", tt.plan)
				if err != nil {
					t.Fatal(err)
				}
				// Two keys of the account share its monthly quotas.
				first := tenant.NewContext(context.Background(), tenant.Viewer{AccountID: a.ID, APIKeyID: 1})
				second := tenant.NewContext(context.Background(), tenant.Viewer{AccountID: a.ID, APIKeyID: 2})
				takes := []struct {
					name string
					take func(context.Context, int) (quota.Usage, error)
				}{
					{quota.Scan, svc.TakeScans},
					{quota.Sign, svc.TakeSigns},
				}
				for _, take := range takes {
					u, err := take.take(first, tt.want-1)
					if err != nil {
						t.Fatalf("%s: taking %d: %v", take.name, tt.want-1, err)
					}
					if want := quota.Account(a.ID).Limit(take.name, quota.Month, tt.want); u.Limit != want || u.Remaining != 1 {
						t.Errorf("%s: usage %+v, want 1 left of %+v", take.name, u, want)
					}
					if _, err := take.take(second, 1); err != nil {
						t.Fatalf("%s: taking the last one with another key: %v", take.name, err)
					}
					_, err = take.take(first, 1)
					var ex *quota.ExceededError
					if !errors.As(err, &ex) || ex.Limit.Max != tt.want || ex.Limit.Window != quota.Month || ex.Limit.Name != take.name {
						t.Errorf("%s: one more: err = %v, want the monthly quota of %d exceeded", take.name, err, tt.want)
					}
				}
			})
		}
	})
}

func TestTakeKeyLimits(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, url string) {
		svc, client, _ := newService(t, url, quota.Options{
			KeyRequestsPerMinute: 3,
			KeyScansPerDay:       4,
			KeySignsPerDay:       2,
			KeyVerifiesPerDay:    5,
		})
		a, err := accounts.NewService(client).CreateAccount(context.Background(), "acme", account.PlanStarter)
		if err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name   string
			take   func(context.Context, int) (quota.Usage, error)
			max    int
			window quota.Window
		}{
			{quota.Request, func(ctx context.Context, _ int) (quota.Usage, error) { return svc.TakeRequest(ctx) }, 3, quota.Minute},
			{quota.Scan, svc.TakeScans, 4, quota.Day},
			{quota.Sign, svc.TakeSigns, 2, quota.Day},
			{quota.Verify, svc.TakeVerifies, 5, quota.Day},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				key := func(id int) context.Context {
					return tenant.NewContext(context.Background(), tenant.Viewer{AccountID: a.ID, APIKeyID: id})
				}
				for i := range tt.max {
					u, err := tt.take(key(1), 1)
					if err != nil {
						t.Fatalf("take %d: %v", i+1, err)
					}
					if want := quota.APIKey(a.ID, 1).Limit(tt.name, tt.window, tt.max); u.Limit != want || u.Remaining != tt.max-i-1 {
						t.Errorf("take %d: usage %+v, want %d left of %+v", i+1, u, tt.max-i-1, want)
					}
				}
				_, err := tt.take(key(1), 1)
				var ex *quota.ExceededError
				if !errors.As(err, &ex) || ex.Limit != quota.APIKey(a.ID, 1).Limit(tt.name, tt.window, tt.max) {
					t.Fatalf("over the limit: err = %v, want the key's limit exceeded", err)
				}
				if _, err := tt.take(key(2), 1); err != nil {
					t.Errorf("another key: %v", err)
				}
				// A caller without a key (a job working for the account)
				// has no per-key limit.
				if _, err := tt.take(key(0), 1); err != nil {
					t.Errorf("no key: %v", err)
				}
			})
		}
	})
}

func TestTakeUnlimited(t *testing.T) {
	svc, client, _ := newService(t, dbtest.SQLiteURL(t), quota.Options{})
	a, err := accounts.NewService(client).CreateAccount(context.Background(), "acme", account.PlanEnterprise)
	if err != nil {
		t.Fatal(err)
	}
	ctx := tenant.NewContext(context.Background(), tenant.Viewer{AccountID: a.ID, APIKeyID: 1})
	tests := []struct {
		name string
		take func() (quota.Usage, error)
	}{
		{"requests", func() (quota.Usage, error) { return svc.TakeRequest(ctx) }},
		{"verifies", func() (quota.Usage, error) { return svc.TakeVerifies(ctx, 1_000_000) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := tt.take()
			if err != nil || u != (quota.Usage{}) {
				t.Errorf("usage %+v, err %v; want no limit", u, err)
			}
		})
	}
}

func TestTakeWithoutViewer(t *testing.T) {
	svc, _, _ := newService(t, dbtest.SQLiteURL(t), quota.Options{KeyRequestsPerMinute: 1})
	tests := []struct {
		name string
		take func(context.Context) error
	}{
		{"scans", func(ctx context.Context) error { _, err := svc.TakeScans(ctx, 1); return err }},
		{"signs", func(ctx context.Context) error { _, err := svc.TakeSigns(ctx, 1); return err }},
		{"verifies", func(ctx context.Context) error { _, err := svc.TakeVerifies(ctx, 1); return err }},
		{"request", func(ctx context.Context) error { _, err := svc.TakeRequest(ctx); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.take(context.Background()); !errors.Is(err, tenant.ErrNoViewer) || apierror.CodeOf(err) == apierror.RateLimited {
				t.Errorf("err = %v, want ErrNoViewer", err)
			}
		})
	}
}
