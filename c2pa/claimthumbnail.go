package c2pa

import (
	"errors"
	"fmt"
	"io"

	"provgraph/c2pa/asset"
)

// ErrNoThumbnail means the asset's active manifest carries no claim
// thumbnail (or the asset has no manifest store at all).
var ErrNoThumbnail = errors.New("c2pa: no claim thumbnail")

// MaxThumbnailBytes bounds a thumbnail ClaimThumbnail returns; a larger
// one is treated as absent.
const MaxThumbnailBytes = 4 << 20

// ClaimThumbnail returns the claim thumbnail of the asset's active
// manifest and its media type, without validating anything: it is for
// showing what the credentials say the asset looked like, next to a
// validation made separately. mediaType may be a media type or a file
// extension; an unknown one is sniffed.
func ClaimThumbnail(r io.ReaderAt, size int64, mediaType string) ([]byte, string, error) {
	h, ok := asset.Lookup(mediaType)
	if !ok {
		var err error
		if h, err = asset.Detect(r, size); err != nil {
			return nil, "", fmt.Errorf("%w: %w", ErrUnsupportedType, err)
		}
	}
	raw, err := h.ReadStore(r, size)
	if errors.Is(err, asset.ErrNoStore) {
		return nil, "", ErrNoThumbnail
	}
	if err != nil {
		return nil, "", fmt.Errorf("c2pa: reading manifest store: %w", err)
	}
	s, err := ParseStore(raw, nil)
	if err != nil {
		return nil, "", fmt.Errorf("c2pa: parsing manifest store: %w", err)
	}
	m := s.Active()
	if m == nil {
		return nil, "", ErrNoThumbnail
	}
	for _, a := range m.Assertions {
		if isClaimThumbnail(a.Label) && a.Kind == KindEmbedded && len(a.Data) > 0 && len(a.Data) <= MaxThumbnailBytes {
			return a.Data, a.MediaType, nil
		}
	}
	return nil, "", ErrNoThumbnail
}
