package server_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"provgraph/config"
	"provgraph/db/dbtest"
	"provgraph/webhooks"
)

const createScanJob = `mutation($files: [Upload!]!) {
  createScanJob(files: $files) { id kind status totalAssets completedAssets failedAssets createdAt expiresAt }
}`

// jobState is a Job as the tests read it.
type jobState struct {
	ID              string  `json:"id"`
	Kind            string  `json:"kind"`
	Status          string  `json:"status"`
	TotalAssets     int     `json:"totalAssets"`
	CompletedAssets int     `json:"completedAssets"`
	FailedAssets    int     `json:"failedAssets"`
	StartedAt       *string `json:"startedAt"`
	CompletedAt     *string `json:"completedAt"`
}

// delivery is one webhook request the receiver answered with 200.
type delivery struct {
	header http.Header
	body   []byte
}

// flakyReceiver answers the first fails requests of every message with 500
// and the next with 200, handing that one to the channel.
func flakyReceiver(t *testing.T, fails int) (*httptest.Server, <-chan delivery, func(id string) int) {
	var mu sync.Mutex
	attempts := map[string]int{}
	got := make(chan delivery, 16)
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		id := r.Header.Get("webhook-id")
		mu.Lock()
		attempts[id]++
		n := attempts[id]
		mu.Unlock()
		if n <= fails {
			http.Error(w, "try again", http.StatusInternalServerError)
			return
		}
		got <- delivery{header: r.Header.Clone(), body: body}
	}))
	t.Cleanup(rcv.Close)
	return rcv, got, func(id string) int {
		mu.Lock()
		defer mu.Unlock()
		return attempts[id]
	}
}

// subscribe starts subscription id with query on an authenticated
// graphql-transport-ws connection.
func subscribe(t testing.TB, srvURL, key, id, query string, vars map[string]any) *websocket.Conn {
	t.Helper()
	conn := dialGraphQL(t, srvURL)
	if err := conn.SetReadDeadline(time.Now().Add(2 * time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := conn.WriteJSON(wsMessage{Type: "connection_init", Payload: map[string]any{"Authorization": "Bearer " + key}}); err != nil {
		t.Fatal(err)
	}
	if m := readMessage(t, conn); m.Type != "connection_ack" {
		t.Fatalf("after connection_init got %+v", m)
	}
	if err := conn.WriteJSON(wsMessage{ID: id, Type: "subscribe", Payload: map[string]any{"query": query, "variables": vars}}); err != nil {
		t.Fatal(err)
	}
	return conn
}

// readJobUpdates reads jobUpdated messages until the subscription
// completes.
func readJobUpdates(t *testing.T, conn *websocket.Conn) []jobState {
	t.Helper()
	var states []jobState
	for {
		m := readMessage(t, conn)
		switch m.Type {
		case "complete":
			return states
		case "next":
		default:
			t.Fatalf("jobUpdated: got %+v", m)
		}
		if errs, ok := m.Payload["errors"]; ok {
			t.Fatalf("jobUpdated: %v", errs)
		}
		raw, _ := json.Marshal(m.Payload["data"])
		var data struct{ JobUpdated jobState }
		if err := json.Unmarshal(raw, &data); err != nil {
			t.Fatal(err)
		}
		states = append(states, data.JobUpdated)
	}
}

// checkProgress asserts that states are every state of a job from the
// first one seen: each after the first counts exactly one more item, the
// status never goes back, and the last is final with the given counters.
func checkProgress(t *testing.T, states []jobState, status string, total, completed, failed int) {
	t.Helper()
	if len(states) == 0 {
		t.Fatal("no jobUpdated state")
	}
	rank := map[string]int{"QUEUED": 0, "PROCESSING": 1, "COMPLETED": 2, "FAILED": 2, "CANCELLED": 2}
	for i := 1; i < len(states); i++ {
		prev, cur := states[i-1], states[i]
		done, prevDone := cur.CompletedAssets+cur.FailedAssets, prev.CompletedAssets+prev.FailedAssets
		switch {
		case rank[cur.Status] < rank[prev.Status]:
			t.Fatalf("state %d goes back from %s to %s", i, prev.Status, cur.Status)
		case done != prevDone+1 && !(done == prevDone && rank[cur.Status] > rank[prev.Status]):
			t.Fatalf("state %d: %d items done after %d: a change was skipped or repeated", i, done, prevDone)
		}
	}
	last := states[len(states)-1]
	if last.Status != status || last.TotalAssets != total || last.CompletedAssets != completed || last.FailedAssets != failed || last.CompletedAt == nil {
		t.Fatalf("last state %+v, want %s %d/%d/%d with completedAt", last, status, total, completed, failed)
	}
}

// TestJobsAcrossInstances runs the scenario of the jobs issue: a 100-file
// scan job created on instance A while a WebSocket client on instance B
// watches it to the end, and a webhook receiver that fails twice before
// it gets batch.complete. On PostgreSQL A and B are two instances (their
// own River clients and event listeners) over one database and one blob
// store; on SQLite they are the same single instance.
func TestJobsAcrossInstances(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, url string) {
		blobs := filepath.Join(t.TempDir(), "blobs")
		edit := func(c *config.Config) {
			c.StorageURL = blobs
			c.OutboundAllow = "127.0.0.1"
			c.WebhookBackoff = 20 * time.Millisecond
			c.MaxUploadBytes = 64 << 20
		}
		appA, a := newTestServerWith(t, url, edit)
		appB, b := appA, a
		if appA.Deps.DB.Dialect == "postgres" {
			appB, b = newInstance(t, url, edit)
		}

		rcv, delivered, attempts := flakyReceiver(t, 2)
		var hook struct {
			CreateWebhook struct {
				ID     string
				Secret string
			}
		}
		mustData(t, a, adminKey, `mutation($url: String!) { createWebhook(url: $url, events: ["batch.complete"]) { id secret } }`,
			map[string]any{"url": rcv.URL + "/hooks"}, &hook)

		jpeg := bigJPEG(t, 32, 24)
		files := make([]upload, 100)
		for i := range files {
			files[i] = upload{name: fmt.Sprintf("f%03d.jpg", i), data: jpeg}
		}
		res := postUploads(t, a, adminKey, createScanJob, nil, files)
		if len(res.Errors) > 0 {
			t.Fatalf("createScanJob: %v", res.Errors)
		}
		var created struct{ CreateScanJob jobState }
		if err := json.Unmarshal(res.Data, &created); err != nil {
			t.Fatal(err)
		}
		j := created.CreateScanJob
		if j.Kind != "SCAN" || j.TotalAssets != 100 {
			t.Fatalf("created %+v", j)
		}

		conn := subscribe(t, b.URL, adminKey, "1", `subscription($id: ID!) {
			jobUpdated(id: $id) { id status totalAssets completedAssets failedAssets startedAt completedAt }
		}`, map[string]any{"id": j.ID})
		states := readJobUpdates(t, conn)
		checkProgress(t, states, "COMPLETED", 100, 100, 0)

		// Every item done once, each with its own asset.
		var got struct {
			Job struct {
				Status string
				Items  struct {
					TotalCount int
					Edges      []struct {
						Node struct {
							Status   string
							Attempts int
							Asset    struct{ ID string }
						}
					}
				}
			}
		}
		mustData(t, b, adminKey, `query($id: ID!) { job(id: $id) { status items(first: 100) { totalCount edges { node { status attempts asset { id } } } } } }`,
			map[string]any{"id": j.ID}, &got)
		seen := map[string]bool{}
		for _, e := range got.Job.Items.Edges {
			if e.Node.Status != "COMPLETED" || e.Node.Asset.ID == "" || seen[e.Node.Asset.ID] {
				t.Fatalf("item %+v (assets so far %d)", e.Node, len(seen))
			}
			seen[e.Node.Asset.ID] = true
		}
		if got.Job.Items.TotalCount != 100 || len(seen) != 100 {
			t.Fatalf("%d items, %d assets", got.Job.Items.TotalCount, len(seen))
		}
		var assets struct{ Assets struct{ TotalCount int } }
		mustData(t, a, adminKey, `{ assets { totalCount } }`, nil, &assets)
		if assets.Assets.TotalCount != 100 {
			t.Fatalf("%d assets stored, want 100", assets.Assets.TotalCount)
		}
		if appA != appB {
			workedBy := map[string]int{}
			rows, err := appA.Deps.DB.SQL.Query(`SELECT attempted_by[1], count(*) FROM river_job WHERE kind = 'provgraph.job_item' GROUP BY 1`)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var client string
				var n int
				if err := rows.Scan(&client, &n); err != nil {
					t.Fatal(err)
				}
				workedBy[client] = n
			}
			rows.Close()
			t.Logf("items worked by client: %v", workedBy)
			if len(workedBy) != 2 {
				t.Errorf("items were worked by %d River clients, want both instances'", len(workedBy))
			}
		}

		// The webhook: batch.complete, signed, on the third attempt.
		var d delivery
		select {
		case d = <-delivered:
		case <-time.After(time.Minute):
			t.Fatal("no webhook delivered")
		}
		if err := webhooks.Verify(hook.CreateWebhook.Secret, d.header, d.body, 5*time.Minute); err != nil {
			t.Fatalf("signature: %v", err)
		}
		var payload struct {
			Event     string         `json:"event"`
			WebhookID string         `json:"webhookId"`
			Timestamp string         `json:"timestamp"`
			Data      map[string]any `json:"data"`
		}
		if err := json.Unmarshal(d.body, &payload); err != nil {
			t.Fatal(err)
		}
		if payload.Event != "batch.complete" || payload.WebhookID != hook.CreateWebhook.ID || payload.Timestamp == "" || payload.Data["status"] != "COMPLETED" {
			t.Fatalf("payload %s", d.body)
		}
		if n := attempts(d.header.Get("webhook-id")); n != 3 {
			t.Fatalf("%d attempts, want 3", n)
		}
		var deliveries struct {
			Deliveries struct {
				Edges []struct {
					Node struct {
						Attempt        int
						ResponseStatus *int
						LatencyMs      *int
						Succeeded      bool
					}
				}
			}
		}
		// The third attempt's row may commit just after the receiver
		// answered; wait for it through the event it records.
		ev := subscribe(t, b.URL, adminKey, "2", `subscription { events(types: ["webhook.delivered"], after: 0) { kind } }`, nil)
		if m := readMessage(t, ev); m.Type != "next" {
			t.Fatalf("events: %+v", m)
		}
		mustData(t, b, adminKey, `query($id: ID!) { deliveries(webhookId: $id, first: 10) { edges { node { attempt responseStatus latencyMs succeeded } } } }`,
			map[string]any{"id": hook.CreateWebhook.ID}, &deliveries)
		var summary []string
		for _, e := range deliveries.Deliveries.Edges {
			n := e.Node
			if n.ResponseStatus == nil || n.LatencyMs == nil {
				t.Fatalf("delivery %+v without status or latency", n)
			}
			summary = append(summary, fmt.Sprintf("%d:%d:%v", n.Attempt, *n.ResponseStatus, n.Succeeded))
		}
		if fmt.Sprint(summary) != "[3:200:true 2:500:false 1:500:false]" {
			t.Fatalf("deliveries %v", summary)
		}
	})
}
