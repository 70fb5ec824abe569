package server_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"provgraph/db/dbtest"
	"provgraph/ent/account"
	"provgraph/ent/schema/tenant"
)

// wsMessage is a graphql-transport-ws message.
type wsMessage struct {
	ID      string         `json:"id,omitempty"`
	Type    string         `json:"type"`
	Payload map[string]any `json:"payload,omitempty"`
}

// dialGraphQL opens a graphql-transport-ws connection to srvURL.
func dialGraphQL(t testing.TB, srvURL string) *websocket.Conn {
	t.Helper()
	dialer := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}}
	conn, res, err := dialer.Dial("ws"+strings.TrimPrefix(srvURL, "http")+"/graphql", nil)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { conn.Close() })
	if res.StatusCode != http.StatusSwitchingProtocols || conn.Subprotocol() != "graphql-transport-ws" {
		t.Fatalf("upgrade: %s, subprotocol %q", res.Status, conn.Subprotocol())
	}
	// A bound on every read, so that a broken server fails the test
	// instead of hanging it; no assertion depends on it.
	if err := conn.SetReadDeadline(time.Now().Add(30 * time.Second)); err != nil {
		t.Fatal(err)
	}
	return conn
}

// readMessage reads the next message that is not a keep-alive ping.
func readMessage(t testing.TB, conn *websocket.Conn) wsMessage {
	t.Helper()
	for {
		var m wsMessage
		if err := conn.ReadJSON(&m); err != nil {
			t.Fatalf("reading: %v", err)
		}
		if m.Type == "ping" {
			if err := conn.WriteJSON(wsMessage{Type: "pong"}); err != nil {
				t.Fatal(err)
			}
			continue
		}
		return m
	}
}

func TestSubscriptionOverWebSocket(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, url string) {
		app, srv := newTestServer(t, url)
		conn := dialGraphQL(t, srv.URL)
		if err := conn.WriteJSON(wsMessage{Type: "connection_init", Payload: map[string]any{"Authorization": "Bearer " + adminKey}}); err != nil {
			t.Fatal(err)
		}
		if m := readMessage(t, conn); m.Type != "connection_ack" {
			t.Fatalf("after connection_init got %+v, want connection_ack", m)
		}
		// after: 0 replays the log from its start, so the event below is
		// received whether it is recorded before or after the subscription
		// is registered.
		err := conn.WriteJSON(wsMessage{ID: "1", Type: "subscribe", Payload: map[string]any{
			"query": `subscription { eventAdded(after: 0) { id kind subjectID payload } }`,
		}})
		if err != nil {
			t.Fatal(err)
		}
		var created struct{ CreateCollection collection }
		mustData(t, srv, adminKey, createCollection, map[string]any{"input": map[string]any{"name": "live"}}, &created)

		m := readMessage(t, conn)
		if m.Type != "next" || m.ID != "1" {
			t.Fatalf("got %+v, want a next message for subscription 1", m)
		}
		data, _ := m.Payload["data"].(map[string]any)
		ev, _ := data["eventAdded"].(map[string]any)
		payload, _ := ev["payload"].(map[string]any)
		if ev["kind"] != "collection.created" || ev["subjectID"] != created.CreateCollection.ID || payload["name"] != "live" {
			t.Fatalf("eventAdded = %+v, want collection.created of %s", ev, created.CreateCollection.ID)
		}

		// Live delivery: an event recorded after the subscription started.
		mustData(t, srv, adminKey, updateCollection, map[string]any{"id": created.CreateCollection.ID, "input": map[string]any{"name": "renamed"}}, &struct{}{})
		m = readMessage(t, conn)
		data, _ = m.Payload["data"].(map[string]any)
		ev, _ = data["eventAdded"].(map[string]any)
		if m.Type != "next" || ev["kind"] != "collection.updated" {
			t.Fatalf("got %+v, want collection.updated", m)
		}

		if err := conn.WriteJSON(wsMessage{ID: "1", Type: "complete"}); err != nil {
			t.Fatal(err)
		}

		// Another account's subscriber, replaying from the start of the
		// log, gets its own event first: the first account's (older) events
		// would come before it if they leaked.
		ctx := context.Background()
		other, err := app.Deps.Accounts.CreateAccount(ctx, "other", account.PlanStarter)
		if err != nil {
			t.Fatal(err)
		}
		_, otherKey, err := app.Deps.Accounts.CreateKeyFor(ctx, other.ID, "k", tenant.AllScopes(), "")
		if err != nil {
			t.Fatal(err)
		}
		otherConn := dialGraphQL(t, srv.URL)
		if err := otherConn.WriteJSON(wsMessage{Type: "connection_init", Payload: map[string]any{"Authorization": "Bearer " + otherKey}}); err != nil {
			t.Fatal(err)
		}
		if m := readMessage(t, otherConn); m.Type != "connection_ack" {
			t.Fatalf("got %+v, want connection_ack", m)
		}
		err = otherConn.WriteJSON(wsMessage{ID: "a", Type: "subscribe", Payload: map[string]any{
			"query": `subscription { eventAdded(after: 0) { kind payload } }`,
		}})
		if err != nil {
			t.Fatal(err)
		}
		mustData(t, srv, otherKey, createCollection, map[string]any{"input": map[string]any{"name": "theirs"}}, &struct{}{})
		m = readMessage(t, otherConn)
		data, _ = m.Payload["data"].(map[string]any)
		ev, _ = data["eventAdded"].(map[string]any)
		payload, _ = ev["payload"].(map[string]any)
		if m.Type != "next" || payload["name"] != "theirs" {
			t.Fatalf("other account's first event is %+v, want its own collection.created", m)
		}
	})
}

func TestWebSocketRejectsBadKey(t *testing.T) {
	for _, tt := range []struct {
		name    string
		payload map[string]any
	}{
		{"no key", map[string]any{}},
		{"wrong key", map[string]any{"Authorization": "Bearer nope"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, srv := newTestServer(t, dbtest.SQLiteURL(t))
			conn := dialGraphQL(t, srv.URL)
			if err := conn.WriteJSON(wsMessage{Type: "connection_init", Payload: tt.payload}); err != nil {
				t.Fatal(err)
			}
			var m wsMessage
			err := conn.ReadJSON(&m)
			if err == nil {
				t.Fatalf("got %+v, want the connection closed", m)
			}
			var ce *websocket.CloseError
			if !errors.As(err, &ce) || ce.Code != 4403 || !strings.HasPrefix(ce.Text, "UNAUTHENTICATED") {
				t.Fatalf("read error %v, want close 4403 with reason UNAUTHENTICATED", err)
			}
		})
	}
}
