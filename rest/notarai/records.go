package notarai

import (
	"context"
	"fmt"
	"strings"
	"time"

	"provgraph/article50"
	"provgraph/db"
	"provgraph/ent"
	"provgraph/ent/asset"
	"provgraph/ent/declaration"
	"provgraph/ent/verification"
)

// recordStatus is NotarAI's name of an asset status: a signed asset is
// "complete"; "expired" (retention removed its files) is provgraph's own.
func recordStatus(s asset.Status) string {
	switch s {
	case asset.StatusSigned:
		return "complete"
	default:
		return strings.ToLower(string(s))
	}
}

// record is an asset as GET /verify/{id} shows it.
type record struct {
	ID          string                 `json:"id"`
	FileName    string                 `json:"fileName"`
	MimeType    string                 `json:"mimeType"`
	FileHash    string                 `json:"fileHash"`
	Status      string                 `json:"status"`
	Declaration *article50.Declaration `json:"declaration"`
	CreatedAt   time.Time              `json:"createdAt"`
	CompletedAt *time.Time             `json:"completedAt"`
	VerifyURL   *string                `json:"verifyUrl"`
}

// recordOf reads what GET /verify/{id} shows of a: the hash of its signed
// output once signed (of the original before), its latest signing
// declaration and the permanent verify page of its signature. ctx is the
// caller's, or a system context for the public route.
func (a *api) recordOf(ctx context.Context, x *ent.Asset) (record, error) {
	rec := record{
		ID:        a.ids.Encode(KindRecord, x.ID),
		FileName:  x.FileName,
		MimeType:  x.MediaType,
		FileHash:  "sha256:" + x.Sha256,
		Status:    recordStatus(x.Status),
		CreatedAt: x.CreatedAt.UTC(),
	}
	if x.SignedSha256 != nil {
		rec.FileHash = "sha256:" + *x.SignedSha256
	}
	if x.SignedAt != nil {
		t := x.SignedAt.UTC()
		rec.CompletedAt = &t
	}
	client := db.ClientFrom(ctx, a.d.Client)
	d, err := client.Declaration.Query().
		Where(declaration.AssetID(x.ID), declaration.CertificateBlobKeyNEQ("")).
		Order(ent.Desc(declaration.FieldID)).
		First(ctx)
	switch {
	case ent.IsNotFound(err):
	case err != nil:
		return record{}, fmt.Errorf("notarai: declaration of asset %d: %w", x.ID, err)
	default:
		rec.Declaration = declarationOf(d)
	}
	v, err := client.Verification.Query().
		Where(verification.AssetID(x.ID), verification.ExpiresAtIsNil()).
		Order(ent.Desc(verification.FieldID)).
		First(ctx)
	switch {
	case ent.IsNotFound(err):
	case err != nil:
		return record{}, fmt.Errorf("notarai: verification of asset %d: %w", x.ID, err)
	default:
		u := a.d.Verifications.URL(v)
		rec.VerifyURL = &u
	}
	return rec, nil
}

// declarationOf is a stored declaration in the request's shape.
func declarationOf(d *ent.Declaration) *article50.Declaration {
	review := d.HumanReview
	return &article50.Declaration{
		AIModel:                 d.AiModel,
		CustomModel:             d.CustomModel,
		ModificationType:        strings.ToLower(string(d.ModificationType)),
		ModificationDescription: d.ModificationDescription,
		Purpose:                 d.Purpose,
		PurposeContext:          d.PurposeContext,
		HumanReview:             &review,
		ReviewerName:            d.ReviewerName,
		Organization:            d.Organization,
	}
}

// decodeID reads the UUID text of kind k, naming field in the error: a
// text that is not a UUID is INVALID_REQUEST, a UUID not handed out for
// k is NOT_FOUND.
func (a *api) decodeID(k Kind, field, text string) (int, error) {
	id, ok, err := a.ids.Decode(k, strings.ToLower(strings.TrimSpace(text)))
	if err != nil {
		return 0, invalidField(field, "must be a UUID")
	}
	if !ok {
		return 0, errNotFound
	}
	return id, nil
}
