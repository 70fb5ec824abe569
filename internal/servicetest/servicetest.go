// Package servicetest wires the domain services over one test database and
// a blob folder, as the server does, for the tests of the services that sit
// on top of the others (signing, analytics): one place to build the stack,
// so that those tests differ only in what they check.
package servicetest

import (
	"bytes"
	"context"
	"testing"
	"time"

	"provgraph/accounts"
	"provgraph/assets"
	"provgraph/c2pa"
	"provgraph/c2pa/devsigner"
	"provgraph/c2pa/trust"
	"provgraph/collections"
	"provgraph/db"
	"provgraph/db/dbtest"
	"provgraph/download"
	"provgraph/ent"
	"provgraph/ent/account"
	"provgraph/ent/schema/tenant"
	"provgraph/events"
	"provgraph/signing"
	"provgraph/storage"
	"provgraph/verifications"
)

// PublicURL is the public address the stack's services build links on.
const PublicURL = "https://p.example"

// DownloadTTL is how long the stack's signed download URLs last.
const DownloadTTL = 5 * time.Minute

// Stack is the services over one database and blob folder.
type Stack struct {
	DB            *db.DB
	Client        *ent.Client
	Store         *storage.Store
	Events        *events.Service
	DevSigner     *devsigner.DevSigner
	Downloads     *download.Signer
	Verifications *verifications.Service
	Signing       *signing.Service
	Assets        *assets.Service
}

// New builds the stack on the database at url (see dbtest.Run): a
// development signer, no official trust lists, a one-hour verification TTL.
func New(t testing.TB, url string) *Stack {
	t.Helper()
	ctx := context.Background()
	d := dbtest.Open(t, url)
	client := d.Client()
	store, err := storage.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	ds, err := devsigner.Dev(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ts, err := trust.New(trust.Config{NoOfficialLists: true})
	if err != nil {
		t.Fatal(err)
	}
	downloads, err := download.NewSigner(bytes.Repeat([]byte("k"), 32), nil)
	if err != nil {
		t.Fatal(err)
	}
	ev := events.NewService(client, events.NewBroker())
	v := verifications.NewService(client, store, verifications.Options{Trust: ts, TTL: time.Hour, PublicURL: PublicURL})
	return &Stack{
		DB:            d,
		Client:        client,
		Store:         store,
		Events:        ev,
		DevSigner:     ds,
		Downloads:     downloads,
		Verifications: v,
		Signing: signing.NewService(client, store, v, ev, signing.Options{
			Signer:      c2pa.FromDevSigner(ds.Signer),
			Downloads:   downloads,
			DownloadTTL: DownloadTTL,
			PublicURL:   PublicURL,
		}),
		Assets: assets.NewService(client, store, ev, collections.NewService(client, ev), assets.Options{}),
	}
}

// Caller creates an account named name and returns a context acting in it
// with scopes (all of them when none are given).
func (s *Stack) Caller(t testing.TB, name string, scopes ...tenant.Scope) context.Context {
	t.Helper()
	ctx := context.Background()
	acc, err := accounts.NewService(s.Client).CreateAccount(ctx, name, account.PlanStarter)
	if err != nil {
		t.Fatal(err)
	}
	if len(scopes) == 0 {
		scopes = tenant.AllScopes()
	}
	return tenant.NewContext(ctx, tenant.Viewer{AccountID: acc.ID, Scopes: scopes})
}
