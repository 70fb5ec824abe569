package badge

import (
	"errors"
	"fmt"
	"html"
	"strings"

	"provgraph/verify"
)

// Theme is the colour scheme of the badge.
type Theme string

// Themes.
const (
	Light Theme = "light"
	Dark  Theme = "dark"
)

// Size is the badge size.
type Size string

// Sizes.
const (
	Small  Size = "sm"
	Medium Size = "md"
	Large  Size = "lg"
)

// ErrOption is returned for an unknown theme or size.
var ErrOption = errors.New("badge: unknown option")

// Options choose how a badge looks.
type Options struct {
	Theme Theme
	Size  Size
}

// ParseOptions validates theme and size strings; empty means light and md.
func ParseOptions(theme, size string) (Options, error) {
	o := Options{Theme: Light, Size: Medium}
	switch Theme(theme) {
	case "":
	case Light, Dark:
		o.Theme = Theme(theme)
	default:
		return o, fmt.Errorf("%w: theme %q (light or dark)", ErrOption, theme)
	}
	switch Size(size) {
	case "":
	case Small, Medium, Large:
		o.Size = Size(size)
	default:
		return o, fmt.Errorf("%w: size %q (sm, md or lg)", ErrOption, size)
	}
	return o, nil
}

// Badge is what a badge shows, in its JSON form.
type Badge struct {
	VerifyID   string            `json:"verifyId"`
	Tier       verify.Tier       `json:"tier"`
	Label      string            `json:"label"`
	Confidence verify.Confidence `json:"confidence"`
	AIDeclared bool              `json:"aiDeclared"`
	Color      string            `json:"color"`
	VerifyURL  string            `json:"verifyUrl"`
	SVGURL     string            `json:"svgUrl,omitempty"`
}

// New builds the badge of an assessment.
func New(verifyID string, a verify.Assessment, verifyURL string) Badge {
	return Badge{
		VerifyID:   verifyID,
		Tier:       a.Tier,
		Label:      a.Label,
		Confidence: a.Confidence,
		AIDeclared: a.AIDeclared,
		Color:      palette[a.Tier][Light].accent,
		VerifyURL:  verifyURL,
	}
}

type colours struct{ accent, text, background, border string }

// palette holds colours chosen for WCAG AA contrast (≥ 4.5:1) of the text
// against the background in both themes; the tier is also spelled out, so
// colour is never the only signal.
var palette = map[verify.Tier]map[Theme]colours{
	verify.TierVerified:        {Light: {"#1a7f37", "#0f5323", "#ffffff", "#1a7f37"}, Dark: {"#3fb950", "#aff5b4", "#0d1117", "#3fb950"}},
	verify.TierSignedUntrusted: {Light: {"#9a6700", "#6b4700", "#ffffff", "#9a6700"}, Dark: {"#d29922", "#f8e3a1", "#0d1117", "#d29922"}},
	verify.TierTampered:        {Light: {"#cf222e", "#8e1519", "#ffffff", "#cf222e"}, Dark: {"#f85149", "#ffc1ba", "#0d1117", "#f85149"}},
	verify.TierInvalid:         {Light: {"#bc4c00", "#7c2d00", "#ffffff", "#bc4c00"}, Dark: {"#db6d28", "#ffd8b5", "#0d1117", "#db6d28"}},
	verify.TierNoCredentials:   {Light: {"#57606a", "#24292f", "#ffffff", "#57606a"}, Dark: {"#8b949e", "#e6edf3", "#0d1117", "#8b949e"}},
}

// Glyph is the symbol badges show for tier ("✓", "✗", …), for pages that
// draw the verdict themselves; "" for an unknown tier.
func Glyph(tier verify.Tier) string { return glyphs[tier] }

var glyphs = map[verify.Tier]string{
	verify.TierVerified:        "✓",
	verify.TierSignedUntrusted: "?",
	verify.TierTampered:        "✗",
	verify.TierInvalid:         "!",
	verify.TierNoCredentials:   "–",
}

var scales = map[Size]struct{ height, font, pad int }{
	Small:  {20, 11, 6},
	Medium: {28, 14, 9},
	Large:  {40, 20, 12},
}

// SVG renders the badge as a standalone SVG document with a <title> and
// role="img", so screen readers announce the verdict.
func (b Badge) SVG(o Options) string {
	c, ok := palette[b.Tier][o.Theme]
	if !ok {
		c = palette[verify.TierNoCredentials][Light]
	}
	sc := scales[o.Size]
	if sc.height == 0 {
		sc = scales[Medium]
	}
	text := "C2PA · " + b.Label
	if b.AIDeclared {
		text += " · AI-generated"
	}
	// A monospace-free width estimate: 0.6 em per character is generous for
	// the sans-serif stacks browsers pick, so the text never overflows.
	textW := int(float64(len([]rune(text))) * float64(sc.font) * 0.6)
	iconW := sc.height
	width := iconW + sc.pad + textW + sc.pad
	title := "Content Credentials: " + b.Label
	if b.AIDeclared {
		title += " (declares AI generation)"
	}
	var s strings.Builder
	fmt.Fprintf(&s, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-labelledby="t-%s">`,
		width, sc.height, width, sc.height, esc(b.VerifyID))
	fmt.Fprintf(&s, `<title id="t-%s">%s</title>`, esc(b.VerifyID), esc(title))
	fmt.Fprintf(&s, `<rect x="0.5" y="0.5" width="%d" height="%d" rx="%d" fill="%s" stroke="%s"/>`,
		width-1, sc.height-1, sc.height/4, c.background, c.border)
	fmt.Fprintf(&s, `<rect x="0" y="0" width="%d" height="%d" rx="%d" fill="%s"/>`, iconW, sc.height, sc.height/4, c.accent)
	fmt.Fprintf(&s, `<text x="%d" y="%d" font-family="system-ui,-apple-system,Segoe UI,Roboto,sans-serif" font-size="%d" font-weight="700" text-anchor="middle" fill="%s">%s</text>`,
		iconW/2, sc.height/2+sc.font*7/20, sc.font, c.background, esc(glyphs[b.Tier]))
	fmt.Fprintf(&s, `<text x="%d" y="%d" font-family="system-ui,-apple-system,Segoe UI,Roboto,sans-serif" font-size="%d" fill="%s">%s</text>`,
		iconW+sc.pad, sc.height/2+sc.font*7/20, sc.font, c.text, esc(text))
	s.WriteString(`</svg>`)
	return s.String()
}

// HTML returns an embed snippet: the badge image linking to the public
// verification page, with alt text.
func (b Badge) HTML(svgURL string) string {
	alt := "Content Credentials: " + b.Label
	return fmt.Sprintf(`<a href="%s" rel="noopener" target="_blank"><img src="%s" alt="%s"></a>`,
		esc(b.VerifyURL), esc(svgURL), esc(alt))
}

func esc(s string) string { return html.EscapeString(s) }
