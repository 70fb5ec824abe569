package trust_test

import (
	"crypto/x509"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"provgraph/c2pa/cose/cosetest"
	"provgraph/c2pa/status"
	"provgraph/c2pa/trust"
	"provgraph/internal/testenv"
)

func TestEmbeddedLists(t *testing.T) {
	tests := []struct {
		load     func() (*trust.Source, error)
		anchors  int
		leaves   int
		legacy   bool
		wantKind trust.Kind
	}{
		{trust.OfficialList, 30, 0, false, trust.Official},
		{trust.OfficialTSAList, 22, 0, false, trust.OfficialTSA},
		{trust.InterimList, 18, 86, true, trust.Interim},
	}
	for _, tt := range tests {
		src, err := tt.load()
		if err != nil {
			t.Fatal(err)
		}
		if len(src.Anchors) != tt.anchors || len(src.EndEntities) != tt.leaves || src.Legacy != tt.legacy || src.Kind != tt.wantKind || src.Published.IsZero() {
			t.Errorf("%s: %d anchors, %d leaves, legacy %v, kind %v, published %v", src.Name,
				len(src.Anchors), len(src.EndEntities), src.Legacy, src.Kind, src.Published)
		}
	}
	if n := len(trust.ParseEKUConfig(trust.InterimEKUConfig())); n != 6 {
		t.Errorf("interim store.cfg has %d OIDs, want 6", n)
	}
}

func TestNewStoreSources(t *testing.T) {
	pem, err := os.ReadFile(testenv.Fixture(t, "certs/c2pa-rs/trust/test_cert_root_bundle.pem"))
	if err != nil {
		t.Fatal(err)
	}
	newer := filepath.Join(t.TempDir(), "list.pem")
	if err := os.WriteFile(newer, pem, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := trust.New(trust.Config{Anchors: pem, UserAnchors: pem, Interim: true, OfficialListFile: newer})
	if err != nil {
		t.Fatal(err)
	}
	var kinds []trust.Kind
	for _, src := range s.Sources() {
		kinds = append(kinds, src.Kind)
	}
	want := []trust.Kind{trust.Operator, trust.Official, trust.OfficialTSA, trust.User, trust.Interim}
	if len(kinds) != len(want) {
		t.Fatalf("kinds %v, want %v", kinds, want)
	}
	for i := range want {
		if kinds[i] != want[i] {
			t.Fatalf("kinds %v, want %v", kinds, want)
		}
	}
	if got := len(s.Sources()[1].Anchors); got != len(s.Sources()[0].Anchors) {
		t.Errorf("replacement official list has %d anchors, want the file's %d", got, len(s.Sources()[0].Anchors))
	}
	if _, err := trust.New(trust.Config{Anchors: []byte("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")}); !errors.Is(err, trust.ErrBadList) {
		t.Errorf("bad bundle: %v, want ErrBadList", err)
	}
	if _, err := trust.New(trust.Config{OfficialListFile: filepath.Join(t.TempDir(), "missing.pem")}); !errors.Is(err, trust.ErrBadList) {
		t.Errorf("missing list: %v, want ErrBadList", err)
	}
}

// TestInterimLegacyTrust: with the opt-in CAI interim list (and its
// store.cfg), Bing and Photoshop signers become trusted through a source
// flagged Legacy, as the oracle reports with the same files; Microsoft's
// test signer is no longer invalid but still untrusted.
func TestInterimLegacyTrust(t *testing.T) {
	s, err := trust.New(trust.Config{NoOfficialLists: true, Interim: true})
	if err != nil {
		t.Fatal(err)
	}
	dir := testenv.Fixture(t, "c2pa")
	tests := []struct {
		file    string
		trusted bool
		fails   []status.Code
	}{
		{"jpeg/ms-bing_creator_cloud_surfing_puppy.jpg", true, nil},
		{"png/vs-unknown-actions.png", true, nil},
		{"jpeg/ms-cards_trusted.jpg", false, []status.Code{status.SigningCredentialUntrusted}},
		{"jpeg/pt-nikon-20221019-building.jpeg", false, []status.Code{status.SigningCredentialUntrusted, status.SigningCredentialExpired}},
	}
	for _, tt := range tests {
		ms, err := cosetest.Manifests(filepath.Join(dir, tt.file))
		if err != nil {
			t.Fatal(err)
		}
		m := ms[len(ms)-1]
		r := s.VerifyClaimSignature(m.Signature, m.Claim, trust.VerifyOptions{ClaimVersion: claimVersion(m.Claim), Now: indexDate})
		if tt.trusted != (r.Anchor != nil) {
			t.Errorf("%s: anchor %v, want trusted=%v", tt.file, r.Anchor, tt.trusted)
		}
		if r.Anchor != nil && (!r.Anchor.Source.Legacy || r.Anchor.Source.Name != trust.InterimListURL) {
			t.Errorf("%s: trusted through %q legacy=%v", tt.file, r.Anchor.Source.Name, r.Anchor.Source.Legacy)
		}
		var fails []status.Code
		for _, e := range r.Entries {
			if e.Kind == status.Failure {
				fails = append(fails, e.Code)
			}
		}
		if len(fails) != len(tt.fails) {
			t.Errorf("%s: failures %v, want %v", tt.file, fails, tt.fails)
			continue
		}
		for i := range fails {
			if fails[i] != tt.fails[i] {
				t.Errorf("%s: failures %v, want %v", tt.file, fails, tt.fails)
			}
		}
	}
}

// TestEmptyStoreUntrusted: without anchors every signer is untrusted but the
// signature still validates (the oracle's "no --trust" state Valid).
func TestEmptyStoreUntrusted(t *testing.T) {
	s := trust.NewStore(nil)
	ms, err := cosetest.Manifests(testenv.Fixture(t, "c2pa/jpeg/rs-CA.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	m := ms[len(ms)-1]
	r := s.VerifyClaimSignature(m.Signature, m.Claim, trust.VerifyOptions{ClaimVersion: 1, Now: indexDate})
	if !r.Has(status.SigningCredentialUntrusted) || !r.Validated || r.Anchor != nil {
		t.Errorf("entries %v", r.Entries)
	}
	if _, err := s.TrustChain(r.Chain, indexDate); !errors.Is(err, trust.ErrUntrusted) {
		t.Errorf("TrustChain: %v, want ErrUntrusted", err)
	}
	// The chain out of order is refused even with its anchor present.
	pem, _ := os.ReadFile(testenv.Fixture(t, "certs/anchors-all.pem"))
	full, _ := trust.New(trust.Config{NoOfficialLists: true, Anchors: pem})
	if _, err := full.TrustChain(r.Chain, indexDate); err != nil {
		t.Fatalf("ordered chain: %v", err)
	}
	if len(r.Chain) > 1 {
		swapped := []*x509.Certificate{r.Chain[1], r.Chain[0]}
		if _, err := full.TrustChain(swapped, indexDate); !errors.Is(err, trust.ErrUntrusted) {
			t.Errorf("swapped chain: %v, want ErrUntrusted", err)
		}
	}
}

// TestSeparatePurposes: pooled (c2pa-rs ≤ 0.91), an anchor on the TSA list
// also vouches for claim signers; with SeparatePurposes it does not. The
// Pixel file stays trusted on the embedded official lists either way: its
// signer chains to the C2PA Trust List and its TSA to the TSA Trust List.
func TestSeparatePurposes(t *testing.T) {
	pem, err := os.ReadFile(testenv.Fixture(t, "certs/c2pa-rs/trust/test_cert_root_bundle.pem"))
	if err != nil {
		t.Fatal(err)
	}
	tsaOnly, err := trust.NewSource("tsa-list", trust.OfficialTSA, pem)
	if err != nil {
		t.Fatal(err)
	}
	pooled := trust.NewStore(nil, tsaOnly)
	ms, err := cosetest.Manifests(testenv.Fixture(t, "c2pa/jpeg/rs-CA.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	m := ms[len(ms)-1]
	opts := trust.VerifyOptions{ClaimVersion: 1, Now: indexDate}
	if r := pooled.VerifyClaimSignature(m.Signature, m.Claim, opts); r.Anchor == nil {
		t.Errorf("pooled: untrusted %v", r.Entries)
	}
	if r := pooled.SeparatePurposes().VerifyClaimSignature(m.Signature, m.Claim, opts); r.Anchor != nil {
		t.Errorf("separate: trusted through %s", r.Anchor.Source.Name)
	}

	ms, err = cosetest.Manifests(testenv.Fixture(t, "c2pa/jpeg/lr-PXL_20260208_202351558.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	m = ms[len(ms)-1]
	for _, separate := range []bool{false, true} {
		s, err := trust.New(trust.Config{SeparatePurposes: separate})
		if err != nil {
			t.Fatal(err)
		}
		r := s.VerifyClaimSignature(m.Signature, m.Claim, trust.VerifyOptions{ClaimVersion: 2, Now: indexDate})
		if r.Anchor == nil || r.Anchor.Source.Kind != trust.Official || !r.Has(status.TimeStampTrusted) {
			t.Errorf("separate=%v: anchor %v, entries %v", separate, r.Anchor, r.Entries)
		}
	}
}
