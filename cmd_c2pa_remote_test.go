package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"provgraph/c2pa"
	"provgraph/internal/testenv"
	"provgraph/outbound"
)

// TestRemoteManifestFetch reads jpeg/rs-cloud.jpg with its remote store
// (c2pa/rs-cloud_manifest.c2pa) served by a loopback HTTP server through
// an outbound policy. The server stands in for cai-manifests.adobe.com,
// whose address a test cannot redirect, so the fetcher maps the asset's
// URL onto it. Allowed, the result is c2pa-rs's for that asset and store
// (test_jpg_cloud_from_memory_and_manifest, INDEX.tsv: no status but the
// untrusted credential); without the allow entry loopback is refused and
// the read fails with RemoteManifestFetch, as c2pa-rs's does when a fetch
// fails.
func TestRemoteManifestFetch(t *testing.T) {
	store, err := os.ReadFile(testenv.Fixture(t, "c2pa/c2pa/rs-cloud_manifest.c2pa"))
	if err != nil {
		t.Fatal(err)
	}
	asset, err := os.ReadFile(testenv.Fixture(t, "c2pa/jpeg/rs-cloud.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.URL.Path != "/manifests/adobe-urn-uuid-5f37e182-3687-462e-a7fb-573462780391" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/c2pa")
		_, _ = w.Write(store)
	}))
	defer srv.Close()

	cases := []struct {
		name    string
		allow   string
		fail    string // ReadError name, "" for a report
		refused bool
	}{
		{"loopback allowed", "127.0.0.1", "", false},
		{"loopback allowed by prefix", "127.0.0.0/8,::1", "", false},
		{"loopback refused", "", "RemoteManifestFetch", true},
		{"other host allowed only", "10.0.0.0/8,minio.internal", "RemoteManifestFetch", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			policy, err := outbound.PolicyFromEnv(func(k string) (string, bool) {
				return tc.allow, k == "PROVGRAPH_OUTBOUND_ALLOW"
			})
			if err != nil {
				t.Fatal(err)
			}
			before := hits.Load()
			var asked string
			fetch := func(ctx context.Context, url string) ([]byte, error) {
				asked = url
				return policy.FetchBytes(ctx, srv.URL+"/manifests/"+path.Base(url))
			}
			rep, err := c2pa.Read(context.Background(), bytes.NewReader(asset), int64(len(asset)), "image/jpeg", c2pa.ReadOptions{FetchRemote: fetch})
			if !strings.HasPrefix(asked, "https://cai-manifests.adobe.com/manifests/") {
				t.Errorf("asked for %q", asked)
			}
			if tc.fail != "" {
				var re *c2pa.ReadError
				if !errors.As(err, &re) || re.Name != tc.fail {
					t.Fatalf("err = %v, want %s", err, tc.fail)
				}
				if tc.refused && (!errors.Is(err, outbound.ErrForbiddenAddress) || hits.Load() != before) {
					t.Errorf("err = %v after %d requests, want the address refused before any", err, hits.Load()-before)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := rep.FailureCodes(); !slices.Equal(got, []string{"signingCredential.untrusted"}) || rep.ValidationState != c2pa.StateValid {
				t.Errorf("state %s, failures %v", rep.ValidationState, got)
			}
		})
	}
}

// TestC2PAVerifyRemote runs "verify --remote" on a PNG whose XMP names
// http://localhost:5000/...: without an allow entry the loopback address is
// refused (RemoteManifestFetch); without --remote nothing is fetched.
func TestC2PAVerifyRemote(t *testing.T) {
	t.Setenv("PROVGRAPH_OUTBOUND_ALLOW", "")
	png := testenv.Fixture(t, "c2pa/png/rs-libpng-test_with_url.png")
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"off by default", []string{"verify", png}, `C2pa(RemoteManifestUrl("http://localhost:5000/libpng-test.c2pa"))`},
		{"loopback refused", []string{"verify", "--remote", png}, `C2pa(RemoteManifestFetch(`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out := runC2PA(t, tc.args...)
			var v map[string]string
			if err := json.Unmarshal(out, &v); err != nil || code != 1 {
				t.Fatalf("exit %d, output %s", code, out)
			}
			if !strings.HasPrefix(v["error"], tc.want) {
				t.Errorf("error %q, want %s…", v["error"], tc.want)
			}
			if strings.Contains(tc.want, "Fetch") && !strings.Contains(v["error"], "destination address not allowed") {
				t.Errorf("error %q does not say the address was refused", v["error"])
			}
		})
	}
}
