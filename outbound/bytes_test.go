package outbound_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"provgraph/outbound"
)

// TestFetchBytes fetches from a loopback server under policies read from
// PROVGRAPH_OUTBOUND_ALLOW: the body when loopback is allowed, refused
// otherwise, capped at MaxBytes, and a bad allow list rejected.
func TestFetchBytes(t *testing.T) {
	body := strings.Repeat("c2pa", 256)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/store.c2pa" {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write([]byte(body))
	}))
	defer srv.Close()
	cases := []struct {
		name     string
		allow    string
		path     string
		maxBytes int64
		want     error // nil for the body
		envErr   bool
	}{
		{"allowed", "127.0.0.1", "/store.c2pa", 0, nil, false},
		{"unset", "", "/store.c2pa", 0, outbound.ErrForbiddenAddress, false},
		{"too large", "127.0.0.0/8", "/store.c2pa", 100, outbound.ErrTooLarge, false},
		{"not found", "127.0.0.1", "/other", 0, errors.New("status 404"), false},
		{"bad allow list", "127.0.0.1/99", "/store.c2pa", 0, nil, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := outbound.PolicyFromEnv(func(k string) (string, bool) {
				return tc.allow, k == "PROVGRAPH_OUTBOUND_ALLOW" && tc.allow != ""
			})
			if tc.envErr {
				if err == nil || !strings.Contains(err.Error(), "PROVGRAPH_OUTBOUND_ALLOW") {
					t.Fatalf("err = %v, want a PROVGRAPH_OUTBOUND_ALLOW error", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			p.MaxBytes = tc.maxBytes
			got, err := p.FetchBytes(context.Background(), srv.URL+tc.path)
			switch {
			case tc.want == nil:
				if err != nil || string(got) != body {
					t.Errorf("got %d bytes, err %v", len(got), err)
				}
			case errors.Is(tc.want, outbound.ErrForbiddenAddress) || errors.Is(tc.want, outbound.ErrTooLarge):
				if !errors.Is(err, tc.want) {
					t.Errorf("err = %v, want %v", err, tc.want)
				}
			default:
				if err == nil || !strings.Contains(err.Error(), tc.want.Error()) {
					t.Errorf("err = %v, want %v", err, tc.want)
				}
			}
		})
	}
}
