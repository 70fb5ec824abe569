package c2pa

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"
	"math"
	"strings"

	"github.com/fxamacker/cbor/v2"

	"provgraph/c2pa/asset"
	"provgraph/c2pa/bmff"
	"provgraph/c2pa/cose"
	"provgraph/c2pa/jumbf"
	"provgraph/c2pa/status"
)

// Sign reads the asset r (size bytes, of mediaType or sniffed when empty)
// and writes it to w with a new manifest built from def and signed by
// signer. An existing store is kept: its active manifest becomes the
// parentOf ingredient of the new one (action c2pa.opened) and its manifests
// stay in the store, unless def.Parent names the parent asset instead. An
// image gets a claim thumbnail unless def.NoThumbnail (see
// MaxThumbnailPixelBytes). The asset is never held in memory: a seekable w (a
// file) is written in the same pass that hashes the asset, any other w after
// it.
func Sign(ctx context.Context, r io.ReaderAt, size int64, mediaType string, w io.Writer, def *ManifestDefinition, signer *Signer) error {
	return sign(ctx, r, size, mediaType, w, def, signer, false)
}

// SignSidecar is Sign that leaves the asset untouched and writes the
// manifest store alone to w (a .c2pa sidecar). Its data hash covers the
// whole asset.
func SignSidecar(ctx context.Context, r io.ReaderAt, size int64, mediaType string, w io.Writer, def *ManifestDefinition, signer *Signer) error {
	return sign(ctx, r, size, mediaType, w, def, signer, true)
}

func sign(ctx context.Context, r io.ReaderAt, size int64, mediaType string, w io.Writer, def *ManifestDefinition, signer *Signer, sidecar bool) error {
	q := &signing{r: r, size: size, mediaType: mediaType, w: w, def: def, signer: signer, sidecar: sidecar}
	// A seekable output (a file) is written while it is hashed, with the
	// store's place zeroed and filled in at the end: one pass over the
	// asset. Other writers get the hash pass, then the copy pass.
	if ws, ok := w.(io.WriteSeeker); ok && !sidecar {
		if start, err := ws.Seek(0, io.SeekCurrent); err == nil {
			q.ws, q.start = ws, start
		}
	}
	// Handlers may act on a quick walk of the asset's start, checked by a
	// follower on the bytes the hash pass reads (asset.Speculator). A wrong
	// guess is found before anything is committed and the signing is done
	// again without guessing; a file written in the pass must then be
	// rewritten and cut to its new length, so it must be truncatable.
	tr, truncatable := w.(interface{ Truncate(int64) error })
	out, err := q.pass(ctx, q.ws == nil || truncatable)
	if !errors.Is(err, errSpeculation) {
		return err
	}
	if q.ws != nil {
		if _, err := q.ws.Seek(q.start, io.SeekStart); err != nil {
			return err
		}
	}
	if out, err = q.pass(ctx, false); err != nil {
		return err
	}
	if q.ws != nil {
		return tr.Truncate(q.start + out)
	}
	return nil
}

// signing is one Sign or SignSidecar call.
type signing struct {
	r         io.ReaderAt
	size      int64
	mediaType string
	w         io.Writer
	ws        io.WriteSeeker // w, when the store is embedded and w can seek
	start     int64          // ws's offset at the start
	def       *ManifestDefinition
	signer    *Signer
	sidecar   bool
}

// pass is one attempt at the signing; it returns the output's length when
// it wrote to q.ws.
func (q *signing) pass(ctx context.Context, speculate bool) (int64, error) {
	ra := newReadAhead(q.r, q.size)
	ra.speculative = speculate
	defer ra.Close()
	h, err := handlerFor(ra, q.size, q.mediaType)
	if err != nil {
		return 0, err
	}
	hashPass := func(plan *asset.Plan, hh hash.Hash) error { return plan.HashExcluding(ra, hh) }
	if q.ws != nil {
		// WriteHashing reads ahead itself: it reads the asset directly,
		// without the copy a readAhead window costs.
		hashPass = func(plan *asset.Plan, hh hash.Hash) error {
			_, err := plan.WriteHashing(q.ws, ra.feedingReader(), hh)
			return err
		}
	}
	store, plan, err := buildStore(ctx, h, ra, q.size, q.mediaType, q.def, q.signer, q.sidecar, hashPass)
	// Every guess must have held before anything is committed, and an
	// error found on a wrong guess is not the asset's.
	if cerr := ra.confirm(); cerr != nil {
		return 0, cerr
	}
	if err != nil {
		return 0, err
	}
	switch {
	case q.sidecar:
		_, err = q.w.Write(store)
	case q.ws != nil:
		err = fillCarrier(q.ws, q.start, plan, store)
	default:
		_, err = plan.WriteTo(q.w, ra, store)
	}
	if plan != nil {
		return plan.OutputSize, err
	}
	return 0, err
}

// fillCarrier writes the wrapped store over the zeros WriteHashing left at
// the carrier's place and leaves ws at the end of the output.
func fillCarrier(ws io.WriteSeeker, start int64, plan *asset.Plan, store []byte) error {
	if plan.Carrier.Length == 0 {
		return nil
	}
	carrier, err := plan.Wrap(store)
	if err != nil {
		return err
	}
	if int64(len(carrier)) != plan.Carrier.Length {
		return fmt.Errorf("%w: carrier is %d bytes, planned %d", asset.ErrStoreSize, len(carrier), plan.Carrier.Length)
	}
	if _, err := ws.Seek(start+plan.Carrier.Start, io.SeekStart); err != nil {
		return err
	}
	if _, err := ws.Write(carrier); err != nil {
		return err
	}
	_, err = ws.Seek(start+plan.OutputSize, io.SeekStart)
	return err
}

func handlerFor(r io.ReaderAt, size int64, mediaType string) (asset.Handler, error) {
	if h, ok := asset.Lookup(mediaType); ok {
		return h, nil
	}
	h, err := asset.Detect(r, size)
	if err != nil {
		return nil, readErr(ErrUnsupportedType, mediaType, err)
	}
	return h, nil
}

// buildStore builds and signs the store. For embedding it returns the plan
// the store was sized for.
func buildStore(ctx context.Context, h asset.Handler, r io.ReaderAt, size int64, mediaType string, def *ManifestDefinition, signer *Signer, sidecar bool, hashPass func(*asset.Plan, hash.Hash) error) ([]byte, *asset.Plan, error) {
	if signer == nil || signer.Key == nil || len(signer.Chain) == 0 {
		return nil, nil, ErrNoSigner
	}
	if def == nil {
		def = &ManifestDefinition{}
	}
	// An existing store that c2pa-rs could not read (a *ReadError) is
	// replaced without a parent ingredient; container errors stop signing.
	var prev *Report
	if raw, err := h.ReadStore(r, size); err == nil {
		var re *ReadError
		if prev, err = validateStore(ctx, raw, h, r, size, ReadOptions{}); errors.As(err, &re) {
			prev = nil
		} else if err != nil {
			return nil, nil, fmt.Errorf("c2pa: existing manifest store: %w", err)
		}
	} else if !errors.Is(err, asset.ErrNoStore) {
		return nil, nil, err
	}

	b := &manifestBuilder{label: manifestLabel(def.Vendor)}
	b.claim = &Claim{
		Version:    2,
		InstanceID: def.InstanceID,
		Title:      def.Title,
		Alg:        "sha256",
		Signature:  jumbf.URI{Manifest: b.label, Path: []string{labelSignature}}.String(),
	}
	if b.claim.InstanceID == "" {
		b.claim.InstanceID = "xmp:iid:" + newUUID()
	}
	gi, err := generatorInfo(def)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: claim_generator_info: %v", ErrDefinition, err)
	}
	b.claim.ClaimGeneratorInfo = []cbor.RawMessage{gi}

	// The hard binding is sized first with placeholder values as wide as
	// the real ones can be, then padded back to that size (c2pa-rs §4.1).
	// The exclusion count is guessed (one, as for every container here but
	// TIFF) and corrected by a second plan if the container disagrees.
	dh := &DataHash{Name: "jumbf manifest", Alg: b.claim.Alg}
	wide := uint64(math.MaxUint32)
	if size > math.MaxUint32/2 {
		wide = math.MaxUint64
	}
	placeholderFor := func(n int) ([]byte, error) {
		p := &DataHash{Name: dh.Name, Alg: dh.Alg, Hash: make([]byte, sha256.Size), Pad: make([]byte, 10)}
		for range n {
			p.Exclusions = append(p.Exclusions, Exclusion{Start: wide, Length: wide})
		}
		return p.encode()
	}
	nExcl := 1
	if sidecar {
		nExcl = 0
	}
	placeholder, err := placeholderFor(nExcl)
	if err != nil {
		return nil, nil, err
	}
	bindingLabel := "c2pa.hash.data"
	var bh *BMFFHash
	if !sidecar && h.Format() == bmff.Format {
		bindingLabel = bmffHashLabel
		if bh, placeholder, err = newBMFFPlaceholder(b.claim.Alg); err != nil {
			return nil, nil, err
		}
	}
	dhA := b.add(bindingLabel, KindCBOR, placeholder, true)
	if !def.NoThumbnail {
		if th, mt, ok := makeThumbnail(r, size); ok {
			b.addThumbnail(labelClaimThumbnail, th, mt)
		}
	}

	// A parent named in the definition replaces the asset's own store, as
	// c2pa-rs keeps only the manifests of ingredients.
	var parentData []byte
	if def.Parent != nil {
		ps, err := readParent(ctx, b, def.Parent, !def.NoThumbnail)
		if err != nil {
			return nil, nil, err
		}
		prev, parentData = ps.prev, ps.data
	} else if prev != nil {
		mt := mediaType
		if !strings.Contains(mt, "/") && len(h.MediaTypes()) > 0 {
			mt = h.MediaTypes()[0]
		}
		if parentData, err = parentIngredient(prev, mt, ""); err != nil {
			return nil, nil, err
		}
	}
	var parent *HashedURI
	if parentData != nil {
		data := parentData
		ia := b.add("c2pa.ingredient.v3", KindCBOR, data, false)
		ref, err := b.hashedURI(ia)
		if err != nil {
			return nil, nil, err
		}
		parent = &ref
	}
	if err := addDefinitionAssertions(b, def, parent); err != nil {
		return nil, nil, err
	}

	reserve := signer.reserveSize()
	storeBox := func(sig []byte) []byte {
		root := jumbf.NewSuperBox(jumbf.ManifestStore, jumbf.StoreLabel, nil)
		if prev != nil {
			root.Children = append(root.Children, prev.Store.Box.Manifests()...)
		}
		root.Children = append(root.Children, b.box(sig))
		return root.Bytes()
	}
	var (
		first []byte
		plan  *asset.Plan
	)
	for attempt := 0; ; attempt++ {
		if _, err := b.encodeClaim(); err != nil {
			return nil, nil, err
		}
		first = storeBox(make([]byte, reserve))
		if sidecar {
			break
		}
		if plan, err = h.Plan(r, size, len(first)); err != nil {
			return nil, nil, err
		}
		if len(plan.Exclusions) == nExcl {
			break
		}
		if attempt > 0 {
			return nil, nil, fmt.Errorf("c2pa: container plan changed its exclusions (%d, then %d)", nExcl, len(plan.Exclusions))
		}
		nExcl = len(plan.Exclusions)
		if placeholder, err = placeholderFor(nExcl); err != nil {
			return nil, nil, err
		}
		dhA.Data = placeholder
	}

	if bh != nil {
		if dhA.Data, err = bh.fill(plan, r, first, len(placeholder), hashPass); err != nil {
			return nil, nil, err
		}
	} else {
		hh := sha256.New()
		if sidecar {
			if err := asset.HashRanges(r, size, nil, hh); err != nil {
				return nil, nil, err
			}
		} else {
			dh.Exclusions = dh.Exclusions[:0]
			for _, e := range plan.Exclusions {
				dh.Exclusions = append(dh.Exclusions, Exclusion{Start: uint64(e.Start), Length: uint64(e.Length)})
			}
			if err := hashPass(plan, hh); err != nil {
				return nil, nil, err
			}
		}
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		dh.Hash, dh.Pad, dh.Pad2 = hh.Sum(nil), nil, nil
		if dhA.Data, err = dh.padToSize(len(placeholder)); err != nil {
			return nil, nil, err
		}
	}
	claimBytes, err := b.encodeClaim()
	if err != nil {
		return nil, nil, err
	}
	sig, err := cose.Sign(ctx, signer.Key, claimBytes, cose.SignOptions{
		Algorithm:   signer.Algorithm,
		Chain:       signer.Chain,
		ReserveSize: reserve,
		TimeStamper: signer.TimeStamper,
	})
	if err != nil {
		if errors.Is(err, cose.ErrReserveTooSmall) {
			return nil, nil, fmt.Errorf("%w: %v", ErrBoxSizeTooSmall, err)
		}
		return nil, nil, err
	}
	final := storeBox(sig)
	if len(final) != len(first) {
		return nil, nil, fmt.Errorf("%w: %d then %d bytes", ErrStoreSizeChanged, len(first), len(final))
	}
	return final, plan, nil
}

// addDefinitionAssertions adds the actions assertion (with the inception
// action c2pa-rs's intents would add), the definition's other assertions
// and its ingredients.
func addDefinitionAssertions(b *manifestBuilder, def *ManifestDefinition, parent *HashedURI) error {
	inception := &Object{}
	if parent != nil {
		inception.Set("action", ActionOpened)
		params := &Object{}
		params.Set("ingredients", []any{*parent})
		inception.Set("parameters", params)
	} else {
		inception.Set("action", ActionCreated)
		inception.Set("digitalSourceType", DigitalSourceDigitalCreation)
	}
	actions := &Object{}
	actions.Set("actions", []any{inception})
	actionsCreated := true
	var others []AssertionDefinition
	for _, a := range def.Assertions {
		if !isActionsLabel(a.Label) {
			others = append(others, a)
			continue
		}
		v, err := jsonToValue(a.Data)
		if err != nil {
			return fmt.Errorf("%w: %s: %v", ErrDefinition, a.Label, err)
		}
		obj, ok := v.(*Object)
		if !ok {
			return fmt.Errorf("%w: %s is not an object", ErrDefinition, a.Label)
		}
		list, _ := obj.Get("actions")
		arr, _ := list.([]any)
		if len(arr) == 0 || !isInception(arr[0]) {
			arr = append([]any{inception}, arr...)
		}
		obj.Set("actions", arr)
		actions, actionsCreated = obj, a.Created
	}
	data, err := appendCBOR(nil, actions)
	if err != nil {
		return err
	}
	b.add("c2pa.actions.v2", KindCBOR, data, actionsCreated)
	for _, a := range others {
		kind := KindCBOR
		var data []byte
		var err error
		if strings.EqualFold(a.Kind, "json") || strings.HasPrefix(a.Label, "stds.schema-org.") {
			kind = KindJSON
			if _, err = jsonToValue(a.Data); err == nil {
				data = append([]byte(nil), a.Data...)
			}
		} else {
			data, err = jsonToCBOR(a.Data)
		}
		if err != nil {
			return fmt.Errorf("%w: %s: %v", ErrDefinition, a.Label, err)
		}
		b.add(a.Label, kind, data, a.Created)
	}
	for _, ing := range def.Ingredients {
		o := &Object{}
		if ing.Title != "" {
			o.Set("dc:title", ing.Title)
		}
		if ing.Format != "" {
			o.Set("dc:format", ing.Format)
		}
		rel := ing.Relationship
		if rel == "" {
			rel = "componentOf"
		}
		o.Set("relationship", rel)
		if ing.InstanceID != "" {
			o.Set("instanceID", ing.InstanceID)
		}
		if ing.Description != "" {
			o.Set("description", ing.Description)
		}
		data, err := appendCBOR(nil, o)
		if err != nil {
			return err
		}
		b.add("c2pa.ingredient.v3", KindCBOR, data, false)
	}
	return nil
}

func isInception(v any) bool {
	o, ok := v.(*Object)
	if !ok {
		return false
	}
	a, _ := o.Get("action")
	return a == ActionCreated || a == ActionOpened
}

// parentIngredientObject builds the c2pa.ingredient.v3 for the asset's previous
// active manifest, with its validation results recorded. The title is the
// claim's unless one is given; the thumbnail is the claim thumbnail of a
// manifest that is not Invalid (c2pa-rs Ingredient::add_to_claim).
func parentIngredientObject(prev *Report, mediaType, title string) (*Object, error) {
	m := prev.Store.Active()
	mh, err := m.manifestHash("sha256")
	if err != nil {
		return nil, err
	}
	sh, err := m.signatureHash("sha256")
	if err != nil {
		return nil, err
	}
	o := &Object{}
	if title == "" {
		title = m.Claim.Title
	}
	if title == "" {
		title = "parent"
	}
	o.Set("dc:title", title)
	if mediaType != "" && strings.Contains(mediaType, "/") {
		o.Set("dc:format", mediaType)
	}
	o.Set("relationship", "parentOf")
	if m.Claim.InstanceID != "" {
		o.Set("instanceID", m.Claim.InstanceID)
	}
	o.Set("activeManifest", HashedURI{URL: jumbf.ManifestURI(m.Label), Alg: "sha256", Hash: mh})
	o.Set("claimSignature", HashedURI{URL: m.SignatureURI(), Alg: "sha256", Hash: sh})
	if th := claimThumbnailRef(m); th != nil && prev.ValidationState != StateInvalid {
		o.Set("thumbnail", *th)
	}
	o.Set("validationResults", resultsValue(prev.ValidationResults))
	return o, nil
}

func resultsValue(vr *ValidationResults) *Object {
	codes := func(sc StatusCodes) *Object {
		o := &Object{}
		for _, kv := range []struct {
			k string
			l []status.Entry
		}{{"success", sc.Success}, {"informational", sc.Informational}, {"failure", sc.Failure}} {
			arr := []any{}
			for _, e := range kv.l {
				m := &Object{}
				m.Set("code", string(e.Code))
				if e.URL != "" {
					m.Set("url", e.URL)
				}
				if e.Explanation != "" {
					m.Set("explanation", e.Explanation)
				}
				arr = append(arr, m)
			}
			o.Set(kv.k, arr)
		}
		return o
	}
	o := &Object{}
	o.Set("activeManifest", codes(vr.ActiveManifest))
	if len(vr.IngredientDeltas) > 0 {
		arr := []any{}
		for _, d := range vr.IngredientDeltas {
			m := &Object{}
			m.Set("ingredientAssertionURI", d.IngredientAssertionURI)
			m.Set("validationDeltas", codes(d.ValidationDeltas))
			arr = append(arr, m)
		}
		o.Set("ingredientDeltas", arr)
	}
	return o
}
