package resolvers

import (
	"encoding/json"
	"fmt"

	"provgraph/ent"
	"provgraph/graph"
	"provgraph/verifications"
	"provgraph/verify"
)

// trustAssessment maps an assessment onto its GraphQL type.
func trustAssessment(a verify.Assessment) *graph.TrustAssessment {
	t := &graph.TrustAssessment{
		Tier:        string(a.Tier),
		Label:       a.Label,
		Description: a.Description,
		Confidence:  string(a.Confidence),
		AiDeclared:  a.AIDeclared,
	}
	if a.EdgeCase != verify.EdgeNone {
		e := string(a.EdgeCase)
		t.EdgeCase = &e
	}
	return t
}

// verificationBadge renders the badge of v in its three forms.
func verificationBadge(s *verifications.Service, v *ent.Verification, theme, size *string) (*graph.VerificationBadge, error) {
	deref := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	o, err := verifications.BadgeOptions(deref(theme), deref(size))
	if err != nil {
		return nil, err
	}
	b := s.Badge(v)
	raw, err := json.Marshal(b)
	if err != nil {
		return nil, fmt.Errorf("resolvers: badge JSON: %w", err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("resolvers: badge JSON: %w", err)
	}
	return &graph.VerificationBadge{SVG: b.SVG(o), HTML: b.HTML(b.SVGURL), JSON: m}, nil
}
