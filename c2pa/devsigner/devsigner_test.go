package devsigner_test

import (
	"bytes"
	"context"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"provgraph/c2pa/cose"
	"provgraph/c2pa/devsigner"
	"provgraph/c2pa/status"
	"provgraph/c2pa/trust"
	"provgraph/internal/testenv"
)

var claim = []byte{0xa1, 0x61, 'x', 0x01}

// TestDevSignerProfileAndReuse: the development leaf passes the C2PA profile,
// its signatures are trusted with root.pem as the anchor, files are reused
// and the key is private.
func TestDevSignerProfileAndReuse(t *testing.T) {
	data := t.TempDir()
	s1, err := devsigner.Dev(data)
	if err != nil {
		t.Fatal(err)
	}
	if perr := trust.CheckProfile(s1.Leaf, trust.ProfileOptions{EndEntity: true}); perr != nil {
		t.Errorf("dev leaf fails the profile: %v", perr)
	}
	if len(s1.Chain) != 1 || s1.Algorithm != cose.ES256 {
		t.Errorf("chain %d certs, alg %v; want leaf only, ES256", len(s1.Chain), s1.Algorithm)
	}
	fi, err := os.Stat(filepath.Join(data, devsigner.DirName, devsigner.KeyFile))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("key.pem mode %v, want 0600", fi.Mode().Perm())
	}
	s2, err := devsigner.Dev(data)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(s1.Leaf.Raw, s2.Leaf.Raw) || !bytes.Equal(s1.Root.Raw, s2.Root.Raw) {
		t.Error("second call made a new PKI instead of reusing it")
	}

	rootPEM, err := os.ReadFile(s1.RootPath)
	if err != nil {
		t.Fatal(err)
	}
	store, err := trust.New(trust.Config{NoOfficialLists: true, Anchors: rootPEM})
	if err != nil {
		t.Fatal(err)
	}
	sig, err := s2.Sign(context.Background(), claim, s2.ReserveSize(false), nil, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(sig) != s2.ReserveSize(false) {
		t.Errorf("signature %d bytes, reserve %d", len(sig), s2.ReserveSize(false))
	}
	r := store.VerifyClaimSignature(sig, claim, trust.VerifyOptions{ClaimVersion: 2})
	for _, code := range []status.Code{status.SigningCredentialTrusted, status.ClaimSignatureValidated, status.ClaimSignatureInsideValidity} {
		if !r.Has(code) {
			t.Errorf("missing %s in %v", code, r.Entries)
		}
	}
	for _, e := range r.Entries {
		if e.Kind == status.Failure {
			t.Errorf("unexpected failure %v", e)
		}
	}
}

// TestLoadSigner loads each c2pa-rs test key with its chain and signs.
func TestLoadSigner(t *testing.T) {
	tests := []struct {
		name string
		alg  cose.Algorithm
	}{
		{"es256", cose.ES256}, {"es384", cose.ES384}, {"es512", cose.ES512},
		{"ps256", cose.PS256}, {"ps384", cose.PS384}, {"ps512", cose.PS512}, // RSASSA-PSS keys name their hash
		{"ed25519", cose.EdDSA},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := devsigner.LoadSigner(testenv.Fixture(t, "certs/c2pa-rs/"+tt.name+".pub"), testenv.Fixture(t, "certs/c2pa-rs/"+tt.name+".pem"))
			if err != nil {
				t.Fatal(err)
			}
			if s.Algorithm != tt.alg {
				t.Errorf("alg %v, want %v", s.Algorithm, tt.alg)
			}
			sig, err := s.Sign(context.Background(), claim, s.ReserveSize(false), nil, 2)
			if err != nil {
				t.Fatal(err)
			}
			parsed, err := cose.Parse(sig)
			if err != nil {
				t.Fatal(err)
			}
			if err := parsed.Verify(claim); err != nil {
				t.Errorf("Verify: %v", err)
			}
		})
	}
}

func TestLoadSignerErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.pem")
	if err := os.WriteFile(bad, []byte("nothing here"), 0o600); err != nil {
		t.Fatal(err)
	}
	es256 := testenv.Fixture(t, "certs/c2pa-rs/es256.pem")
	es384chain := testenv.Fixture(t, "certs/c2pa-rs/es384.pub")
	tests := []struct {
		name, cert, key string
		want            error
	}{
		{"no certificate", bad, es256, devsigner.ErrNoCertificate},
		{"no key", es384chain, bad, devsigner.ErrNoKey},
		{"foreign key", es384chain, es256, devsigner.ErrKeyMismatch},
	}
	for _, tt := range tests {
		if _, err := devsigner.LoadSigner(tt.cert, tt.key); !errors.Is(err, tt.want) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.want)
		}
	}
}

// TestNewDropsRoot: a chain ending in its self-signed root loses the root.
func TestNewDropsRoot(t *testing.T) {
	ds, err := devsigner.Dev(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	s, err := devsigner.New(ds.Key, [][]byte{ds.Leaf.Raw, ds.Root.Raw}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Chain) != 1 {
		t.Errorf("chain has %d certs, want the leaf only", len(s.Chain))
	}
	if b := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.Chain[0]}); len(b) == 0 {
		t.Error("leaf does not encode")
	}
}

func TestSignerCheckProfile(t *testing.T) {
	ds, err := devsigner.Dev(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := ds.CheckProfile(time.Time{}, nil); err != nil {
		t.Errorf("dev signer: %v", err)
	}
	if err := ds.CheckProfile(ds.Leaf.NotAfter.Add(time.Hour), nil); err == nil {
		t.Error("expired leaf accepted")
	}
	var perr *trust.ProfileError
	if err := ds.CheckProfile(ds.Leaf.NotAfter.Add(time.Hour), nil); !errors.As(err, &perr) || perr.Code != status.SigningCredentialExpired {
		t.Errorf("err = %v, want a signingCredential.expired ProfileError", err)
	}
}
