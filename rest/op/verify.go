package op

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"provgraph/apierror"
	"provgraph/ent"
	"provgraph/verifications"
)

// verifyResponse is the data of POST /verify.
type verifyResponse struct {
	VerifyID string          `json:"verifyId"`
	Trust    trustInfo       `json:"trust"`
	Manifest *verifyManifest `json:"manifest"`
	Meta     verifyMeta      `json:"meta"`
}

type trustInfo struct {
	Tier        string  `json:"tier"`
	Label       string  `json:"label"`
	Description string  `json:"description"`
	Confidence  string  `json:"confidence"`
	EdgeCase    *string `json:"edgeCase"`
}

type verifyManifest struct {
	ClaimGenerator string     `json:"claimGenerator"`
	SignerName     string     `json:"signerName"`
	Timestamp      *time.Time `json:"timestamp"`
}

type verifyMeta struct {
	VerifiedAt time.Time  `json:"verifiedAt"`
	ExpiresAt  *time.Time `json:"expiresAt"`
	APIVersion string     `json:"apiVersion"`
}

// trustResponse is the light data of GET /trust/{verifyId}.
type trustResponse struct {
	VerifyID   string     `json:"verifyId"`
	Tier       string     `json:"tier"`
	Label      string     `json:"label"`
	Confidence string     `json:"confidence"`
	VerifiedAt time.Time  `json:"verifiedAt"`
	ExpiresAt  *time.Time `json:"expiresAt"`
}

// verify answers POST /verify: the result is kept for the verification
// TTL (1 hour), readable by its verifyId.
func (h *handler) verify(c *call) error {
	ups, release, err := c.files("file", false)
	if err != nil {
		return err
	}
	defer release()
	if err := c.takeVerifies(1); err != nil {
		return err
	}
	v, err := h.d.Verifications.VerifyFile(c.ctx, ups[0].FileName, "", ups[0].Content)
	if err != nil {
		return &fileError{err}
	}
	return c.ok(http.StatusOK, describe(v))
}

// describe is the full description of a verification.
func describe(v *ent.Verification) verifyResponse {
	a := verifications.AssessmentOf(v)
	out := verifyResponse{
		VerifyID: v.PublicID,
		Trust: trustInfo{
			Tier:        string(a.Tier),
			Label:       a.Label,
			Description: a.Description,
			Confidence:  string(a.Confidence),
		},
		Meta: verifyMeta{VerifiedAt: verifiedAt(v), ExpiresAt: utc(v.ExpiresAt), APIVersion: APIVersion},
	}
	if a.EdgeCase != "" {
		e := string(a.EdgeCase)
		out.Trust.EdgeCase = &e
	}
	if f, ok := factsOf(v.Report); ok {
		out.Manifest = &verifyManifest{ClaimGenerator: f.claimGenerator, SignerName: f.signer, Timestamp: utc(f.time)}
	}
	return out
}

func verifiedAt(v *ent.Verification) time.Time {
	if v.CompletedAt != nil {
		return v.CompletedAt.UTC()
	}
	return v.CreatedAt.UTC()
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// publicVerification loads a live verification by its public id.
func (h *handler) publicVerification(c *call) (*ent.Verification, error) {
	v, err := h.d.Verifications.GetPublic(c.ctx, c.r.PathValue("verifyId"))
	if errors.Is(err, verifications.ErrNotFound) {
		return nil, fmt.Errorf("%w: no verification %q, or it has expired", apierror.ErrNotFound, c.r.PathValue("verifyId"))
	}
	return v, err
}

// trust answers GET /trust/{verifyId}.
func (h *handler) trust(c *call) error {
	v, err := h.publicVerification(c)
	if err != nil {
		return err
	}
	a := verifications.AssessmentOf(v)
	return c.ok(http.StatusOK, trustResponse{
		VerifyID:   v.PublicID,
		Tier:       string(a.Tier),
		Label:      a.Label,
		Confidence: string(a.Confidence),
		VerifiedAt: verifiedAt(v),
		ExpiresAt:  utc(v.ExpiresAt),
	})
}

// badge answers GET /badge/{verifyId}?format=svg|html|json&theme&size.
func (h *handler) badge(c *call) error {
	q := c.r.URL.Query()
	format := q.Get("format")
	if format == "" {
		format = "svg"
	}
	if format != "svg" && format != "html" && format != "json" {
		return invalidFieldErr("format", "want svg, html or json")
	}
	opts, err := verifications.BadgeOptions(q.Get("theme"), q.Get("size"))
	if err != nil {
		return err
	}
	v, err := h.publicVerification(c)
	if err != nil {
		return err
	}
	b := h.d.Verifications.Badge(v)
	svg := url.Values{"format": {"svg"}}
	for _, k := range []string{"theme", "size"} {
		if q.Get(k) != "" {
			svg.Set(k, q.Get(k))
		}
	}
	b.SVGURL = h.base + "/badge/" + url.PathEscape(v.PublicID) + "?" + svg.Encode()
	hd := c.w.Header()
	hd.Set("X-Content-Type-Options", "nosniff")
	switch format {
	case "svg":
		hd.Set("Content-Type", "image/svg+xml")
		hd.Set("Cache-Control", "public, max-age=300")
		_, _ = c.w.Write([]byte(b.SVG(opts)))
	case "html":
		hd.Set("Content-Type", "text/html; charset=utf-8")
		hd.Set("Cache-Control", "public, max-age=300")
		_, _ = c.w.Write([]byte(b.HTML(b.SVGURL)))
	default:
		return c.ok(http.StatusOK, b)
	}
	return nil
}
