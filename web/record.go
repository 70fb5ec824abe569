package web

import (
	"encoding/json"
	"fmt"
	"html/template"
	"strings"
	"time"

	"provgraph/article50"
	"provgraph/badge"
	"provgraph/c2pa/status"
	"provgraph/ent"
	"provgraph/signing"
	"provgraph/verifications"
	"provgraph/verify"
)

// maxChainDepth bounds how deep the provenance tree is drawn: ingredients
// of ingredients of … a hostile report cannot make the page unbounded.
const maxChainDepth = 8

// recordView is what the record page shows of one verification.
type recordView struct {
	PublicID    string
	Tier        verify.Tier
	Glyph       string
	Label       string
	Description string
	Confidence  verify.Confidence
	// EdgeCase explains the circumstance that qualifies the tier, if any.
	EdgeCase string
	File     fileView
	// Signer is nil when no manifest was read.
	Signer     *signerView
	Disclosure disclosureView
	// Chain is the active manifest and its ingredients; nil without one.
	Chain *chainNode
	Codes []codeRow
	// NoStoreReason says why no credentials were read, if so.
	NoStoreReason string
	// Thumbnail is the thumbnail's URL (a data: URL for an upload).
	Thumbnail template.URL
	PageURL   string
	ReportURL string
	BadgeURL  string
	CheckedAt time.Time
	ExpiresAt *time.Time
	JustNow   bool
	KeptFor   string
}

// fileView describes the verified bytes.
type fileView struct {
	Name      string
	MediaType string
	// Size is negative when unknown.
	Size   int64
	SHA256 string
	CID    string
}

// signerView describes who signed the active manifest, and when.
type signerView struct {
	CommonName string
	Issuer     string
	Algorithm  string
	// Time is when it was signed, if known, and TimeSource where that
	// time comes from.
	Time       *time.Time
	TimeSource string
	// Timestamp says whether a trusted time-stamp backs the time.
	Timestamp        string
	TimestampTrusted bool
}

// disclosureView is the Article 50 disclosure in plain words.
type disclosureView struct {
	// Sentence is the disclosure, or "" when none is attached.
	Sentence string
	// Caveat qualifies it when the credentials cannot be relied on.
	Caveat string
	// Declared is the organisation that declared it, if named.
	Declared string
}

// chainNode is one manifest or ingredient of the provenance tree.
type chainNode struct {
	Title        string
	Format       string
	Relationship string
	Generator    string
	Signer       string
	// State is ok, failed or none; StateText says it in words.
	State     string
	StateText string
	Children  []chainNode
}

// codeRow is one validation status with its explanation.
type codeRow struct {
	Kind        string
	KindClass   string
	Code        string
	Meaning     string
	Explanation string
	Scope       string
}

// facts is what the record page is built from besides the row.
type facts struct {
	// Stored is the stored file, when the verification is about one.
	Stored *verifications.StoredFile
	// Upload is the size and CID of a file just uploaded.
	Upload *fileView
	// Thumbnail is a data: URL of an upload's thumbnail, or the route of a
	// stored one.
	Thumbnail template.URL
	PageURL   string
	BadgeURL  string
	JustNow   bool
	KeptFor   string
}

// buildRecord turns a verification row and its report into what the page
// shows. It never fails: a report it cannot read leaves its parts empty.
func buildRecord(v *ent.Verification, rep reportView, f facts) recordView {
	a := verifications.AssessmentOf(v)
	r := recordView{
		PublicID:    v.PublicID,
		Tier:        a.Tier,
		Glyph:       badge.Glyph(a.Tier),
		Label:       a.Label,
		Description: a.Description,
		Confidence:  a.Confidence,
		EdgeCase:    verify.EdgeCases[a.EdgeCase],
		File: fileView{
			Name:      v.FileName,
			MediaType: v.MediaType,
			Size:      -1,
			SHA256:    strings.TrimPrefix(v.Sha256, "sha256:"),
		},
		Thumbnail: f.Thumbnail,
		PageURL:   f.PageURL,
		ReportURL: "/verify/" + v.PublicID + "/report.json",
		BadgeURL:  f.BadgeURL,
		ExpiresAt: v.ExpiresAt,
		JustNow:   f.JustNow,
		KeptFor:   f.KeptFor,
	}
	if v.CompletedAt != nil {
		r.CheckedAt = *v.CompletedAt
	} else {
		r.CheckedAt = v.CreatedAt
	}
	switch {
	case f.Stored != nil:
		r.File.Size, r.File.CID = f.Stored.Size, f.Stored.CID
	case f.Upload != nil:
		r.File.Size, r.File.CID = f.Upload.Size, f.Upload.CID
	}
	if rep.Error != "" {
		r.NoStoreReason = noStoreReasons[rep.Error]
		if r.NoStoreReason == "" {
			r.NoStoreReason = "The credentials could not be read (" + rep.Error + ")."
		}
	}
	m, ok := rep.Manifests[rep.ActiveManifest]
	if ok {
		r.Signer = signerOf(m, rep, v, f.Stored)
		r.Chain = chainOf(rep, m, a, v.FileName)
		r.Disclosure = disclosureOf(m, a, v.MediaType)
	} else if a.AIDeclared {
		r.Disclosure.Sentence = "The credentials declare that generative AI was used to make this file."
	}
	r.Codes = codesOf(rep)
	return r
}

// noStoreReasons explain the engine's reasons for reading no store.
var noStoreReasons = map[string]string{
	"JumbfNotFound":         "The file carries no Content Credentials.",
	"RemoteManifestUrl":     "The file points to Content Credentials stored elsewhere, which this service does not fetch.",
	"RemoteManifestFetch":   "The file points to Content Credentials stored elsewhere, which could not be retrieved.",
	"JumbfParseError":       "The file contains Content Credentials that are damaged and cannot be read.",
	"InvalidAsset":          "The file is damaged or not of the type it claims, so its credentials cannot be read.",
	"TooManyManifestStores": "The file contains more than one set of Content Credentials, which is not allowed.",
}

// signerOf describes the signature of the active manifest m.
func signerOf(m manifestView, rep reportView, v *ent.Verification, stored *verifications.StoredFile) *signerView {
	s := &signerView{}
	if si := m.SignatureInfo; si != nil {
		s.CommonName, s.Issuer, s.Algorithm = si.CommonName, si.Issuer, si.Alg
		if t, err := time.Parse(time.RFC3339Nano, si.Time); err == nil {
			s.Time, s.TimeSource = &t, "from the time-stamp"
		}
	}
	codes := map[status.Code]bool{}
	if vr := rep.ValidationResults; vr != nil {
		for _, es := range [][]status.Entry{vr.ActiveManifest.Success, vr.ActiveManifest.Informational} {
			for _, e := range es {
				codes[e.Code] = true
			}
		}
	}
	switch {
	case codes[status.TimeStampTrusted]:
		s.Timestamp, s.TimestampTrusted = "Yes: a trusted time-stamp authority confirms when it was signed.", true
	case codes[status.TimeStampValidated] || codes[status.TimeStampUntrusted]:
		s.Timestamp = "Partly: a time-stamp is present, but its authority is not on the trust list."
	default:
		s.Timestamp = "No: no time-stamp backs the signing time."
	}
	if s.Time == nil && stored != nil && stored.Signed && v.ExpiresAt == nil && v.CompletedAt != nil {
		t := *v.CompletedAt
		s.Time, s.TimeSource = &t, "as recorded by this service when it signed the file"
	}
	return s
}

// disclosureOf states the Article 50 declaration signed into m, with a
// caveat when the credentials cannot be relied on.
func disclosureOf(m manifestView, a verify.Assessment, mediaType string) disclosureView {
	var d disclosureView
	for _, as := range m.Assertions {
		if as.Label != signing.DeclarationLabel {
			continue
		}
		var decl article50.Declaration
		if json.Unmarshal(as.Data, &decl) == nil && decl.ModificationType != "" {
			d.Sentence = decl.Sentence(noun(mediaType))
			d.Declared = decl.Organization
		}
		break
	}
	if d.Sentence == "" && a.AIDeclared {
		d.Sentence = fmt.Sprintf("The credentials declare that generative AI was used to make this %s.", noun(mediaType))
	}
	if d.Sentence == "" {
		return d
	}
	switch a.Tier {
	case verify.TierTampered:
		d.Caveat = "The file changed after this was declared, so it may not describe what you see."
	case verify.TierInvalid:
		d.Caveat = "These credentials failed validation, so this statement cannot be relied on."
	case verify.TierSignedUntrusted:
		d.Caveat = "The signer is not on the trust list: this is what the signer states, not confirmed by a trusted party."
	}
	return d
}

// noun names what a media type is, for the disclosure sentence.
func noun(mediaType string) string {
	switch {
	case strings.HasPrefix(mediaType, "image/"):
		return "image"
	case strings.HasPrefix(mediaType, "video/"):
		return "video"
	case strings.HasPrefix(mediaType, "audio/"):
		return "audio recording"
	case mediaType == "application/pdf":
		return "document"
	}
	return "file"
}

// chainOf builds the provenance tree from the active manifest m.
func chainOf(rep reportView, m manifestView, a verify.Assessment, fileName string) *chainNode {
	root := manifestNode(m, fileName)
	root.State, root.StateText = stateOfTier(a.Tier), a.Label
	root.Children = ingredientNodes(rep, m, map[string]bool{m.Label: true}, 1)
	return &root
}

// manifestNode describes a manifest, titled fallback when it has no title.
func manifestNode(m manifestView, fallback string) chainNode {
	n := chainNode{Title: m.Title, Format: m.Format, Generator: generatorOf(m)}
	if n.Title == "" {
		n.Title = fallback
	}
	if m.SignatureInfo != nil {
		n.Signer = m.SignatureInfo.CommonName
	}
	return n
}

// ingredientNodes lists the ingredients of m with their own status.
func ingredientNodes(rep reportView, m manifestView, seen map[string]bool, depth int) []chainNode {
	if depth > maxChainDepth {
		return nil
	}
	deltas := map[string][]status.Entry{}
	if vr := rep.ValidationResults; vr != nil {
		for _, d := range vr.IngredientDeltas {
			deltas[d.URI] = append(deltas[d.URI], d.Deltas.Failure...)
		}
	}
	var out []chainNode
	for _, ing := range m.Ingredients {
		n := chainNode{Title: ing.Title, Format: ing.Format, Relationship: relationships[ing.Relationship]}
		if n.Title == "" {
			n.Title = "Untitled ingredient"
		}
		if n.Relationship == "" {
			n.Relationship = ing.Relationship
		}
		failures := deltas[ingredientURI(m.Label, ing.Label)]
		if ing.ValidationResults != nil {
			failures = append(failures, ing.ValidationResults.ActiveManifest.Failure...)
		}
		for _, e := range ing.ValidationStatus {
			if e.Code.Kind() == status.Failure && !status.Tolerated(e.Code) {
				failures = append(failures, e)
			}
		}
		switch {
		case len(failures) > 0:
			n.State = "failed"
			n.StateText = "Credentials failed: " + describe(failures[0].Code)
		case ing.ActiveManifest != "":
			n.State, n.StateText = "ok", "Has intact Content Credentials"
		default:
			n.State, n.StateText = "none", "No Content Credentials"
		}
		if im, ok := rep.Manifests[ing.ActiveManifest]; ok && !seen[ing.ActiveManifest] {
			seen[ing.ActiveManifest] = true
			if g := generatorOf(im); g != "" {
				n.Generator = g
			}
			if im.SignatureInfo != nil {
				n.Signer = im.SignatureInfo.CommonName
			}
			n.Children = ingredientNodes(rep, im, seen, depth+1)
		}
		out = append(out, n)
	}
	return out
}

// relationships say an ingredient's relationship in words.
var relationships = map[string]string{
	"parentOf":    "edited from",
	"componentOf": "contains",
	"inputTo":     "used as input",
}

// ingredientURI is the absolute URI validation results key an
// ingredient's deltas by.
func ingredientURI(manifest, label string) string {
	return "self#jumbf=/c2pa/" + manifest + "/c2pa.assertions/" + label
}

// generatorOf names the software that made a manifest.
func generatorOf(m manifestView) string {
	for _, g := range m.GeneratorInfo {
		name, _ := g["name"].(string)
		if name == "" {
			continue
		}
		if ver, ok := g["version"].(string); ok && ver != "" {
			return name + " " + ver
		}
		return name
	}
	return m.ClaimGenerator
}

// stateOfTier maps a tier onto the tree's three states.
func stateOfTier(t verify.Tier) string {
	switch t {
	case verify.TierVerified, verify.TierSignedUntrusted:
		return "ok"
	case verify.TierNoCredentials:
		return "none"
	}
	return "failed"
}

// describe is a code's meaning from the shared status table, or the code
// itself when the table does not know it.
func describe(c status.Code) string {
	if m := c.Meaning(); m != "" {
		return m
	}
	return string(c)
}

// kindText names the kinds of status for people.
var kindText = map[status.Kind][2]string{
	status.Success:       {"Passed", "pass"},
	status.Informational: {"Note", "note"},
	status.Failure:       {"Failed", "fail"},
}

// codesOf lists every validation status of the report: the active
// manifest's, then each ingredient's, failures first within each.
func codesOf(rep reportView) []codeRow {
	titles := map[string]string{}
	for _, m := range rep.Manifests {
		for _, ing := range m.Ingredients {
			titles[ingredientURI(m.Label, ing.Label)] = ing.Title
		}
	}
	var rows []codeRow
	add := func(scope string, c codesView) {
		for _, g := range []struct {
			kind    status.Kind
			entries []status.Entry
		}{{status.Failure, c.Failure}, {status.Informational, c.Informational}, {status.Success, c.Success}} {
			for _, e := range g.entries {
				rows = append(rows, row(scope, g.kind, e))
			}
		}
	}
	if vr := rep.ValidationResults; vr != nil {
		add("This file", vr.ActiveManifest)
		for _, d := range vr.IngredientDeltas {
			scope := "Ingredient"
			if t := titles[d.URI]; t != "" {
				scope += " “" + t + "”"
			}
			add(scope, d.Deltas)
		}
		return rows
	}
	var c codesView
	for _, e := range rep.ValidationStatus {
		switch e.Code.Kind() {
		case status.Success:
			c.Success = append(c.Success, e)
		case status.Informational:
			c.Informational = append(c.Informational, e)
		default:
			c.Failure = append(c.Failure, e)
		}
	}
	add("This file", c)
	return rows
}

// row is one table row of a status entry.
func row(scope string, k status.Kind, e status.Entry) codeRow {
	kt := kindText[k]
	meaning := e.Code.Meaning()
	if meaning == "" {
		meaning = "A status this service does not know; see the validator's explanation."
	}
	return codeRow{Kind: kt[0], KindClass: kt[1], Code: string(e.Code), Meaning: meaning, Explanation: e.Explanation, Scope: scope}
}

// humanBytes writes a size for people, e.g. "1.4 MB (1,437,212 bytes)".
func humanBytes(n int64) string {
	if n < 0 {
		return "not recorded"
	}
	exact := groupThousands(n) + " bytes"
	if n == 1 {
		exact = "1 byte"
	}
	if n < 1000 {
		return exact
	}
	units := []string{"kB", "MB", "GB", "TB"}
	f := float64(n) / 1000
	i := 0
	for f >= 1000 && i < len(units)-1 {
		f /= 1000
		i++
	}
	return fmt.Sprintf("%.1f %s (%s)", f, units[i], exact)
}

// groupThousands writes n with comma separators.
func groupThousands(n int64) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
