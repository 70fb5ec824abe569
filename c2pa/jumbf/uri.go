package jumbf

import (
	"errors"
	"fmt"
	"strings"
)

// URIPrefix starts every JUMBF URI that points into the same asset.
const URIPrefix = "self#jumbf="

// StoreLabel is the label of the manifest store superbox.
const StoreLabel = "c2pa"

// Errors returned by ParseURI and Resolve.
var (
	// ErrBadURI reports a JUMBF URI that does not follow the grammar C2PA uses.
	ErrBadURI = errors.New("jumbf: malformed JUMBF URI")
	// ErrNotFound reports a URI whose target box does not exist.
	ErrNotFound = errors.New("jumbf: URI target not found")
	// ErrAmbiguous reports a URI whose path matches more than one sibling.
	ErrAmbiguous = errors.New("jumbf: URI target is ambiguous")
)

// URI is a parsed self#jumbf= reference.
type URI struct {
	// Manifest is the manifest label for absolute URIs (/c2pa/<Manifest>/...),
	// "" for relative ones, which resolve against the referring manifest.
	Manifest string
	// Path holds the labels below the manifest, e.g. ["c2pa.assertions", "c2pa.hash.data"].
	Path []string
}

// Absolute reports whether u names its manifest.
func (u URI) Absolute() bool { return u.Manifest != "" }

// String formats u as c2pa-rs writes it: absolute URIs as
// self#jumbf=/c2pa/<manifest>/<path>, relative ones as self#jumbf=<path>.
func (u URI) String() string {
	if u.Manifest == "" {
		return URIPrefix + strings.Join(u.Path, "/")
	}
	return URIPrefix + "/" + strings.Join(append([]string{StoreLabel, u.Manifest}, u.Path...), "/")
}

// AssertionURI returns the relative URI a claim uses for an assertion label.
func AssertionURI(label string) string { return URIPrefix + "c2pa.assertions/" + label }

// ManifestURI returns the absolute URI of a manifest.
func ManifestURI(manifest string) string { return URI{Manifest: manifest}.String() }

// ParseURI parses a self#jumbf= URI. As in c2pa-rs, a path beginning
// "c2pa/" is taken as absolute; ".." and empty segments are rejected.
func ParseURI(s string) (URI, error) {
	rest, ok := strings.CutPrefix(s, URIPrefix)
	if !ok {
		return URI{}, fmt.Errorf("%w: %q does not start with %s", ErrBadURI, s, URIPrefix)
	}
	if strings.HasPrefix(rest, StoreLabel+"/") || rest == StoreLabel {
		rest = "/" + rest
	}
	abs := strings.HasPrefix(rest, "/")
	if abs {
		rest = rest[1:]
	}
	if rest == "" {
		return URI{}, fmt.Errorf("%w: %q has an empty path", ErrBadURI, s)
	}
	parts := strings.Split(rest, "/")
	for _, p := range parts {
		if p == "" || p == ".." || p == "." {
			return URI{}, fmt.Errorf("%w: %q has segment %q", ErrBadURI, s, p)
		}
	}
	if !abs {
		return URI{Path: parts}, nil
	}
	if parts[0] != StoreLabel {
		return URI{}, fmt.Errorf("%w: %q is absolute but does not start at /%s", ErrBadURI, s, StoreLabel)
	}
	if len(parts) < 2 {
		return URI{}, fmt.Errorf("%w: %q names no manifest", ErrBadURI, s)
	}
	return URI{Manifest: parts[1], Path: parts[2:]}, nil
}

// Resolve finds the box a URI points to inside store (the manifest store
// superbox). Relative URIs resolve against the manifest labelled manifest.
// A label that matches several siblings is ambiguous and not resolved. A
// path through a compressed manifest is followed in its decompressed form
// (URIs name the manifest, never the brob box).
func Resolve(store *Box, manifest, uri string) (*Box, error) {
	u, err := ParseURI(uri)
	if err != nil {
		return nil, err
	}
	if u.Manifest != "" {
		manifest = u.Manifest
	}
	if manifest == "" {
		return nil, fmt.Errorf("%w: relative URI %q without a manifest", ErrBadURI, uri)
	}
	if !store.IsSuperBox() || store.Desc.Type != ManifestStore {
		return nil, fmt.Errorf("%w: %q: not a manifest store", ErrNotFound, uri)
	}
	cur := store
	for _, label := range append([]string{manifest}, u.Path...) {
		if cur.Desc != nil && cur.Desc.Type == CompressedManifest {
			d, err := Decompress(cur, DefaultLimits)
			if err != nil {
				return nil, fmt.Errorf("%w: %q: %w", ErrNotFound, uri, err)
			}
			cur = d
		}
		matches := cur.ChildrenByLabel(label)
		switch len(matches) {
		case 0:
			return nil, fmt.Errorf("%w: %q: no %q in %q", ErrNotFound, uri, label, cur.Label())
		case 1:
			cur = matches[0]
		default:
			return nil, fmt.Errorf("%w: %q: %d boxes labelled %q in %q", ErrAmbiguous, uri, len(matches), label, cur.Label())
		}
	}
	return cur, nil
}

// Manifests returns the manifest superboxes of a store in file order (the
// active manifest is the last). Children of other types are left out.
func (b *Box) Manifests() []*Box {
	var out []*Box
	for _, c := range b.Children {
		if c.Desc != nil && IsManifest(c.Desc.Type) {
			out = append(out, c)
		}
	}
	return out
}
