package c2pa

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"provgraph/c2pa/asset"
)

// ParentAsset is another asset file named as the parentOf ingredient of a
// new manifest (c2patool -p): the asset being signed was made from it.
type ParentAsset struct {
	R         io.ReaderAt
	Size      int64
	MediaType string // media type or extension; sniffed when empty
	Title     string // usually the file name
}

// parentSource is what a parent asset contributes to a new store: the
// ingredient assertion's content and, when the parent carries Content
// Credentials, its validated store whose manifests are copied in.
type parentSource struct {
	data []byte
	prev *Report
}

// readParent reads and validates the store of a parent asset, as the
// store of a re-signed file is read in buildStore: a store c2pa-rs could
// not read leaves the parent without provenance. Without a claim
// thumbnail to point to, the ingredient gets a c2pa.thumbnail.ingredient
// made from the parent image (unless thumbnails are off), added to b.
func readParent(ctx context.Context, b *manifestBuilder, p *ParentAsset, thumbnails bool) (*parentSource, error) {
	if p.R == nil {
		return nil, fmt.Errorf("%w: parent asset without content", ErrDefinition)
	}
	mt := p.MediaType
	var prev *Report
	h, err := handlerFor(p.R, p.Size, mt)
	switch {
	case errors.Is(err, ErrUnsupportedType):
		// Any file can be an ingredient; one of no known type has no store.
	case err != nil:
		return nil, err
	default:
		if !strings.Contains(mt, "/") && len(h.MediaTypes()) > 0 {
			mt = h.MediaTypes()[0]
		}
		raw, err := h.ReadStore(p.R, p.Size)
		switch {
		case err == nil:
			var re *ReadError
			if prev, err = validateStore(ctx, raw, h, p.R, p.Size, ReadOptions{}); errors.As(err, &re) {
				prev = nil
			} else if err != nil {
				return nil, fmt.Errorf("c2pa: parent manifest store: %w", err)
			}
		case !errors.Is(err, asset.ErrNoStore):
			return nil, fmt.Errorf("c2pa: parent asset: %w", err)
		}
	}
	if !strings.Contains(mt, "/") {
		mt = ""
	}
	var o *Object
	if prev != nil {
		if o, err = parentIngredientObject(prev, mt, p.Title); err != nil {
			return nil, err
		}
	} else {
		o = &Object{}
		title := p.Title
		if title == "" {
			title = "parent"
		}
		o.Set("dc:title", title)
		if mt != "" {
			o.Set("dc:format", mt)
		}
		o.Set("relationship", "parentOf")
		o.Set("instanceID", "xmp:iid:"+newUUID())
	}
	if _, has := o.Get("thumbnail"); !has && thumbnails {
		if th, mt, ok := makeThumbnail(p.R, p.Size); ok {
			ref, err := b.hashedURI(b.addThumbnail(labelIngredientThumbnail, th, mt))
			if err != nil {
				return nil, err
			}
			o.Set("thumbnail", ref)
		}
	}
	data, err := appendCBOR(nil, o)
	if err != nil {
		return nil, err
	}
	return &parentSource{data: data, prev: prev}, nil
}

// parentIngredient is the encoded parentIngredientObject.
func parentIngredient(prev *Report, mediaType, title string) ([]byte, error) {
	o, err := parentIngredientObject(prev, mediaType, title)
	if err != nil {
		return nil, err
	}
	return appendCBOR(nil, o)
}

// claimThumbnailRef returns an absolute hashed URI to the claim thumbnail
// of m, as its claim references it, or nil. c2pa-rs points a parent
// ingredient's thumbnail there rather than copying the image.
func claimThumbnailRef(m *Manifest) *HashedURI {
	for _, h := range m.Claim.Assertions() {
		if !isClaimThumbnail(assertionLabelFromURI(h.URL)) {
			continue
		}
		alg := h.Alg
		if alg == "" {
			alg = m.Claim.Alg
		}
		url := h.URL
		if manifestLabelFromURI(url) == "" {
			url = m.AssertionURI(assertionLabelFromURI(url))
		}
		return &HashedURI{URL: url, Alg: alg, Hash: h.Hash}
	}
	return nil
}
