package collections_test

import (
	"context"
	"maps"
	"strings"
	"testing"

	"provgraph/accounts"
	"provgraph/apierror"
	"provgraph/collections"
	"provgraph/db/dbtest"
	"provgraph/ent"
	"provgraph/ent/account"
	"provgraph/ent/schema/tenant"
	"provgraph/events"
)

func TestAddAssets(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, url string) {
		client := dbtest.Open(t, url).Client()
		svc := collections.NewService(client, events.NewService(client, events.NewBroker()))
		acc := accounts.NewService(client)
		caller := func(name string) context.Context {
			a, err := acc.CreateAccount(context.Background(), name, account.PlanStarter)
			if err != nil {
				t.Fatal(err)
			}
			return tenant.NewContext(context.Background(), tenant.Viewer{AccountID: a.ID, Scopes: tenant.AllScopes()})
		}
		mine, theirs := caller("mine"), caller("theirs")
		newAsset := func(ctx context.Context, name string) int {
			return client.Asset.Create().
				SetFileName(name).SetMediaType("image/jpeg").SetSize(1).
				SetSha256(strings.Repeat("0", 64)).SetOriginalBlobKey("originals/" + name).
				SaveX(ctx).ID
		}
		a1, a2 := newAsset(mine, "a1"), newAsset(mine, "a2")
		foreign := newAsset(theirs, "f")
		col, err := svc.Create(mine, ent.CreateCollectionInput{Name: "c"})
		if err != nil {
			t.Fatal(err)
		}
		theirCol, err := svc.Create(theirs, ent.CreateCollectionInput{Name: "t"})
		if err != nil {
			t.Fatal(err)
		}

		tests := []struct {
			name       string
			ctx        context.Context
			collection int
			assets     []int
			wantCode   apierror.Code
			wantCount  int // assets in col afterwards
		}{
			{"adds", mine, col.ID, []int{a1}, "", 1},
			{"again and a new one, repeated", mine, col.ID, []int{a1, a2, a2}, "", 2},
			{"another account's asset", mine, col.ID, []int{foreign}, apierror.NotFound, 2},
			{"another account's asset among own", mine, col.ID, []int{a1, foreign}, apierror.NotFound, 2},
			{"another account's collection", mine, theirCol.ID, []int{a1}, apierror.NotFound, 2},
			{"own asset into another account's collection", theirs, col.ID, []int{foreign}, apierror.NotFound, 2},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := svc.AddAssets(tt.ctx, tt.collection, tt.assets)
				if got := apierror.CodeOf(err); got != tt.wantCode {
					t.Fatalf("AddAssets: %v (code %q), want code %q", err, got, tt.wantCode)
				}
				n := client.Collection.GetX(mine, col.ID).QueryAssets().CountX(mine)
				if n != tt.wantCount {
					t.Errorf("collection holds %d assets, want %d", n, tt.wantCount)
				}
				if n := client.Collection.GetX(theirs, theirCol.ID).QueryAssets().CountX(theirs); n != 0 {
					t.Errorf("the other account's collection holds %d assets", n)
				}
			})
		}

		// AssetCounts: one grouped query for a page of collections, and
		// only what the caller may see.
		empty, err := svc.Create(mine, ent.CreateCollectionInput{Name: "empty"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.AddAssets(theirs, theirCol.ID, []int{foreign}); err != nil {
			t.Fatal(err)
		}
		ids := []int{col.ID, empty.ID, theirCol.ID}
		for _, c := range []struct {
			name string
			ctx  context.Context
			want map[int]int
		}{
			{"mine", mine, map[int]int{col.ID: 2}},
			{"theirs", theirs, map[int]int{theirCol.ID: 1}},
		} {
			got, err := svc.AssetCounts(c.ctx, ids)
			if err != nil {
				t.Fatalf("%s: AssetCounts: %v", c.name, err)
			}
			if !maps.Equal(got, c.want) {
				t.Errorf("%s: AssetCounts = %v, want %v", c.name, got, c.want)
			}
		}
		if got, err := svc.AssetCounts(mine, nil); err != nil || len(got) != 0 {
			t.Errorf("AssetCounts(nil) = %v, %v", got, err)
		}
	})
}
