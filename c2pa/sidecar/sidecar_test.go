package sidecar_test

import (
	"bytes"
	"errors"
	"os"
	"testing"

	"provgraph/c2pa/asset"
	"provgraph/c2pa/asset/assettest"
	"provgraph/c2pa/sidecar"
	"provgraph/internal/testenv"
)

func TestReadStore(t *testing.T) {
	fixture, err := os.ReadFile(testenv.Fixture(t, "c2pa/c2pa/rs-cloud_manifest.c2pa"))
	if err != nil {
		t.Fatal(err)
	}
	short := bytes.Clone(assettest.Store)
	short[3]++ // LBox one past the end
	tests := []struct {
		name  string
		in    []byte
		sniff bool
		want  error
	}{
		{"fixture", fixture, true, nil},
		{"built store", assettest.Store, true, nil},
		{"JPEG", []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x02\x00\x00\x01\x00\x01\x00\x00\x00\x00"), false, asset.ErrNoStore},
		{"empty", nil, false, asset.ErrNoStore},
		{"box past end", short, true, asset.ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := sidecar.Handler{}
			if got := h.Sniff(tt.in); got != tt.sniff {
				t.Errorf("Sniff = %v", got)
			}
			got, err := h.ReadStore(bytes.NewReader(tt.in), int64(len(tt.in)))
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if tt.want == nil && !bytes.Equal(got, tt.in) {
				t.Error("ReadStore did not return the file")
			}
			var fe *asset.FormatError
			if tt.want != nil && !errors.As(err, &fe) {
				t.Errorf("err %T is not a *asset.FormatError", err)
			}
		})
	}
}

func TestPlanReplacesFile(t *testing.T) {
	old := []byte("anything at all")
	p, err := sidecar.Handler{}.Plan(bytes.NewReader(old), int64(len(old)), len(assettest.Store))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if _, err := p.WriteTo(&out, bytes.NewReader(old), assettest.Store); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), assettest.Store) || p.Carrier != (asset.Range{Length: int64(len(assettest.Store))}) {
		t.Errorf("output %d bytes, carrier %v", out.Len(), p.Carrier)
	}
}
