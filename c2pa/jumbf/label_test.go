package jumbf_test

import (
	"errors"
	"testing"

	"provgraph/c2pa/jumbf"
)

func TestValidLabel(t *testing.T) {
	tests := []struct {
		label string
		ok    bool
	}{
		{"c2pa.assertions", true},
		{"urn:c2pa:8b5b3c1e-2c49-4f3e-9a4e-0d8f2d0a5c11:acme", true},
		{"c2pa.ingredient.v3__1", true},
		{"café", true},
		{"", false},
		{"a/b", false},
		{"a;b", false},
		{"a?b", false},
		{"a#b", false},
		{"a\x00b", false},
		{"a\x7fb", false},
		{"a\u0085b", false},
		{"a\ufeffb", false},
		{"a\uffffb", false},
		{"a\xffb", false},
	}
	for _, tt := range tests {
		err := jumbf.ValidLabel(tt.label)
		if (err == nil) != tt.ok || (err != nil && !errors.Is(err, jumbf.ErrBadLabel)) {
			t.Errorf("ValidLabel(%q) = %v, want ok=%v", tt.label, err, tt.ok)
		}
	}
}
