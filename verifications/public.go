package verifications

import (
	"context"
	"errors"
	"fmt"
	"time"

	"provgraph/c2pa"
	"provgraph/ent"
	"provgraph/ent/schema/tenant"
	"provgraph/storage"
)

// ErrNoThumbnail means a verification has no thumbnail to show: its file
// was an upload (not kept), its stored file has been purged, or its
// credentials carry none.
var ErrNoThumbnail = errors.New("verifications: no thumbnail")

// StoredFile is what the public pages say about the bytes a verification
// of a stored asset was about, beyond what the verification row keeps.
type StoredFile struct {
	// Size is the byte size of the verified bytes.
	Size int64
	// CID is their IPFS CIDv1, if computed.
	CID string
	// BlobKey is where they are kept (until retention purges them).
	BlobKey string
	// Signed is true when the verified bytes are the asset's signed output.
	Signed bool
}

// StoredFileOf returns the stored bytes a verification was about, whatever
// its account: the asset's signed output or its original, whichever has
// the verified hash. ok is false for a verification of an upload, or of an
// asset that no longer exists. Only the public pages call it; they show
// only what the unguessable public id already grants.
func (s *Service) StoredFileOf(ctx context.Context, v *ent.Verification) (f StoredFile, ok bool, err error) {
	if v.AssetID == nil {
		return StoredFile{}, false, nil
	}
	a, err := s.client.Asset.Get(tenant.WithSystem(ctx), *v.AssetID)
	if ent.IsNotFound(err) {
		return StoredFile{}, false, nil
	}
	if err != nil {
		return StoredFile{}, false, fmt.Errorf("verifications: asset of %s: %w", v.PublicID, err)
	}
	if a.SignedSha256 != nil && v.Sha256 == "sha256:"+*a.SignedSha256 && a.SignedBlobKey != nil {
		f = StoredFile{BlobKey: *a.SignedBlobKey, Signed: true}
		if a.SignedSize != nil {
			f.Size = *a.SignedSize
		}
		if a.SignedCid != nil {
			f.CID = *a.SignedCid
		}
		return f, true, nil
	}
	if v.Sha256 == "sha256:"+a.Sha256 {
		return StoredFile{Size: a.Size, CID: a.Cid, BlobKey: a.OriginalBlobKey}, true, nil
	}
	return StoredFile{}, false, nil
}

// Thumbnail returns the claim thumbnail of the stored file a verification
// was about, with its media type, or ErrNoThumbnail.
func (s *Service) Thumbnail(ctx context.Context, v *ent.Verification) ([]byte, string, error) {
	f, ok, err := s.StoredFileOf(ctx, v)
	if err != nil {
		return nil, "", err
	}
	if !ok {
		return nil, "", ErrNoThumbnail
	}
	b, err := s.store.OpenBlob(ctx, f.BlobKey)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, "", ErrNoThumbnail
	}
	if err != nil {
		return nil, "", fmt.Errorf("verifications: thumbnail of %s: %w", v.PublicID, err)
	}
	defer b.Close()
	data, mediaType, err := c2pa.ClaimThumbnail(b, b.Size(), v.MediaType)
	if errors.Is(err, c2pa.ErrNoThumbnail) || errors.Is(err, c2pa.ErrUnsupportedType) {
		return nil, "", ErrNoThumbnail
	}
	if err != nil {
		return nil, "", fmt.Errorf("verifications: thumbnail of %s: %w", v.PublicID, err)
	}
	return data, mediaType, nil
}

// TTL is how long a verification of a file or an asset stays readable.
func (s *Service) TTL() time.Duration { return s.opts.TTL }
