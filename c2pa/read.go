package c2pa

import (
	"context"
	"errors"
	"io"
	"time"

	"provgraph/c2pa/asset"
	"provgraph/c2pa/status"
	"provgraph/c2pa/trust"
)

// ReadOptions configure Read.
type ReadOptions struct {
	// Trust is the trust store signers and time-stamp authorities are
	// checked against (see package trust).
	Trust *trust.Store
	// TrustAnchors, used when Trust is nil, is a PEM bundle of anchors, the
	// only ones consulted (like c2pa-rs's trust_anchors). Without either
	// every signer is signingCredential.untrusted (state at best Valid).
	TrustAnchors []byte
	// Sidecar, when set, is a manifest store read instead of the asset's
	// embedded one (a .c2pa file); the asset is still used for hard bindings.
	Sidecar []byte
	// BMFFFragments, when set, are media segments of a fragmented MP4
	// whose initialization segment is the asset: BMFF hashes are checked
	// against each of them with it (c2pa-rs's fragment reading).
	BMFFFragments []Fragment
	// CAWGTrust is the trust store for X.509 identity assertion signers
	// (c2pa-rs cawg_trust); nil trusts none of them.
	CAWGTrust *trust.Store
	// TrustedICAIssuers lists the issuer DIDs of identity claims
	// aggregation credentials to trust (c2pa-rs trusted_ica_issuers).
	TrustedICAIssuers []string
	// noCrypto skips signature, credential and time-stamp checks; fuzz
	// targets set it (export_test.go) so that executions stay fast.
	noCrypto bool
	// Time overrides the current time for certificate validity checks
	// when the signature carries no trusted time-stamp.
	Time time.Time
	// FetchRemote, when set, fetches the manifest store an asset without an
	// embedded one names in its XMP (dcterms:provenance). Remote fetching is
	// off by default: such an asset then yields ErrRemoteManifestURL, and a
	// failed fetch ErrRemoteManifestFetch. The engine itself never opens a
	// network connection (outbound.Policy.FetchBytes is a fetcher).
	FetchRemote func(ctx context.Context, url string) ([]byte, error)
}

// MaxStoreSize bounds an embedded or sidecar manifest store.
const MaxStoreSize = 256 << 20

// Read finds, parses and validates the manifest store of an asset and
// returns the report. mediaType may be a media type or a file extension;
// "application/c2pa" reads r as a bare manifest store. A nil report comes
// with a *ReadError when no store could be read.
func Read(ctx context.Context, r io.ReaderAt, size int64, mediaType string, opts ReadOptions) (*Report, error) {
	// Handlers may act on a quick walk of the asset's start, checked by a
	// follower on the bytes the hash pass reads (asset.Speculator); when a
	// guess did not hold, the asset is read again without guessing.
	rep, err := read(ctx, r, size, mediaType, opts, true)
	if errors.Is(err, errSpeculation) {
		rep, err = read(ctx, r, size, mediaType, opts, false)
	}
	return rep, err
}

func read(ctx context.Context, r io.ReaderAt, size int64, mediaType string, opts ReadOptions, speculate bool) (*Report, error) {
	ra := newReadAhead(r, size)
	ra.speculative = speculate
	defer ra.Close()
	rep, err := readFrom(ctx, ra, size, mediaType, opts)
	// Every guess must have held, and an error found on a wrong guess is
	// not the asset's.
	if cerr := ra.confirm(); cerr != nil {
		return nil, cerr
	}
	return rep, err
}

func readFrom(ctx context.Context, r io.ReaderAt, size int64, mediaType string, opts ReadOptions) (*Report, error) {
	var (
		h   asset.Handler
		raw []byte
		err error
	)
	if mediaType == "application/c2pa" || mediaType == "c2pa" {
		if size > MaxStoreSize {
			return nil, readErr(ErrJumbfParse, "store too large", nil)
		}
		raw = make([]byte, size)
		if _, err := r.ReadAt(raw, 0); err != nil && !errors.Is(err, io.EOF) {
			return nil, err
		}
	} else {
		var ok bool
		if h, ok = asset.Lookup(mediaType); !ok {
			if h, err = asset.Detect(r, size); err != nil {
				return nil, readErr(ErrUnsupportedType, "", err)
			}
		}
		raw = opts.Sidecar
		if raw == nil {
			raw, err = h.ReadStore(r, size)
			switch {
			case errors.Is(err, asset.ErrNoStore):
				url, _ := h.RemoteURL(r, size)
				if url == "" {
					return nil, readErr(ErrJumbfNotFound, "", err)
				}
				if opts.FetchRemote == nil {
					return nil, readErr(ErrRemoteManifestURL, url, nil)
				}
				if raw, err = opts.FetchRemote(ctx, url); err != nil {
					return nil, readErr(ErrRemoteManifestFetch, err.Error(), err)
				}
				if len(raw) > MaxStoreSize {
					return nil, readErr(ErrJumbfParse, "remote store too large", nil)
				}
			case errors.Is(err, asset.ErrTooManyStores):
				return nil, readErr(ErrTooManyManifestStores, "", err)
			case err != nil:
				return nil, readErr(ErrInvalidAsset, err.Error(), err)
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return validateStore(ctx, raw, h, r, size, opts)
}

// ReadStore validates a bare manifest store without an asset; hard
// bindings then report a mismatch, as c2pa-rs does.
func ReadStore(ctx context.Context, store []byte, opts ReadOptions) (*Report, error) {
	return validateStore(ctx, store, nil, nil, 0, opts)
}

func validateStore(ctx context.Context, raw []byte, h asset.Handler, r io.ReaderAt, size int64, opts ReadOptions) (*Report, error) {
	ts, err := opts.trustStore()
	if err != nil {
		return nil, err
	}
	v := &validator{ctx: ctx, opts: opts, trust: ts, asset: r, size: size, storeLen: len(raw)}
	s, err := ParseStore(raw, &v.log)
	if err != nil {
		return nil, err
	}
	if len(s.Manifests) == 0 {
		return nil, readErr(ErrJumbfNotFound, "", nil)
	}
	v.store = s
	if h != nil {
		v.handler = &assetSource{h: h, r: r, size: size}
	}
	if err := v.run(); err != nil {
		return nil, err
	}
	rep := &Report{Store: s, Manifests: &Object{}}
	if a := s.Active(); a != nil {
		rep.ActiveManifest = a.Label
	}
	for _, m := range s.Manifests {
		rep.Manifests.Set(m.Label, manifestReport(s, m, manifestSignatureInfo(m, !opts.noCrypto)))
	}
	vr := v.results()
	if !ts.Empty() {
		vr.TrustListURI = trust.SystemAnchorsName
	}
	rep.ValidationResults = vr
	rep.ValidationState = vr.State()
	rep.ValidationStatus = append(rep.ValidationStatus, vr.ActiveManifest.Failure...)
	for _, d := range vr.IngredientDeltas {
		rep.ValidationStatus = append(rep.ValidationStatus, d.ValidationDeltas.Failure...)
	}
	return rep, nil
}

// manifestReport builds the report entry of one manifest (C2PA-NOTES §8.2).
func manifestReport(s *Store, m *Manifest, si *SignatureInfo) *ManifestReport {
	c := m.Claim
	mr := &ManifestReport{
		ClaimGenerator: c.ClaimGenerator,
		Title:          c.Title,
		InstanceID:     c.InstanceID,
		Label:          m.Label,
		ClaimVersion:   c.Version,
		SignatureInfo:  si,
	}
	if c.Version < 2 {
		f := c.Format
		mr.Format = &f
	}
	if c.ClaimGeneratorInfo != nil {
		infos := []any{}
		for _, raw := range c.ClaimGeneratorInfo {
			if v, err := cborToValue(raw); err == nil {
				infos = append(infos, hashToB64(v))
			}
		}
		mr.ClaimGeneratorInfo = &infos
	}
	mr.Assertions = []*AssertionReport{}
	for _, a := range assertionsInClaimOrder(m) {
		base := a.BaseLabel()
		switch {
		case isIngredientLabel(base):
			if ir := ingredientReport(s, m, a); ir != nil {
				mr.Ingredients = append(mr.Ingredients, ir)
			}
			continue
		case isClaimThumbnail(a.Label):
			if mr.Thumbnail == nil {
				mr.Thumbnail = &ResourceRef{Format: a.MediaType, Identifier: m.AssertionURI(a.Label)}
			}
			continue
		case a.Kind != KindCBOR && a.Kind != KindJSON:
			continue
		case a.Label == "c2pa.hash.data" || a.Label == "c2pa.hash.bmff" || a.Label == "c2pa.hash.boxes":
			continue
		}
		ar := &AssertionReport{Label: base, Instance: a.Instance()}
		if isActionsLabel(base) {
			ar.Label = "c2pa.actions.v2"
		}
		var (
			data any
			err  error
		)
		if a.Kind == KindJSON {
			data, err = jsonToValue(a.Data)
			ar.Kind = "Json"
		} else {
			data, err = cborToValue(a.Data)
		}
		if err != nil {
			continue
		}
		if isActionsLabel(base) {
			data = normaliseActions(data)
		}
		if isIdentityLabel(base) {
			if d := identityReportData(a); d != nil {
				data = d
			}
		}
		ar.Data = hashToB64(data)
		if c.Version >= 2 && c.IsCreated(a.Label) {
			ar.Created = true
		}
		mr.Assertions = append(mr.Assertions, ar)
	}
	return mr
}

func isClaimThumbnail(label string) bool {
	return label == "c2pa.thumbnail.claim" || len(label) > len("c2pa.thumbnail.claim.") && label[:len("c2pa.thumbnail.claim.")] == "c2pa.thumbnail.claim."
}

func ingredientReport(s *Store, m *Manifest, a *Assertion) *IngredientReport {
	ing, err := decodeIngredient(a)
	if err != nil {
		return nil
	}
	ir := &IngredientReport{
		Title:            ing.Title,
		Format:           ing.Format,
		DocumentID:       ing.DocumentID,
		InstanceID:       ing.InstanceID,
		Relationship:     ing.Relationship,
		Description:      ing.Description,
		InformationalURI: ing.InformationalURI + ing.InformationalURI3,
		Label:            a.Label,
	}
	if ir.Relationship == "" {
		ir.Relationship = "componentOf"
	}
	if ing.Thumbnail != nil {
		tl := assertionLabelFromURI(ing.Thumbnail.URL)
		format := ""
		tm := m // an absolute URI may point into the ingredient's manifest
		if l := manifestLabelFromURI(ing.Thumbnail.URL); l != "" && s.Manifest(l) != nil {
			tm = s.Manifest(l)
		}
		if ta := tm.Assertion(tl); ta != nil {
			format = ta.MediaType
		}
		ir.Thumbnail = &ResourceRef{Format: format, Identifier: absoluteURI(ing.Thumbnail.URL, m.Label)}
	}
	if ref := ing.manifestRef(); ref != nil {
		label := manifestLabelFromURI(ref.URL)
		ir.ActiveManifest = label
		if s.Manifest(label) != nil {
			ir.ManifestData = &ResourceRef{Format: "application/c2pa", Identifier: label}
		}
	}
	for _, st := range ing.ValidationStatus {
		ir.ValidationStatus = append(ir.ValidationStatus, status.Entry{Code: status.Code(st.Code), URL: st.URL, Explanation: st.Explanation})
	}
	if r := ing.ValidationResults; r != nil {
		vr := &ValidationResults{}
		conv := func(dst *StatusCodes, src *StatusCodesMap) {
			for _, l := range [][]StatusMap{src.Success, src.Informational, src.Failure} {
				for _, st := range l {
					dst.add(status.Entry{Code: status.Code(st.Code), URL: st.URL, Explanation: st.Explanation, Kind: status.ReadBackKind(status.Code(st.Code))})
				}
			}
			dst.normalise()
		}
		if r.ActiveManifest != nil {
			conv(&vr.ActiveManifest, r.ActiveManifest)
		} else {
			vr.ActiveManifest.normalise()
		}
		for _, d := range r.IngredientDeltas {
			var sc StatusCodes
			conv(&sc, &d.ValidationDeltas)
			vr.IngredientDeltas = append(vr.IngredientDeltas, IngredientDelta{IngredientAssertionURI: d.IngredientAssertionURI, ValidationDeltas: sc})
		}
		ir.ValidationResults = vr
	}
	if raw := ing.Metadata; len(raw) > 0 {
		if v, err := cborToValue(raw); err == nil {
			ir.Metadata = hashToB64(v)
		}
	}
	dt := ing.DataTypes
	if len(dt) == 0 {
		dt = ing.DataTypes3
	}
	if len(dt) > 0 {
		if v, err := cborToValue(dt); err == nil {
			ir.DataTypes = hashToB64(v)
		}
	}
	return ir
}

// assertionsInClaimOrder returns m's assertions in the order the claim
// references them (created, then gathered), as c2pa-rs lists them, followed
// by any the claim does not reference.
func assertionsInClaimOrder(m *Manifest) []*Assertion {
	seen := map[*Assertion]bool{}
	var out []*Assertion
	for _, ref := range m.Claim.Assertions() {
		if a := m.Assertion(assertionLabelFromURI(ref.URL)); a != nil && !seen[a] {
			seen[a] = true
			out = append(out, a)
		}
	}
	for _, a := range m.Assertions {
		if !seen[a] {
			out = append(out, a)
		}
	}
	return out
}

// Fields c2pa-rs keeps when it re-serialises actions for the report
// (its Actions and Action structs; other keys are dropped).
var (
	actionsKeys = []string{"actions", "softwareAgents", "allActionsIncluded", "templates", "metadata"}
	actionKeys  = []string{"action", "when", "softwareAgent", "softwareAgentIndex", "changed", "changes", "parameters", "actors", "digitalSourceType", "related", "reason", "description"}
)

func pick(o *Object, keys []string) *Object {
	out := &Object{}
	for _, k := range keys {
		if v, ok := o.Get(k); ok {
			out.Set(k, v)
		}
	}
	return out
}

// normaliseActions shapes actions data as c2pa-rs reports it.
func normaliseActions(v any) any {
	o, ok := v.(*Object)
	if !ok {
		return v
	}
	out := pick(o, actionsKeys)
	if list, ok := out.Get("actions"); ok {
		if arr, ok := list.([]any); ok {
			for i, a := range arr {
				if ao, ok := a.(*Object); ok {
					arr[i] = pick(ao, actionKeys)
				}
			}
		}
	}
	return out
}
