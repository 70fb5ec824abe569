package assettest

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"

	"provgraph/c2pa/asset"
	"provgraph/internal/testenv"
)

// Fixture is one row of shared/fixtures/c2pa/INDEX.tsv.
type Fixture struct {
	File           string // path below fixtures/c2pa, e.g. "jpeg/rs-CA.jpg"
	MediaType      string
	HasManifest    bool
	OracleState    string // Trusted, Valid, Invalid or error
	OracleFailures string // comma-separated codes, or the c2pa-rs error
}

// Fixtures returns the INDEX.tsv rows whose media type has a registered
// handler (import provgraph/c2pa/asset/all first).
func Fixtures(t testing.TB) []Fixture {
	t.Helper()
	f, err := os.Open(testenv.Fixture(t, "c2pa/INDEX.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.Comma, cr.LazyQuotes = '\t', true
	rows, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []Fixture
	for _, row := range rows[1:] {
		fx := Fixture{File: row[0], MediaType: row[1], HasManifest: row[3] == "yes", OracleState: row[6], OracleFailures: row[7]}
		if _, ok := asset.Lookup(fx.MediaType); ok {
			out = append(out, fx)
		}
	}
	return out
}

// ReadFixture returns the bytes of a file below fixtures/c2pa.
func ReadFixture(t testing.TB, rel string) []byte {
	t.Helper()
	data, err := os.ReadFile(testenv.Fixture(t, filepath.Join("c2pa", rel)))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// Apply runs h's plan for store (nil: removal) on data and returns the plan
// and the output.
func Apply(t testing.TB, h asset.Handler, data, store []byte) (*asset.Plan, []byte) {
	t.Helper()
	p, err := h.Plan(bytes.NewReader(data), int64(len(data)), len(store))
	if err != nil {
		t.Fatalf("Plan(%d): %v", len(store), err)
	}
	var out bytes.Buffer
	n, err := p.WriteTo(&out, bytes.NewReader(data), store)
	if err != nil {
		t.Fatalf("WriteTo: %v", err)
	}
	if n != p.OutputSize || int64(out.Len()) != n {
		t.Fatalf("wrote %d (%d) bytes, planned %d", n, out.Len(), p.OutputSize)
	}
	return p, out.Bytes()
}
