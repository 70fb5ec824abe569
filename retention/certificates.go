package retention

import (
	"context"
	"fmt"

	"provgraph/ent/declaration"
)

// certificateKeys returns the blob keys of the Article 50 certificates
// issued for an asset; they expire with its signed output.
func (s *Sweeper) certificateKeys(ctx context.Context, assetID int) ([]string, error) {
	keys, err := s.client.Declaration.Query().
		Where(declaration.AssetID(assetID), declaration.CertificateBlobKeyNEQ("")).
		Select(declaration.FieldCertificateBlobKey).
		Strings(ctx)
	if err != nil {
		return nil, fmt.Errorf("retention: certificates of asset %d: %w", assetID, err)
	}
	return keys, nil
}
