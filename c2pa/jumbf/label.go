package jumbf

import (
	"errors"
	"fmt"
	"unicode/utf8"
)

// ErrBadLabel reports a label that breaks the JUMBF label rules.
var ErrBadLabel = errors.New("jumbf: invalid label")

// ValidLabel checks a superbox label against ISO 19566-5 §B.3 as C2PA
// quotes it (C2PA-NOTES §1.2): non-empty UTF-8 without C0/C1 controls,
// DEL, "/", ";", "?", "#", U+FEFF or U+FFFF. Parse does not apply it, as
// c2pa-rs does not; writers should.
func ValidLabel(label string) error {
	if label == "" {
		return fmt.Errorf("%w: empty", ErrBadLabel)
	}
	if !utf8.ValidString(label) {
		return fmt.Errorf("%w: %q is not UTF-8", ErrBadLabel, label)
	}
	for i, r := range label {
		switch {
		case r <= 0x1F, r >= 0x7F && r <= 0x9F, r == '/', r == ';', r == '?', r == '#', r == 0xFEFF, r == 0xFFFF:
			return fmt.Errorf("%w: %q has %U at byte %d", ErrBadLabel, label, r, i)
		}
	}
	return nil
}
