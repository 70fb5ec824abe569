package scan

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
)

// DefaultMaxMetadataBytes is the metadata read budget used when
// Options.MaxMetadataBytes is zero.
const DefaultMaxMetadataBytes = 16 << 20

// DefaultMaxFieldBytes caps each value kept in Report.RawFields when
// Options.MaxFieldBytes is zero.
const DefaultMaxFieldBytes = 4096

// C2PAReader reads and validates the C2PA manifest store of a file and
// returns the c2pa-rs Reader::json() report (active_manifest, manifests,
// validation_results, validation_state). It reads the file itself, so its
// reads are not charged to the scan's metadata budget.
type C2PAReader func(ctx context.Context, r io.ReaderAt, size int64, mediaType string) (json.RawMessage, error)

// Options configures a scan. The zero value is usable: no C2PA reader, the
// default byte budget and field cap.
type Options struct {
	// C2PA, when set, is called for files that carry a C2PA manifest store,
	// whose XMP names a remote one, or whose carrier the scanner cannot rule
	// out (PDF, formats it does not walk). Without it a manifest is
	// detected but never trusted.
	C2PA C2PAReader
	// MaxMetadataBytes caps the bytes the scanner itself reads from the
	// file; 0 means DefaultMaxMetadataBytes.
	MaxMetadataBytes int64
	// MaxFieldBytes caps each value kept in Report.RawFields (longer
	// values are cut and marked); 0 means DefaultMaxFieldBytes.
	MaxFieldBytes int
}

// Verdict is the scanner's conclusion about AI disclosure.
type Verdict string

// Verdicts, from strongest to weakest marking.
const (
	// VerdictDeclaredAI: a C2PA manifest that validates (Valid or Trusted)
	// declares an AI digital source type in its active manifest, the only
	// machine-readable Article 50 marking the scanner accepts.
	VerdictDeclaredAI Verdict = "declared-ai"
	// VerdictHintedAI: unsigned metadata, an invalid or unvalidated
	// manifest, or a generator name says AI, but no valid signature does.
	VerdictHintedAI Verdict = "hinted-ai"
	// VerdictNoAIMarking: nothing read says AI.
	VerdictNoAIMarking Verdict = "no-ai-marking"
)

// Evidence is one place in the file that says something about how it was
// made.
type Evidence struct {
	// Source is where it was read: "c2pa", "c2pa-ingredient", "xmp",
	// "exif", "iptc", "png-text", "jpeg-comment", "gif-comment",
	// "riff-info", "bmff-metadata", "id3".
	Source string `json:"source"`
	// Field is the raw field name, as in Report.RawFields.
	Field string `json:"field"`
	// Value is the value read (cut to Options.MaxFieldBytes).
	Value string `json:"value"`
	// Indicates is what the value means: one of the Indicates* constants.
	Indicates string `json:"indicates"`
}

// Values of Evidence.Indicates.
const (
	IndicatesAIGenerated   = "ai-generated"             // made by a generative model
	IndicatesAIComposite   = "ai-composite"             // combines captured and generated elements
	IndicatesSynthetic     = "synthetic"                // made by an algorithm (not a trained model)
	IndicatesAIModel       = "ai-model"                 // names a generative model or service
	IndicatesAIEnhanced    = "algorithmically-enhanced" // corrected by algorithm, content unchanged
	IndicatesCaptured      = "captured"                 // sampled from real life (camera, film, screen)
	IndicatesHumanMade     = "human-made"               // made or edited by people with non-generative tools
	IndicatesUnspecified   = "unspecified"              // a source type that says nothing either way
	IndicatesC2PAPresent   = "c2pa-manifest"            // a manifest store is embedded or referenced
	IndicatesSoftware      = "software"                 // names a tool, not known as generative
	IndicatesTrainingRules = "data-mining-rules"        // text-and-data-mining permission
)

// aiIndication reports whether an Indicates value says the content is
// (partly) made by a generative AI model. IndicatesSynthetic is not one:
// IPTC's algorithmicMedia is media computed "not based on any sampled
// training data", which Article 50 does not reach.
func aiIndication(ind string) bool {
	switch ind {
	case IndicatesAIGenerated, IndicatesAIComposite, IndicatesAIModel:
		return true
	}
	return false
}

// nonAIIndication reports whether an Indicates value says the content was
// captured or made by people.
func nonAIIndication(ind string) bool {
	return ind == IndicatesCaptured || ind == IndicatesHumanMade
}

// C2PASummary is what the scanner derived from the C2PA reader's report.
type C2PASummary struct {
	// Carrier names where the manifest store was found, e.g. "jpeg-app11".
	Carrier string `json:"carrier,omitempty"`
	// ValidationState is Invalid, Valid or Trusted ("" when not validated).
	ValidationState string `json:"validationState,omitempty"`
	// ActiveManifest is the label of the active manifest.
	ActiveManifest string `json:"activeManifest,omitempty"`
	// ClaimGenerator names the active manifest's claim generator(s).
	ClaimGenerator string `json:"claimGenerator,omitempty"`
	// SoftwareAgents lists the softwareAgent names of its actions.
	SoftwareAgents []string `json:"softwareAgents,omitempty"`
	// Failures lists the failure codes of the active manifest.
	Failures []string `json:"failures,omitempty"`
	// Error is set when the reader failed.
	Error string `json:"error,omitempty"`
}

// Report is the result of a scan. Its JSON keeps the shape of NotarAI's
// scan result (hasC2PA, hasXMP, aiModel, rawFields, c2paManifest) and adds
// the verdict and the evidence behind it.
type Report struct {
	// MediaType is what Sniff made of the file's bytes (refined to DNG
	// when IFD0 says so).
	MediaType string `json:"mediaType"`
	// HasC2PA is true when a C2PA manifest store is embedded (its carrier
	// was found, or the C2PA reader read one).
	HasC2PA bool `json:"hasC2PA"`
	// HasXMP is true when an XMP packet was found.
	HasXMP bool `json:"hasXMP"`
	// AIModel is the normalised id of the generative model the most
	// trusted evidence names (vocab.json), or null.
	AIModel *string `json:"aiModel"`
	// RawFields maps "GROUP:Name" (e.g. "XMP:DigitalSourceType",
	// "EXIF:Software", "PNG:parameters") to the value read; repeated
	// fields are joined with "; ".
	RawFields map[string]string `json:"rawFields"`
	// C2PAManifest is the C2PA reader's full report, or null.
	C2PAManifest json.RawMessage `json:"c2paManifest"`

	// Verdict and Reason state the conclusion and why.
	Verdict Verdict `json:"verdict"`
	Reason  string  `json:"reason"`
	// Evidence lists every field that says how the file was made.
	Evidence []Evidence `json:"evidence"`
	// DigitalSourceTypes lists the IPTC/C2PA source type terms found
	// anywhere (manifest, ingredients, XMP), in order of discovery.
	DigitalSourceTypes []string `json:"digitalSourceTypes"`
	// AIModelEvidence is the evidence AIModel was taken from.
	AIModelEvidence *Evidence `json:"aiModelEvidence,omitempty"`
	// C2PA summarises the C2PA reader's report; nil without one.
	C2PA *C2PASummary `json:"c2pa,omitempty"`
	// Conflicting is true when some evidence says AI and other evidence
	// says captured or human-made.
	Conflicting bool `json:"conflicting,omitempty"`
	// Warnings lists malformed or unread parts; the report covers the rest.
	Warnings []string `json:"warnings,omitempty"`
	// BytesRead is how many bytes the scanner read from the file (the C2PA
	// reader's own reads are not counted).
	BytesRead int64 `json:"bytesRead"`
}

// Scan reads the metadata of the size-byte file behind r and reports what it
// says about how the file was made. Malformed or truncated metadata does not
// fail the scan: it ends up in Report.Warnings. Scan fails only when ctx is
// done or r returns an I/O error. It is safe for concurrent use.
func Scan(ctx context.Context, r io.ReaderAt, size int64, opts Options) (*Report, error) {
	if opts.MaxMetadataBytes <= 0 {
		opts.MaxMetadataBytes = DefaultMaxMetadataBytes
	}
	if opts.MaxFieldBytes <= 0 {
		opts.MaxFieldBytes = DefaultMaxFieldBytes
	}
	if r == nil || size < 0 {
		return nil, fmt.Errorf("scan: no file (reader %v, size %d)", r != nil, size)
	}
	b := &budget{limit: opts.MaxMetadataBytes}
	src := newSource(r, size, b)
	head, err := src.readUpTo("file", 0, min(sniffLen, opts.MaxMetadataBytes))
	if err != nil && !isContentError(err) {
		return nil, fmt.Errorf("scan: %w", err)
	}
	c := newCollector(opts, Sniff(head))
	if err != nil {
		c.warn(err) // over budget already: report what little there is
	}

	walk := walkers[c.rep.MediaType]
	if walk != nil {
		if err := walk(c, src); err != nil {
			c.warn(err)
		}
		if c.ioErr != nil {
			return nil, fmt.Errorf("scan %s: %w", c.rep.MediaType, c.ioErr)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("scan: %w", err)
	}
	// Ask the C2PA reader where a manifest may be: a carrier was found, the
	// XMP points at a remote store, or the format's carrier cannot be ruled
	// out (not walked, or, in PDF, possibly inside a compressed object
	// stream the byte search cannot see).
	if opts.C2PA != nil && (c.carrier != "" || c.remoteRef || walk == nil || c.rep.MediaType == MediaPDF) {
		if err := c.readC2PA(ctx, r, size); err != nil {
			return nil, err
		}
	}
	c.rep.BytesRead = b.used
	c.finish()
	return c.rep, nil
}

// isContentError reports whether err is about the file's content (malformed
// or over budget) rather than a failure to read it.
func isContentError(err error) bool {
	var fe *FormatError
	return errors.As(err, &fe) || errors.Is(err, ErrMetadataLimit)
}

// walkers maps a media type to the function that walks its container.
var walkers = map[string]func(*collector, *source) error{
	MediaJPEG: walkJPEG,
	MediaPNG:  walkPNG,
	MediaWebP: walkRIFF,
	MediaWAV:  walkRIFF,
	MediaAVI:  walkRIFF,
	MediaGIF:  walkGIF,
	MediaTIFF: walkTIFF,
	MediaDNG:  walkTIFF,
	MediaHEIC: walkBMFF,
	MediaHEIF: walkBMFF,
	MediaAVIF: walkBMFF,
	MediaMP4:  walkBMFF,
	MediaMOV:  walkBMFF,
	MediaM4A:  walkBMFF,
	MediaMP3:  walkMP3,
	MediaSVG:  walkSVG,
	MediaPDF:  walkPDF,
	MediaXMP:  walkXMPSidecar,
	MediaC2PA: func(c *collector, _ *source) error { c.foundC2PA("c2pa-sidecar"); return nil },
}

// sortedKeys returns the keys of m in order, for stable output.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// cut shortens s to at most n bytes on a UTF-8 boundary, marking the cut.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := n
	for i > 0 && i < len(s) && s[i]&0xC0 == 0x80 {
		i--
	}
	return s[:i] + "…[truncated]"
}

// cleanText trims NULs and spaces that binary containers pad text with.
func cleanText(s string) string {
	return strings.TrimSpace(strings.Trim(s, "\x00"))
}
