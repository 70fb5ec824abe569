package c2pa_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"provgraph/c2pa"
	_ "provgraph/c2pa/asset/all"
	"provgraph/c2pa/asset/assettest"
	"provgraph/internal/testenv"
)

// readFixture runs Read on a fixture file with the shared anchors.
func readFixture(t *testing.T, rel, mediaType string, opts c2pa.ReadOptions) (*c2pa.Report, error) {
	t.Helper()
	f, err := os.Open(testenv.Fixture(t, filepath.Join("c2pa", rel)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	return c2pa.Read(context.Background(), f, st.Size(), mediaType, opts)
}

// TestOracleFixtures checks every JPEG, PNG, WebP and .c2pa fixture against
// the state and failure codes c2pa-rs reported (INDEX.tsv).
func TestOracleFixtures(t *testing.T) {
	anchors, err := os.ReadFile(testenv.Fixture(t, "certs/anchors-all.pem"))
	if err != nil {
		t.Fatal(err)
	}
	// Every format with a registered handler: JPEG, PNG, WebP, WAV, AVI
	// and bare .c2pa stores (checked alone, as the oracle did).
	for _, row := range assettest.Fixtures(t) {
		t.Run(row.File, func(t *testing.T) {
			rep, err := readFixture(t, row.File, row.MediaType, c2pa.ReadOptions{TrustAnchors: anchors})
			if row.OracleState == "error" {
				var re *c2pa.ReadError
				if !errors.As(err, &re) {
					t.Fatalf("want error %s, got %v", row.OracleFailures, err)
				}
				// Same c2pa-rs error name; the detail must match for
				// RemoteManifestUrl (the URL) and is free text otherwise.
				name, detail := oracleError(row.OracleFailures)
				if re.Name != name || (name == "RemoteManifestUrl" && re.Detail != detail) {
					t.Errorf("error = %s, want %s", re.Error(), row.OracleFailures)
				}
				return
			}
			if err != nil {
				t.Fatalf("Read: %v (oracle: %s %s)", err, row.OracleState, row.OracleFailures)
			}
			got := rep.FailureCodes()
			slices.Sort(got)
			var want []string
			if row.OracleFailures != "" {
				want = strings.Split(row.OracleFailures, ",")
			}
			slices.Sort(want)
			if rep.ValidationState != row.OracleState || !slices.Equal(got, want) {
				t.Errorf("state %s failures %v, oracle %s %v", rep.ValidationState, got, row.OracleState, want)
				for _, e := range rep.ValidationStatus {
					t.Logf("  %s", e)
				}
			}
		})
	}
}

// TestSidecarPair validates jpeg/rs-CA.jpg against the c2pa-js sidecar store
// of the same asset (INDEX.tsv pairs them): c2pa-node reports only
// signingCredential.untrusted without trust; with the anchors it is Trusted.
func TestSidecarPair(t *testing.T) {
	store, err := os.ReadFile(testenv.Fixture(t, "c2pa/c2pa/js-CA-manifest_data.c2pa"))
	if err != nil {
		t.Fatal(err)
	}
	anchors, err := os.ReadFile(testenv.Fixture(t, "certs/anchors-all.pem"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		anchors []byte
		state   string
		fails   []string
	}{
		{nil, c2pa.StateValid, []string{"signingCredential.untrusted"}},
		{anchors, c2pa.StateTrusted, nil},
	} {
		rep, err := readFixture(t, "jpeg/rs-CA.jpg", "image/jpeg", c2pa.ReadOptions{Sidecar: store, TrustAnchors: tc.anchors})
		if err != nil {
			t.Fatal(err)
		}
		if rep.ValidationState != tc.state || !slices.Equal(rep.FailureCodes(), tc.fails) {
			t.Errorf("anchors=%v: state %s failures %v, want %s %v", tc.anchors != nil, rep.ValidationState, rep.FailureCodes(), tc.state, tc.fails)
		}
	}
}

// oracleError splits a c2pa-rs error as INDEX.tsv records it,
// C2pa(Name) or C2pa(Name("detail")) or C2pa(Name(Inner)), into name and detail.
func oracleError(s string) (name, detail string) {
	s = strings.TrimSuffix(strings.TrimPrefix(s, "C2pa("), ")")
	name, rest, ok := strings.Cut(s, "(")
	if !ok {
		return name, ""
	}
	return name, strings.Trim(strings.TrimSuffix(rest, ")"), `"`)
}

// TestRemoteManifest reads jpeg/rs-cloud.jpg, whose XMP names a remote
// store: an error naming the URL by default, and with a fetcher the store
// c2pa/rs-cloud_manifest.c2pa (what the URL served) validated against it.
func TestRemoteManifest(t *testing.T) {
	_, err := readFixture(t, "jpeg/rs-cloud.jpg", "image/jpeg", c2pa.ReadOptions{})
	var re *c2pa.ReadError
	if !errors.As(err, &re) || re.Name != "RemoteManifestUrl" || !strings.HasPrefix(re.Detail, "https://cai-manifests.adobe.com/") {
		t.Fatalf("err = %v, want RemoteManifestUrl", err)
	}
	store, err := os.ReadFile(testenv.Fixture(t, "c2pa/c2pa/rs-cloud_manifest.c2pa"))
	if err != nil {
		t.Fatal(err)
	}
	var asked string
	fetch := func(_ context.Context, url string) ([]byte, error) { asked = url; return store, nil }
	rep, err := readFixture(t, "jpeg/rs-cloud.jpg", "image/jpeg", c2pa.ReadOptions{FetchRemote: fetch})
	if err != nil {
		t.Fatal(err)
	}
	if asked != re.Detail {
		t.Errorf("fetched %q, want %q", asked, re.Detail)
	}
	// c2pa-rs test_jpg_cloud_from_memory_and_manifest: only the untrusted
	// credential without trust settings.
	if got := rep.FailureCodes(); !slices.Equal(got, []string{"signingCredential.untrusted"}) {
		t.Errorf("failures %v", got)
	}
}
