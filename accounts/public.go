package accounts

import (
	"context"
	"fmt"

	"provgraph/db"
	"provgraph/ent"
	"provgraph/ent/account"
	"provgraph/ent/schema/tenant"
)

// PublicAccountName names the account that owns what visitors without an
// API key create: the files they check on the public /verify page. No key
// is ever made for it, so nobody can sign in to it; its rows are read only
// through the public pages, by their unguessable ids.
const PublicAccountName = "provgraph:public"

// Public returns a caller acting for the public account, creating the
// account on first use. Two instances racing on an empty database may
// both create one; the one with the lowest id is used from then on, and
// the other's rows stay readable by their public ids until they expire.
func (s *Service) Public(ctx context.Context) (tenant.Viewer, error) {
	find := func(ctx context.Context) (*ent.Account, error) {
		return db.ClientFrom(ctx, s.client).Account.Query().
			Where(account.Name(PublicAccountName)).
			Order(ent.Asc(account.FieldID)).
			First(tenant.WithSystem(ctx))
	}
	a, err := find(ctx)
	if ent.IsNotFound(err) {
		err = db.WithTx(ctx, s.client, func(ctx context.Context) error {
			if a, err = find(ctx); !ent.IsNotFound(err) {
				return err
			}
			a, err = s.CreateAccount(ctx, PublicAccountName, account.PlanStarter)
			return err
		})
	}
	if err != nil {
		return tenant.Viewer{}, fmt.Errorf("accounts: public account: %w", err)
	}
	return tenant.Viewer{AccountID: a.ID, Scopes: []tenant.Scope{tenant.ScopeVerifyRead}}, nil
}
