package server_test

import (
	"testing"

	"provgraph/config"

	"provgraph/db/dbtest"
	"provgraph/ent/account"
	"provgraph/ent/schema/tenant"
	"provgraph/internal/openapitest"
	"provgraph/rest/numbers"
)

// TestRESTInternalErrors breaks the database under the REST APIs (a table
// they read is dropped) and checks that each answers its documented
// internal error, in its own envelope, without leaking the cause.
func TestRESTInternalErrors(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, url string) {
		n := newNotaraiServer(t, url)
		_, keys := n.account(account.PlanStarter, tenant.AllScopes())
		env := newNumbersEnv(t, url, openapitest.New(t, numbers.OpenAPI()), func(*config.Config) {})
		_, numbersKey := env.key(t, "numbers", tenant.ScopeScan)
		for _, table := range []string{"collections", "usage_counters"} {
			if _, err := n.app.Deps.DB.SQL.Exec("DROP TABLE " + table + " CASCADE"); err != nil {
				if _, err := n.app.Deps.DB.SQL.Exec("DROP TABLE " + table); err != nil { // SQLite has no CASCADE
					t.Fatal(err)
				}
			}
		}

		r := n.do(t, req{method: "GET", path: "/collections", key: keys[0]})
		if r.status != 500 || r.body["code"] != "INTERNAL_ERROR" || r.body["error"] == "" {
			t.Fatalf("NotarAI with a broken database: %d %s", r.status, r.raw)
		}

		body, ctype := numbersForm(t, numbersPart{name: "file", fileName: "a.txt", data: []byte("hello world\n")})
		res, raw := env.call(t, "/nid", "token "+numbersKey, ctype, body)
		if res.StatusCode != 500 {
			t.Fatalf("Numbers with a broken database: %d %s", res.StatusCode, raw)
		}
		if got := numbersJSON(t, raw)["detail"]; got == nil || got == "" {
			t.Fatalf("Numbers 500 body %s", raw)
		}
	})
}
