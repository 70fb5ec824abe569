package badge

import (
	"math"
	"strconv"
	"testing"
)

// luminance is the WCAG 2.x relative luminance of a #rrggbb colour.
func luminance(t *testing.T, hex string) float64 {
	t.Helper()
	v, err := strconv.ParseUint(hex[1:], 16, 32)
	if err != nil || len(hex) != 7 {
		t.Fatalf("bad colour %q", hex)
	}
	ch := func(c uint64) float64 {
		s := float64(c) / 255
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(v>>16&0xff) + 0.7152*ch(v>>8&0xff) + 0.0722*ch(v&0xff)
}

func contrast(t *testing.T, a, b string) float64 {
	la, lb := luminance(t, a), luminance(t, b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// TestPaletteContrast checks WCAG AA: body text 4.5:1 against the badge
// background, and the glyph (drawn in the background colour on the accent)
// 3:1, the large-text/graphics threshold.
func TestPaletteContrast(t *testing.T) {
	for tier, themes := range palette {
		for theme, c := range themes {
			if r := contrast(t, c.text, c.background); r < 4.5 {
				t.Errorf("%s/%s: text contrast %.2f < 4.5", tier, theme, r)
			}
			if r := contrast(t, c.background, c.accent); r < 3 {
				t.Errorf("%s/%s: glyph contrast %.2f < 3", tier, theme, r)
			}
		}
	}
}
