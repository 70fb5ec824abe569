package asset_test

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"testing"

	"provgraph/c2pa/asset"
)

func frame(store []byte) ([]byte, error) { return append([]byte("<"), append(store, '>')...), nil }

func TestBuild(t *testing.T) {
	in := []byte("0123456789")
	tests := []struct {
		name     string
		storeLen int
		edits    []asset.Edit
		want     string
		carrier  asset.Range
	}{
		{"insert", 3, []asset.Edit{{At: asset.Range{Start: 4}, Store: true}}, "0123<abc>456789", asset.Range{Start: 4, Length: 5}},
		{"replace and patch", 3, []asset.Edit{
			{At: asset.Range{Start: 8, Length: 2}},
			{At: asset.Range{Start: 0, Length: 1}, Literal: []byte("X")},
			{At: asset.Range{Start: 5}, Store: true, Literal: []byte("!")},
		}, "X1234<abc>!567", asset.Range{Start: 5, Length: 5}},
		{"insertion before deletion at the same offset", 3, []asset.Edit{
			{At: asset.Range{Start: 2, Length: 3}},
			{At: asset.Range{Start: 2}, Store: true},
		}, "01<abc>56789", asset.Range{Start: 2, Length: 5}},
		{"removal only", 0, []asset.Edit{{At: asset.Range{Start: 2, Length: 3}}, {At: asset.Range{Start: 2}, Store: true}}, "0156789", asset.Range{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			carrier := int64(0)
			if tt.storeLen > 0 {
				carrier = int64(tt.storeLen + 2)
			}
			p, err := asset.Build("test", int64(len(in)), tt.storeLen, carrier, frame, tt.edits)
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			if _, err := p.WriteTo(&out, bytes.NewReader(in), []byte("abc")[:tt.storeLen]); err != nil {
				t.Fatal(err)
			}
			if out.String() != tt.want || p.OutputSize != int64(len(tt.want)) {
				t.Fatalf("output %q (size %d), want %q", out.String(), p.OutputSize, tt.want)
			}
			if p.Carrier != tt.carrier {
				t.Errorf("carrier %v, want %v", p.Carrier, tt.carrier)
			}
			h := sha256.New()
			if err := p.HashExcluding(bytes.NewReader(in), h); err != nil {
				t.Fatal(err)
			}
			e := p.Carrier
			want := sha256.Sum256([]byte(tt.want[:e.Start] + tt.want[e.End():]))
			if !bytes.Equal(h.Sum(nil), want[:]) {
				t.Error("HashExcluding hashed other bytes than the output minus the carrier")
			}

			// One pass: the same hash, and the same output once the carrier
			// is written over the zeros.
			var one bytes.Buffer
			h1 := sha256.New()
			n, err := p.WriteHashing(&one, bytes.NewReader(in), h1)
			if err != nil || n != p.OutputSize {
				t.Fatalf("WriteHashing: %d bytes, %v", n, err)
			}
			if !bytes.Equal(h1.Sum(nil), want[:]) {
				t.Error("WriteHashing hashed other bytes than the output minus the carrier")
			}
			got := one.Bytes()
			if tt.storeLen > 0 {
				if !bytes.Equal(got[e.Start:e.End()], make([]byte, e.Length)) {
					t.Errorf("carrier place not zeroed: %q", got[e.Start:e.End()])
				}
				c, _ := frame([]byte("abc")[:tt.storeLen])
				copy(got[e.Start:], c)
			}
			if string(got) != tt.want {
				t.Errorf("one-pass output %q, want %q", got, tt.want)
			}
		})
	}
}

func TestPlanErrors(t *testing.T) {
	in := []byte("0123456789")
	if _, err := asset.Build("test", 10, 1, 3, frame, []asset.Edit{{At: asset.Range{Start: 2, Length: 4}}, {At: asset.Range{Start: 4, Length: 1}}}); !errors.Is(err, asset.ErrMalformed) {
		t.Errorf("overlapping edits: err = %v", err)
	}
	if _, err := asset.Build("test", 10, 1, 3, frame, []asset.Edit{{At: asset.Range{Start: 8, Length: 4}}}); !errors.Is(err, asset.ErrMalformed) {
		t.Errorf("edit past the end: err = %v", err)
	}
	if _, err := asset.Build("test", 10, asset.MaxStoreSize+1, 3, frame, nil); !errors.Is(err, asset.ErrTooLarge) {
		t.Errorf("huge store: err = %v", err)
	}
	p, err := asset.Build("test", 10, 3, 5, frame, []asset.Edit{{At: asset.Range{Start: 4}, Store: true}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.WriteTo(&bytes.Buffer{}, bytes.NewReader(in), []byte("ab")); !errors.Is(err, asset.ErrStoreSize) {
		t.Errorf("short store: err = %v", err)
	}
	p.Wrap = func([]byte) ([]byte, error) { return []byte("<>"), nil }
	if _, err := p.WriteTo(&bytes.Buffer{}, bytes.NewReader(in), []byte("abc")); !errors.Is(err, asset.ErrStoreSize) {
		t.Errorf("short carrier: err = %v", err)
	}
	p.Exclusions = nil
	if err := p.HashExcluding(bytes.NewReader(in), sha256.New()); err == nil {
		t.Error("HashExcluding over an unexcluded store succeeded")
	}
	p.Exclusions = []asset.Range{{Start: 12, Length: 10}}
	if err := p.HashExcluding(bytes.NewReader(in), sha256.New()); !errors.Is(err, asset.ErrExclusion) {
		t.Errorf("exclusion past the output: err = %v", err)
	}
	if err := p.HashExcluding(bytes.NewReader(in[:5]), sha256.New()); err == nil {
		t.Error("HashExcluding over a short input succeeded")
	}
}
