package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"provgraph/config"
	"provgraph/db/dbtest"
	"provgraph/ent/account"
	"provgraph/ent/schema/tenant"
)

// waitJob follows a job over a jobUpdated subscription to its final state.
func waitJob(t *testing.T, srvURL, key, id string) jobState {
	t.Helper()
	conn := subscribe(t, srvURL, key, "w", `subscription($id: ID!) {
		jobUpdated(id: $id) { id kind status totalAssets completedAssets failedAssets startedAt completedAt }
	}`, map[string]any{"id": id})
	defer conn.Close()
	states := readJobUpdates(t, conn)
	if len(states) == 0 {
		t.Fatal("no job state")
	}
	return states[len(states)-1]
}

// jobItem is an item as the tests read it.
type jobItem struct {
	FileName string
	Status   string
	Error    *string
	Result   map[string]any
	Asset    *struct{ ID string }
}

func jobItems(t *testing.T, srv *httptest.Server, key, id string) []jobItem {
	t.Helper()
	var got struct {
		Job struct {
			Items struct {
				Edges []struct{ Node jobItem }
			}
		}
	}
	mustData(t, srv, key, `query($id: ID!) { job(id: $id) { items(first: 100) { edges { node { fileName status error result asset { id } } } } } }`,
		map[string]any{"id": id}, &got)
	out := make([]jobItem, len(got.Job.Items.Edges))
	for i, e := range got.Job.Items.Edges {
		out[i] = e.Node
	}
	return out
}

// TestJobFlows drives every kind of job through GraphQL: signing assets
// twice (the second time signs nothing), verifying files, scanning files
// some of which are refused, workflows over files and over a collection,
// and the documented refusals.
func TestJobFlows(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, url string) {
		app, srv, _ := newPublicServer(t, url, true)
		ctx := context.Background()
		other, err := app.Deps.Accounts.CreateAccount(ctx, "other", account.PlanStarter)
		if err != nil {
			t.Fatal(err)
		}
		_, otherKey, err := app.Deps.Accounts.CreateKeyFor(ctx, other.ID, "k", tenant.AllScopes(), "")
		if err != nil {
			t.Fatal(err)
		}
		jpeg := bigJPEG(t, 48, 32)
		a1 := scanAsset(t, srv, adminKey, "a1.jpg", jpeg)
		a2 := scanAsset(t, srv, adminKey, "a2.jpg", jpeg)
		theirs := scanAsset(t, srv, otherKey, "t.jpg", jpeg)

		const signJob = `mutation($ids: [ID!], $c: ID, $d: DeclarationInput!) { createSignJob(assetIds: $ids, collectionId: $c, declaration: $d) { id kind status totalAssets } }`
		var created struct{ CreateSignJob jobState }
		mustData(t, srv, adminKey, signJob, map[string]any{"ids": []string{a1, a2}, "d": declaration()}, &created)
		if j := waitJob(t, srv.URL, adminKey, created.CreateSignJob.ID); j.Status != "COMPLETED" || j.CompletedAssets != 2 || j.Kind != "SIGN" {
			t.Fatalf("sign job ended %+v", j)
		}
		for _, it := range jobItems(t, srv, adminKey, created.CreateSignJob.ID) {
			if it.Status != "COMPLETED" || it.Result["verificationId"] == nil {
				t.Fatalf("sign item %+v", it)
			}
		}
		// Again: completes, and no asset gets a second manifest.
		mustData(t, srv, adminKey, signJob, map[string]any{"ids": []string{a1, a2}, "d": declaration()}, &created)
		if j := waitJob(t, srv.URL, adminKey, created.CreateSignJob.ID); j.Status != "COMPLETED" || j.CompletedAssets != 2 {
			t.Fatalf("second sign job ended %+v", j)
		}
		for _, id := range []string{a1, a2} {
			var a struct {
				Node struct {
					Status    string
					Manifests struct{ TotalCount int }
				}
			}
			mustData(t, srv, adminKey, `query($id: ID!) { node(id: $id) { ... on Asset { status manifests { totalCount } } } }`, map[string]any{"id": id}, &a)
			if a.Node.Status != "SIGNED" || a.Node.Manifests.TotalCount != 1 {
				t.Fatalf("asset %s after two sign jobs: %+v", id, a.Node)
			}
		}

		// Refusals.
		var col struct{ CreateCollection struct{ ID string } }
		mustData(t, srv, adminKey, createCollection, map[string]any{"input": map[string]any{"name": "c"}}, &col)
		refusals := []struct {
			name  string
			query string
			vars  map[string]any
			code  string
		}{
			{"both targets", signJob, map[string]any{"ids": []string{a1}, "c": col.CreateCollection.ID, "d": declaration()}, "INVALID_INPUT"},
			{"no target", signJob, map[string]any{"d": declaration()}, "INVALID_INPUT"},
			{"another account's asset", signJob, map[string]any{"ids": []string{a1, theirs}, "d": declaration()}, "NOT_FOUND"},
			{"empty collection", signJob, map[string]any{"c": col.CreateCollection.ID, "d": declaration()}, "INVALID_INPUT"},
			{"bad declaration", signJob, map[string]any{"ids": []string{a1}, "d": map[string]any{"aiModel": "x", "modificationType": "nope", "purpose": "advertising", "humanReview": false}}, "INVALID_INPUT"},
			{"another account's job", `query($id: ID!) { job(id: $id) { id } }`, map[string]any{"id": created.CreateSignJob.ID}, "NOT_FOUND"},
			{"cancel another account's job", `mutation($id: ID!) { cancelJob(id: $id) { id } }`, map[string]any{"id": created.CreateSignJob.ID}, "NOT_FOUND"},
			{"workflow SIGN without declaration", `mutation { createWorkflow(input: {name: "w", steps: [SCAN, SIGN]}) { id } }`, nil, "INVALID_INPUT"},
			{"workflow SCAN not first", `mutation($d: DeclarationInput) { createWorkflow(input: {name: "w", steps: [SIGN, SCAN], declaration: $d}) { id } }`, map[string]any{"d": declaration()}, "INVALID_INPUT"},
		}
		for _, r := range refusals {
			key := adminKey
			if strings.HasPrefix(r.name, "another account's job") || strings.HasPrefix(r.name, "cancel another") {
				key = otherKey
			}
			if got := post(t, srv, key, r.query, r.vars).code(); got != r.code {
				t.Errorf("%s: code %q, want %s", r.name, got, r.code)
			}
		}
		files := make([]upload, 21)
		for i := range files {
			files[i] = upload{fmt.Sprintf("v%d.jpg", i), jpeg}
		}
		const verifyJob = `mutation($files: [Upload!]!) { createVerifyJob(files: $files) { id totalAssets } }`
		if got := postUploads(t, srv, adminKey, verifyJob, nil, files).code(); got != "INVALID_INPUT" {
			t.Errorf("21-file verify job: code %q", got)
		}

		// A verify job, and a scan job with a refused file.
		res := postUploads(t, srv, adminKey, verifyJob, nil, files[:2])
		var vj struct{ CreateVerifyJob jobState }
		if err := json.Unmarshal(res.Data, &vj); err != nil || len(res.Errors) > 0 {
			t.Fatalf("createVerifyJob: %v %v", err, res.Errors)
		}
		if j := waitJob(t, srv.URL, adminKey, vj.CreateVerifyJob.ID); j.Status != "COMPLETED" || j.CompletedAssets != 2 {
			t.Fatalf("verify job ended %+v", j)
		}
		for _, it := range jobItems(t, srv, adminKey, vj.CreateVerifyJob.ID) {
			if it.Result["trustTier"] == nil || it.Result["verificationId"] == nil {
				t.Fatalf("verify item %+v", it)
			}
		}
		scanMixed := func(files []upload) (jobState, []jobItem) {
			res := postUploads(t, srv, adminKey, createScanJob, nil, files)
			var sj struct{ CreateScanJob jobState }
			if err := json.Unmarshal(res.Data, &sj); err != nil || len(res.Errors) > 0 {
				t.Fatalf("createScanJob: %v %v", err, res.Errors)
			}
			return waitJob(t, srv.URL, adminKey, sj.CreateScanJob.ID), jobItems(t, srv, adminKey, sj.CreateScanJob.ID)
		}
		text := upload{"notes.txt", []byte("not an image at all")}
		j, items := scanMixed([]upload{{"ok.jpg", jpeg}, text})
		if j.Status != "COMPLETED" || j.CompletedAssets != 1 || j.FailedAssets != 1 {
			t.Fatalf("mixed scan job %+v", j)
		}
		for _, it := range items {
			if it.FileName == "notes.txt" && (it.Status != "FAILED" || it.Error == nil || !strings.HasPrefix(*it.Error, "UNSUPPORTED_MEDIA_TYPE")) {
				t.Fatalf("refused item %+v", it)
			}
		}
		if j, _ := scanMixed([]upload{text}); j.Status != "FAILED" || j.FailedAssets != 1 {
			t.Fatalf("all-refused scan job %+v", j)
		}

		// Workflows: over files (scan, sign, verify), then over a collection.
		var wf struct{ CreateWorkflow struct{ ID string } }
		mustData(t, srv, adminKey, `mutation($d: DeclarationInput, $c: ID) { createWorkflow(input: {name: "publish", steps: [SCAN, SIGN, VERIFY], declaration: $d, collectionId: $c}) { id } }`,
			map[string]any{"d": declaration(), "c": col.CreateCollection.ID}, &wf)
		res = postUploads(t, srv, adminKey, `mutation($id: ID!, $files: [Upload!]!) { runWorkflow(id: $id, files: $files) { id kind } }`,
			map[string]any{"id": wf.CreateWorkflow.ID}, []upload{{"w1.jpg", jpeg}, {"w2.jpg", jpeg}})
		var run struct{ RunWorkflow jobState }
		if err := json.Unmarshal(res.Data, &run); err != nil || len(res.Errors) > 0 {
			t.Fatalf("runWorkflow: %v %v", err, res.Errors)
		}
		if j := waitJob(t, srv.URL, adminKey, run.RunWorkflow.ID); j.Status != "COMPLETED" || j.CompletedAssets != 2 || j.Kind != "WORKFLOW" {
			t.Fatalf("workflow job ended %+v", j)
		}
		for _, it := range jobItems(t, srv, adminKey, run.RunWorkflow.ID) {
			if it.Asset == nil || it.Result["verificationId"] == nil || it.Result["trustTier"] != "VERIFIED" {
				t.Fatalf("workflow item %+v", it)
			}
		}
		var cnt struct {
			Node struct{ Assets struct{ TotalCount int } }
		}
		mustData(t, srv, adminKey, `query($id: ID!) { node(id: $id) { ... on Collection { assets { totalCount } } } }`, map[string]any{"id": col.CreateCollection.ID}, &cnt)
		if cnt.Node.Assets.TotalCount != 2 {
			t.Fatalf("the workflow's collection has %d assets, want 2", cnt.Node.Assets.TotalCount)
		}
		var onCol struct{ RunWorkflowOnCollection jobState }
		mustData(t, srv, adminKey, `mutation($id: ID!, $c: ID!) { runWorkflowOnCollection(id: $id, collectionId: $c) { id totalAssets } }`,
			map[string]any{"id": wf.CreateWorkflow.ID, "c": col.CreateCollection.ID}, &onCol)
		if j := waitJob(t, srv.URL, adminKey, onCol.RunWorkflowOnCollection.ID); j.Status != "COMPLETED" || j.TotalAssets != 2 || j.CompletedAssets != 2 {
			t.Fatalf("workflow on collection ended %+v", j)
		}

		// The list: newest first, by status and kind.
		var list struct {
			Jobs struct {
				TotalCount int
				Edges      []struct{ Node jobState }
			}
		}
		mustData(t, srv, adminKey, `{ jobs(status: COMPLETED, kind: SIGN, first: 10) { totalCount edges { node { id kind status } } } }`, nil, &list)
		if list.Jobs.TotalCount != 2 || list.Jobs.Edges[0].Node.ID != created.CreateSignJob.ID {
			t.Fatalf("jobs list %+v, want the two sign jobs, newest (%s) first", list.Jobs, created.CreateSignJob.ID)
		}
	})
}

// TestCancelJob queues a job on an instance that only queues (no
// workers), cancels it, then lets a working instance at it: no item runs.
func TestCancelJob(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, url string) {
		apiOnly := func(c *config.Config) { c.Workers = 0 }
		app, srv := newTestServerWith(t, url, apiOnly)
		watch := subscribe(t, srv.URL, adminKey, "j", `subscription { jobs { id status totalAssets } }`, nil)
		// graphql-transport-ws has no acknowledgement of a subscribe: wait
		// until the subscription is registered, or the job's creation may
		// come before it.
		waitSubscribers(t, app, 1)
		jpeg := bigJPEG(t, 32, 24)
		res := postUploads(t, srv, adminKey, createScanJob, nil, []upload{{"a.jpg", jpeg}, {"b.jpg", jpeg}, {"c.jpg", jpeg}})
		var sj struct{ CreateScanJob jobState }
		if err := json.Unmarshal(res.Data, &sj); err != nil || len(res.Errors) > 0 {
			t.Fatalf("createScanJob: %v %v", err, res.Errors)
		}
		var c struct{ CancelJob jobState }
		mustData(t, srv, adminKey, `mutation($id: ID!) { cancelJob(id: $id) { id status completedAt } }`, map[string]any{"id": sj.CreateScanJob.ID}, &c)
		if c.CancelJob.Status != "CANCELLED" || c.CancelJob.CompletedAt == nil {
			t.Fatalf("cancelJob: %+v", c.CancelJob)
		}
		// The jobs subscription saw it created, then cancelled.
		for _, want := range []string{"QUEUED", "CANCELLED"} {
			m := readMessage(t, watch)
			raw, _ := json.Marshal(m.Payload["data"])
			var got struct{ Jobs jobState }
			if err := json.Unmarshal(raw, &got); err != nil || got.Jobs.ID != sj.CreateScanJob.ID || got.Jobs.Status != want || got.Jobs.TotalAssets != 3 {
				t.Fatalf("jobs subscription: %+v, want %s of %s", m, want, sj.CreateScanJob.ID)
			}
		}
		// Cancelling again returns it unchanged.
		mustData(t, srv, adminKey, `mutation($id: ID!) { cancelJob(id: $id) { id status } }`, map[string]any{"id": sj.CreateScanJob.ID}, &c)
		if c.CancelJob.Status != "CANCELLED" {
			t.Fatalf("second cancelJob: %+v", c.CancelJob)
		}

		// A worker instance takes the queued River jobs and finds their
		// items cancelled.
		newInstance(t, url, func(c *config.Config) {})
		deadline := time.Now().Add(30 * time.Second)
		for {
			var left int
			if err := app.Deps.DB.SQL.QueryRow(`SELECT count(*) FROM river_job WHERE kind = 'provgraph.job_item' AND state <> 'completed'`).Scan(&left); err != nil {
				t.Fatal(err)
			}
			if left == 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%d item jobs not worked", left)
			}
			time.Sleep(20 * time.Millisecond)
		}
		for _, it := range jobItems(t, srv, adminKey, sj.CreateScanJob.ID) {
			if it.Status != "CANCELLED" || it.Asset != nil {
				t.Fatalf("item after cancel %+v", it)
			}
		}
		var assets struct{ Assets struct{ TotalCount int } }
		mustData(t, srv, adminKey, `{ assets { totalCount } }`, nil, &assets)
		if assets.Assets.TotalCount != 0 {
			t.Fatalf("%d assets scanned by a cancelled job", assets.Assets.TotalCount)
		}

		// Past its expiry the retention sweep removes the job and its items.
		sys := tenant.WithSystem(context.Background())
		if err := app.Deps.Client.Job.UpdateOneID(nodeID(t, sj.CreateScanJob.ID)).SetExpiresAt(time.Now().Add(-time.Minute)).Exec(sys); err != nil {
			t.Fatal(err)
		}
		if n, err := app.Deps.Jobs.PurgeExpired(context.Background()); err != nil || n != 1 {
			t.Fatalf("PurgeExpired = %d, %v; want 1", n, err)
		}
		if code := post(t, srv, adminKey, `query($id: ID!) { job(id: $id) { id } }`, map[string]any{"id": sj.CreateScanJob.ID}).code(); code != "NOT_FOUND" {
			t.Fatalf("purged job: code %q", code)
		}
		if n, err := app.Deps.Client.JobItem.Query().Count(sys); err != nil || n != 0 {
			t.Fatalf("%d items left (%v)", n, err)
		}
	})
}

// TestMonthlyQuota lowers the account's monthly asset quota and checks
// that scans (one by one and as a job) stop at it with RATE_LIMITED and a
// retryAfter, and that a refused job stores nothing.
func TestMonthlyQuota(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, url string) {
		app, srv := newTestServer(t, url)
		sys := tenant.WithSystem(context.Background())
		if err := app.Deps.Client.Account.Update().SetMonthlyAssetQuota(3).Exec(sys); err != nil {
			t.Fatal(err)
		}
		jpeg := bigJPEG(t, 32, 24)
		scanAsset(t, srv, adminKey, "a.jpg", jpeg)
		scanAsset(t, srv, adminKey, "b.jpg", jpeg)
		res := postUploads(t, srv, adminKey, createScanJob, nil, []upload{{"c.jpg", jpeg}, {"d.jpg", jpeg}})
		if res.code() != "RATE_LIMITED" || len(res.Errors) == 0 {
			t.Fatalf("a 2-file job with 1 scan left: %s %+v", res.Data, res.Errors)
		}
		if ra, _ := res.Errors[0].Extensions["retryAfter"].(float64); ra < 1 {
			t.Fatalf("retryAfter = %v", res.Errors[0].Extensions["retryAfter"])
		}
		var jobs struct{ Jobs struct{ TotalCount int } }
		mustData(t, srv, adminKey, `{ jobs { totalCount } }`, nil, &jobs)
		if jobs.Jobs.TotalCount != 0 {
			t.Fatalf("%d jobs after a refusal", jobs.Jobs.TotalCount)
		}
		scanAsset(t, srv, adminKey, "c.jpg", jpeg) // the last one of the month
		res = postUploads(t, srv, adminKey, scanAssetsMutation, nil, []upload{{"e.jpg", jpeg}})
		if res.code() != "RATE_LIMITED" {
			t.Fatalf("scan over the quota: %s %+v", res.Data, res.Errors)
		}
	})
}
