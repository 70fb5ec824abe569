package accounts_test

import (
	"context"
	"testing"

	"provgraph/accounts"
	"provgraph/db/dbtest"
	"provgraph/ent/account"
	"provgraph/ent/apikey"
	"provgraph/ent/schema/tenant"
)

func TestPublicAccount(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, url string) {
		svc, client := newService(t, url)
		ctx := context.Background()
		if _, _, err := svc.Bootstrap(ctx, ""); err != nil {
			t.Fatal(err)
		}
		first, err := svc.Public(ctx)
		if err != nil {
			t.Fatal(err)
		}
		again, err := svc.Public(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if first.AccountID != again.AccountID || first.APIKeyID != 0 || !first.Has(tenant.ScopeVerifyRead) || first.Has(tenant.ScopeSign) {
			t.Fatalf("Public = %+v, then %+v", first, again)
		}
		sys := tenant.WithSystem(ctx)
		if n := client.Account.Query().Where(account.Name(accounts.PublicAccountName)).CountX(sys); n != 1 {
			t.Errorf("%d public accounts, want 1", n)
		}
		if n := client.APIKey.Query().Where(apikey.AccountID(first.AccountID)).CountX(sys); n != 0 {
			t.Errorf("the public account has %d keys, want none", n)
		}
	})
}
