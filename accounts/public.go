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
	viewer := func(id int) tenant.Viewer {
		return tenant.Viewer{AccountID: id, Scopes: []tenant.Scope{tenant.ScopeVerifyRead}}
	}
	if id := s.public.Load(); id != 0 {
		return viewer(int(id)), nil
	}
	find := func(ctx context.Context) (*ent.Account, error) {
		return db.ClientFrom(ctx, s.client).Account.Query().
			Where(account.Name(PublicAccountName)).
			Order(ent.Asc(account.FieldID)).
			First(tenant.WithSystem(ctx))
	}
	a, err := find(ctx)
	if err == nil && ent.TxFromContext(ctx) == nil {
		// Read back outside a transaction: committed, and the lowest id of
		// any racing creation that committed. It is kept from now on.
		s.public.Store(int64(a.ID))
	}
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
	return viewer(a.ID), nil
}
