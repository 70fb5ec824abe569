package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"provgraph/db/dbtest"
	"provgraph/ent/account"
	"provgraph/ent/schema/tenant"
)

const (
	createCollection = `mutation($input: CreateCollectionInput!) { createCollection(input: $input) { id name description } }`
	updateCollection = `mutation($id: ID!, $input: UpdateCollectionInput!) { updateCollection(id: $id, input: $input) { id name } }`
	listCollections  = `{ collections(first: 10) { totalCount edges { node { id name } } } }`
	nodeName         = `query($id: ID!) { node(id: $id) { id ... on Collection { name } } }`
	createKey        = `mutation($input: CreateAPIKeyInput!) { createAPIKey(input: $input) { key apiKey { id prefix scopes } } }`
	revokeKey        = `mutation($id: ID!) { revokeAPIKey(id: $id) { id revokedAt } }`
)

type collection struct {
	ID          string  `json:"id"`
	Name        string  `json:"name"`
	Description *string `json:"description"`
}

type collectionList struct {
	Collections struct {
		TotalCount int `json:"totalCount"`
		Edges      []struct {
			Node collection `json:"node"`
		} `json:"edges"`
	} `json:"collections"`
}

type newKey struct {
	CreateAPIKey struct {
		Key    string `json:"key"`
		APIKey struct {
			ID     string   `json:"id"`
			Prefix string   `json:"prefix"`
			Scopes []string `json:"scopes"`
		} `json:"apiKey"`
	} `json:"createAPIKey"`
}

func TestCollectionsEndToEnd(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, url string) {
		app, srv := newTestServer(t, url)

		// Create, list and resolve a collection with the admin key.
		var created struct{ CreateCollection collection }
		mustData(t, srv, adminKey, createCollection, map[string]any{"input": map[string]any{"name": "a", "description": "b"}}, &created)
		c := created.CreateCollection
		if c.ID == "" || c.Name != "a" || c.Description == nil || *c.Description != "b" {
			t.Fatalf("createCollection returned %+v", c)
		}
		var list collectionList
		mustData(t, srv, adminKey, listCollections, nil, &list)
		if list.Collections.TotalCount != 1 || len(list.Collections.Edges) != 1 || list.Collections.Edges[0].Node != (collection{ID: c.ID, Name: "a"}) {
			t.Fatalf("collections = %+v, want the one created", list.Collections)
		}
		var node struct{ Node *collection }
		mustData(t, srv, adminKey, nodeName, map[string]any{"id": c.ID}, &node)
		if node.Node == nil || node.Node.ID != c.ID || node.Node.Name != "a" {
			t.Fatalf("node(%s) = %+v", c.ID, node.Node)
		}
		var updated struct{ UpdateCollection collection }
		mustData(t, srv, adminKey, updateCollection, map[string]any{"id": c.ID, "input": map[string]any{"name": "a2"}}, &updated)
		if updated.UpdateCollection.Name != "a2" {
			t.Fatalf("updateCollection = %+v", updated.UpdateCollection)
		}

		// Keys: one without the scan scope, one revoked.
		var readOnly, revoked newKey
		mustData(t, srv, adminKey, createKey, map[string]any{"input": map[string]any{"name": "ro", "scopes": []string{"VERIFY_READ"}}}, &readOnly)
		mustData(t, srv, adminKey, createKey, map[string]any{"input": map[string]any{"name": "old", "scopes": []string{"SCAN"}}}, &revoked)
		if got := readOnly.CreateAPIKey.APIKey.Scopes; len(got) != 1 || got[0] != "VERIFY_READ" {
			t.Fatalf("scopes = %v", got)
		}
		mustData(t, srv, revoked.CreateAPIKey.Key, listCollections, nil, &list) // works before revocation
		var rev struct{ RevokeAPIKey struct{ RevokedAt *string } }
		mustData(t, srv, adminKey, revokeKey, map[string]any{"id": revoked.CreateAPIKey.APIKey.ID}, &rev)
		if rev.RevokeAPIKey.RevokedAt == nil {
			t.Fatal("revokeAPIKey did not set revokedAt")
		}

		tests := []struct {
			name     string
			key      string
			query    string
			vars     map[string]any
			wantCode string
		}{
			{"no key", "", listCollections, nil, "UNAUTHENTICATED"},
			{"unknown key", "pg_live_nosuchkey_secret", listCollections, nil, "UNAUTHENTICATED"},
			{"wrong secret", readOnly.CreateAPIKey.Key + "x", listCollections, nil, "UNAUTHENTICATED"},
			{"revoked key", revoked.CreateAPIKey.Key, listCollections, nil, "UNAUTHENTICATED"},
			{"no key, mutation", "", createCollection, map[string]any{"input": map[string]any{"name": "x"}}, "UNAUTHENTICATED"},
			{"missing scan scope", readOnly.CreateAPIKey.Key, createCollection, map[string]any{"input": map[string]any{"name": "x"}}, "FORBIDDEN"},
			{"missing admin scope", readOnly.CreateAPIKey.Key, `{ apiKeys(first: 1) { totalCount } }`, nil, "FORBIDDEN"},
			{"invalid input", adminKey, createCollection, map[string]any{"input": map[string]any{"name": ""}}, "INVALID_INPUT"},
			{"unknown node", adminKey, nodeName, map[string]any{"id": "12884905000"}, "NOT_FOUND"},
			{"malformed id", adminKey, nodeName, map[string]any{"id": "abc"}, "INVALID_INPUT"},
			{"negative page size", adminKey, `{ collections(first: -1) { totalCount } }`, nil, "INVALID_INPUT"},
			{"too deep", adminKey, `{ assets(first: 1) { edges { node { collections(first: 1) { edges { node { assets(first: 1) { edges { node { collections(first: 1) { edges { node { id } } } } } } } } } } } } }`, nil, "INVALID_INPUT"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				res := post(t, srv, tt.key, tt.query, tt.vars)
				if got := res.code(); got != tt.wantCode {
					t.Errorf("code = %q, want %q (errors %+v, data %s)", got, tt.wantCode, res.Errors, res.Data)
				}
			})
		}

		// The read-only key reads, and the failed create changed nothing.
		mustData(t, srv, readOnly.CreateAPIKey.Key, listCollections, nil, &list)
		if list.Collections.TotalCount != 1 {
			t.Fatalf("totalCount = %d after refused creates, want 1", list.Collections.TotalCount)
		}

		// A second account sees nothing of the first one's.
		ctx := context.Background()
		other, err := app.Deps.Accounts.CreateAccount(ctx, "other", account.PlanStarter)
		if err != nil {
			t.Fatal(err)
		}
		_, otherKey, err := app.Deps.Accounts.CreateKeyFor(ctx, other.ID, "other admin", tenant.AllScopes(), "")
		if err != nil {
			t.Fatal(err)
		}
		res := post(t, srv, otherKey, nodeName, map[string]any{"id": c.ID})
		if string(res.Data) != `{"node":null}` || res.code() != "NOT_FOUND" {
			t.Errorf("other account's node(%s): data %s, errors %+v; want null and NOT_FOUND", c.ID, res.Data, res.Errors)
		}
		var nodes struct{ Nodes []*collection }
		res = post(t, srv, otherKey, `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": []string{c.ID}})
		if err := json.Unmarshal(res.Data, &nodes); err != nil || len(nodes.Nodes) != 1 || nodes.Nodes[0] != nil {
			t.Errorf("other account's nodes([%s]) = %s, want [null]", c.ID, res.Data)
		}
		mustData(t, srv, otherKey, listCollections, nil, &list)
		if list.Collections.TotalCount != 0 || len(list.Collections.Edges) != 0 {
			t.Errorf("other account lists %+v, want nothing", list.Collections)
		}
		res = post(t, srv, otherKey, updateCollection, map[string]any{"id": c.ID, "input": map[string]any{"name": "stolen"}})
		if res.code() != "NOT_FOUND" {
			t.Errorf("other account's updateCollection: errors %+v, want NOT_FOUND", res.Errors)
		}
		var apiKeys struct {
			APIKeys struct{ TotalCount int } `json:"apiKeys"`
		}
		mustData(t, srv, otherKey, `{ apiKeys { totalCount } }`, nil, &apiKeys)
		if apiKeys.APIKeys.TotalCount != 1 {
			t.Errorf("other account sees %d API keys, want its own 1", apiKeys.APIKeys.TotalCount)
		}
		var viewer struct{ Viewer struct{ ID, Name string } }
		mustData(t, srv, otherKey, `{ viewer { id name } }`, nil, &viewer)
		if viewer.Viewer.Name != "other" {
			t.Errorf("viewer = %+v, want the other account", viewer.Viewer)
		}

		// Nor can it link the first account's nodes into its own.
		adminViewer, err := app.Deps.Accounts.Authenticate(ctx, adminKey)
		if err != nil {
			t.Fatal(err)
		}
		asset := app.Deps.Client.Asset.Create().
			SetFileName("a.jpg").SetMediaType("image/jpeg").SetSize(1).
			SetSha256(strings.Repeat("0", 64)).SetOriginalBlobKey("originals/a").
			SaveX(tenant.NewContext(ctx, adminViewer))
		assetID := strconv.Itoa(asset.ID)
		res = post(t, srv, otherKey, createCollection, map[string]any{"input": map[string]any{"name": "x", "assetIDs": []string{assetID}}})
		if res.code() != "NOT_FOUND" {
			t.Errorf("other account links the first one's asset: errors %+v, want NOT_FOUND", res.Errors)
		}
		var linked struct {
			CreateCollection struct {
				Assets struct {
					Edges []struct{ Node struct{ ID string } }
				}
			}
		}
		mustData(t, srv, adminKey, `mutation($input: CreateCollectionInput!) { createCollection(input: $input) { assets { edges { node { id } } } } }`,
			map[string]any{"input": map[string]any{"name": "linked", "assetIDs": []string{assetID}}}, &linked)
		if e := linked.CreateCollection.Assets.Edges; len(e) != 1 || e[0].Node.ID != assetID {
			t.Errorf("own asset not linked: %+v", linked)
		}

		// The first account's collection is untouched.
		mustData(t, srv, adminKey, nodeName, map[string]any{"id": c.ID}, &node)
		if node.Node == nil || node.Node.Name != "a2" {
			t.Errorf("after the other account's update, node = %+v", node.Node)
		}
	})
}

func TestHealthAndGraphiQL(t *testing.T) {
	_, srv := newTestServer(t, dbtest.SQLiteURL(t))
	for _, tt := range []struct {
		path, wantType string
	}{
		{"/healthz", "text/plain; charset=utf-8"},
		{"/readyz", "text/plain; charset=utf-8"},
		{"/", "text/html; charset=utf-8"},
		{"/static/graphiql.min.js", "text/javascript; charset=utf-8"},
		{"/static/graphiql.min.css", "text/css; charset=utf-8"},
	} {
		t.Run(tt.path, func(t *testing.T) {
			res, err := srv.Client().Get(srv.URL + tt.path)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != tt.wantType {
				t.Errorf("GET %s: %s %q", tt.path, res.Status, res.Header.Get("Content-Type"))
			}
			if res.Header.Get("X-Request-ID") == "" {
				t.Errorf("GET %s: no X-Request-ID", tt.path)
			}
		})
	}
	// Introspection needs no key, so GraphiQL can load the schema.
	var schema struct {
		Schema struct{ QueryType struct{ Name string } } `json:"__schema"`
	}
	mustData(t, srv, "", `{ __schema { queryType { name } } }`, nil, &schema)
	if schema.Schema.QueryType.Name != "Query" {
		t.Errorf("introspection: %+v", schema)
	}
}
