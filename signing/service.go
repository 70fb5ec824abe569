package signing

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"time"

	"provgraph/apierror"
	"provgraph/article50"
	"provgraph/c2pa"
	_ "provgraph/c2pa/asset/all" // every container format the engine reads
	"provgraph/certificate"
	"provgraph/cid"
	"provgraph/db"
	"provgraph/download"
	"provgraph/ent"
	"provgraph/ent/asset"
	"provgraph/ent/declaration"
	"provgraph/ent/manifest"
	"provgraph/ent/verification"
	"provgraph/events"
	"provgraph/quota"
	"provgraph/storage"
	"provgraph/verifications"
)

// MaxAssets is the most assets one SignAssets call takes.
const MaxAssets = 50

// DeclarationLabel is the label of the assertion that carries the whole
// Article 50 declaration as JSON.
const DeclarationLabel = "io.provgraph.declaration"

// EventSigned is recorded for every asset signed.
const EventSigned = "asset.signed"

// Options configure a Service.
type Options struct {
	// Signer signs the manifests.
	Signer *c2pa.Signer
	// Downloads mints the download tokens.
	Downloads *download.Signer
	// DownloadTTL is how long a download URL works.
	DownloadTTL time.Duration
	// PublicURL is the base of the URLs handed out.
	PublicURL string
	// Version is the provgraph version named in the claim generator.
	Version string
	// MaxBytes bounds a signed output.
	MaxBytes int64
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Quota, when set, counts every signature made (not the fresh URLs of
	// an asset signed already; nothing under a quota.Prepaid context).
	Quota *quota.Service
}

// Service signs assets.
type Service struct {
	client        *ent.Client
	store         *storage.Store
	verifications *verifications.Service
	events        *events.Service
	opts          Options
}

// NewService returns a Service.
func NewService(client *ent.Client, store *storage.Store, v *verifications.Service, ev *events.Service, o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Version == "" {
		o.Version = c2pa.ProvgraphVersion
	}
	return &Service{client: client, store: store, verifications: v, events: ev, opts: o}
}

// ClaimGenerator is the claim generator the manifests name, provgraph/<version>.
func (s *Service) ClaimGenerator() string { return "provgraph/" + s.opts.Version }

// Status is the outcome of signing one asset.
type Status string

// Statuses.
const (
	StatusComplete Status = "COMPLETE"
	StatusError    Status = "ERROR"
)

// URLs are the download URLs of a signed asset.
type URLs struct {
	// SignedAsset downloads the signed file.
	SignedAsset string
	// SignedCID is the CIDv1 of the signed file.
	SignedCID string
	// Certificate downloads the Article 50 audit certificate (PDF).
	Certificate string
	// ExpiresIn is how long both work.
	ExpiresIn time.Duration
}

// Result is the outcome of signing one asset; Err is set when Status is
// StatusError and is one of the API's typed errors.
type Result struct {
	AssetID      int
	Status       Status
	URLs         URLs
	Verification *ent.Verification
	Err          error
}

// SignAssets signs each asset of the caller's account with d. Each asset
// succeeds or fails on its own; the error return is for the request as a
// whole (bad count, invalid declaration). Signing an asset that is
// already signed returns fresh URLs and signs nothing.
func (s *Service) SignAssets(ctx context.Context, ids []int, d article50.Declaration) ([]Result, error) {
	if len(ids) == 0 || len(ids) > MaxAssets {
		return nil, ErrTooManyAssets
	}
	if err := ValidateDeclaration(d); err != nil {
		return nil, err
	}
	results := make([]Result, len(ids))
	for i, id := range ids {
		results[i] = s.signOne(ctx, id, &d, nil)
	}
	return results, nil
}

// SignAsset signs one asset of the caller's account with d, like
// SignAssets. When it succeeds, then (if set) runs in the transaction that
// records the signature — or, for an asset signed already, in a
// transaction of its own — so that what then writes commits with the
// signature: jobs complete their items there, and an item retried after a
// crash finds its asset signed and signs nothing twice.
func (s *Service) SignAsset(ctx context.Context, id int, d article50.Declaration, then func(ctx context.Context, r Result) error) (Result, error) {
	if err := ValidateDeclaration(d); err != nil {
		return Result{}, err
	}
	r := s.signOne(ctx, id, &d, then)
	return r, r.Err
}

// SignAssetUndeclared signs one asset of the caller's account like
// SignAsset, but without an Article 50 declaration: for the v1 APIs whose
// signing carries no AI disclosure (the OP Protocol). The manifest's only
// action is the engine's inception action (c2pa.created, or c2pa.opened
// for a file that had credentials); no declaration is recorded and no
// certificate made, so the URLs have no Certificate.
func (s *Service) SignAssetUndeclared(ctx context.Context, id int, then func(ctx context.Context, r Result) error) (Result, error) {
	r := s.signOne(ctx, id, nil, then)
	return r, r.Err
}

// ValidateDeclaration maps a declaration's validation error onto the API's
// invalid-field error.
func ValidateDeclaration(d article50.Declaration) error {
	if err := d.Validate(); err != nil {
		var fe *article50.FieldError
		if errors.As(err, &fe) {
			return &apierror.InvalidFieldError{Field: "declaration." + fe.Field, Reason: fe.Reason}
		}
		return fmt.Errorf("%w: %v", apierror.ErrInvalidInput, err)
	}
	return nil
}

// signOne signs one asset, or returns the URLs of its earlier signature,
// running then as SignAsset documents; d nil signs without a declaration.
func (s *Service) signOne(ctx context.Context, id int, d *article50.Declaration, then func(ctx context.Context, r Result) error) Result {
	r := Result{AssetID: id, Status: StatusComplete}
	var inTx func(ctx context.Context, urls URLs, v *ent.Verification) error
	if then != nil {
		inTx = func(ctx context.Context, urls URLs, v *ent.Verification) error {
			return then(ctx, Result{AssetID: id, Status: StatusComplete, URLs: urls, Verification: v})
		}
	}
	r.URLs, r.Verification, r.Err = s.sign(ctx, id, d, inTx)
	if r.Err != nil {
		r.Status = StatusError
		r.URLs, r.Verification = URLs{}, nil
	}
	return r
}

// DownloadURLs returns fresh download URLs of a signed asset of the
// caller's account.
func (s *Service) DownloadURLs(ctx context.Context, assetID int) (URLs, error) {
	a, err := db.ClientFrom(ctx, s.client).Asset.Get(ctx, assetID)
	if err != nil {
		return URLs{}, fmt.Errorf("asset %d: %w", assetID, err)
	}
	if a.Status != asset.StatusSigned || a.SignedBlobKey == nil {
		return URLs{}, ErrNotSigned
	}
	decl, err := s.latestDeclaration(ctx, a.ID)
	if err != nil {
		return URLs{}, err
	}
	return s.urls(a, decl), nil
}

// sign signs one asset, or returns the URLs of its earlier signature;
// inTx, when set, runs in the transaction that records the outcome. With d
// nil no declaration is signed in, recorded or certified.
func (s *Service) sign(ctx context.Context, id int, d *article50.Declaration, inTx func(ctx context.Context, urls URLs, v *ent.Verification) error) (URLs, *ent.Verification, error) {
	client := db.ClientFrom(ctx, s.client)
	a, err := client.Asset.Get(ctx, id)
	if err != nil {
		return URLs{}, nil, fmt.Errorf("asset %d: %w", id, err)
	}
	switch a.Status {
	case asset.StatusSigned:
		return s.existingThen(ctx, a, inTx)
	case asset.StatusScanned:
	default:
		return URLs{}, nil, ErrNotSignable
	}
	if _, err := s.opts.Quota.TakeSigns(ctx, 1); err != nil {
		return URLs{}, nil, err
	}
	hasCredentials, err := s.hasCredentials(ctx, a)
	if err != nil {
		return URLs{}, nil, err
	}
	def, err := s.definition(a, d, hasCredentials)
	if err != nil {
		return URLs{}, nil, err
	}

	publicID := verifications.NewPublicID()
	prefix := fmt.Sprintf("signed/%d/%d/%s", a.AccountID, a.ID, publicID)
	signedKey := prefix + "/" + signedFileName(a.FileName)
	sum, cidText, size, err := s.signToStore(ctx, a, def, signedKey)
	if err != nil {
		return URLs{}, nil, err
	}
	cleanup := []string{signedKey}
	fail := func(err error) (URLs, *ent.Verification, error) {
		for _, k := range cleanup {
			_ = s.store.Delete(context.WithoutCancel(ctx), k)
		}
		return URLs{}, nil, err
	}

	b, err := s.store.OpenBlob(ctx, signedKey)
	if err != nil {
		return fail(fmt.Errorf("signing: reopening output: %w", err))
	}
	out, err := s.verifications.Check(ctx, b, b.Size(), a.MediaType)
	_ = b.Close()
	if err != nil {
		return fail(err)
	}
	if out.Report == nil || out.Report.Store == nil || out.Report.Store.Active() == nil {
		return fail(fmt.Errorf("signing: asset %d: the signed output has no readable manifest", id))
	}
	label := out.Report.ActiveManifest
	mr := out.Report.Manifest(label)
	storeKey := prefix + "/manifest.c2pa"
	if _, err := s.store.Put(ctx, storeKey, bytes.NewReader(out.Report.Store.Box.Bytes()), "application/c2pa", 0); err != nil {
		return fail(fmt.Errorf("signing: storing manifest store: %w", err))
	}
	cleanup = append(cleanup, storeKey)

	now := s.opts.Now()
	verifyURL := s.opts.PublicURL + "/verify/" + publicID
	var signerCN, issuer string
	if mr != nil && mr.SignatureInfo != nil {
		signerCN, issuer = mr.SignatureInfo.CommonName, mr.SignatureInfo.Issuer
	}
	var certKey string
	if d != nil {
		var pdf bytes.Buffer
		err = certificate.Render(&pdf, certificate.Data{
			CertificateID:   publicID,
			Organization:    d.Organization,
			FileName:        a.FileName,
			MediaType:       a.MediaType,
			Size:            size,
			SHA256:          sum,
			OriginalSHA256:  a.Sha256,
			CID:             cidText,
			ManifestLabel:   label,
			Declaration:     *d,
			Signer:          signerCN,
			Issuer:          issuer,
			SignedAt:        now,
			ValidationState: out.Report.ValidationState,
			Tier:            string(out.Assessment.Tier),
			TierLabel:       out.Assessment.Label,
			VerifyURL:       verifyURL,
			IssuedAt:        now,
		})
		if err != nil {
			return fail(fmt.Errorf("signing: rendering certificate: %w", err))
		}
		certKey = prefix + "/certificate.pdf"
		if _, err := s.store.Put(ctx, certKey, &pdf, "application/pdf", 0); err != nil {
			return fail(fmt.Errorf("signing: storing certificate: %w", err))
		}
		cleanup = append(cleanup, certKey)
	}

	// Without a caller's transaction the asset's rows are written in one of
	// their own, after its file is signed and stored: no database lock is
	// held while files stream.
	ownTx := ent.TxFromContext(ctx) == nil
	var v *ent.Verification
	var decl *ent.Declaration
	err = db.WithTx(ctx, s.client, func(ctx context.Context) error {
		client := db.ClientFrom(ctx, s.client)
		n, err := client.Asset.Update().
			Where(asset.ID(a.ID), asset.StatusEQ(asset.StatusScanned)).
			SetStatus(asset.StatusSigned).
			SetSignedBlobKey(signedKey).
			SetSignedSha256(sum).
			SetSignedCid(cidText).
			SetSignedSize(size).
			SetSignedAt(now).
			Save(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			return errSignedMeanwhile
		}
		if _, err := client.Manifest.Update().
			Where(manifest.AssetID(a.ID), manifest.IsActive(true)).
			SetIsActive(false).
			Save(ctx); err != nil {
			return err
		}
		create := client.Manifest.Create().
			SetAssetID(a.ID).
			SetLabel(label).
			SetClaimGenerator(s.ClaimGenerator()).
			SetTitle(a.FileName).
			SetSigner(signerCN).
			SetSignedAt(now).
			SetIsActive(true).
			SetValidationState(manifest.ValidationState(strings.ToUpper(out.Report.ValidationState))).
			SetStoreBlobKey(storeKey)
		if _, err := create.Save(ctx); err != nil {
			return err
		}
		var declID *int
		if d != nil {
			decl, err = client.Declaration.Create().
				SetAssetID(a.ID).
				SetAiModel(d.AIModel).
				SetCustomModel(d.CustomModel).
				SetModificationType(declaration.ModificationType(strings.ToUpper(d.ModificationType))).
				SetModificationDescription(d.ModificationDescription).
				SetPurpose(d.Purpose).
				SetPurposeContext(d.PurposeContext).
				SetHumanReview(*d.HumanReview).
				SetReviewerName(d.ReviewerName).
				SetOrganization(d.Organization).
				SetCertificateBlobKey(certKey).
				Save(ctx)
			if err != nil {
				return err
			}
			declID = &decl.ID
		}
		v, err = s.verifications.RecordSigned(ctx, verifications.Subject{
			AssetID:       &a.ID,
			DeclarationID: declID,
			FileName:      a.FileName,
			MediaType:     a.MediaType,
			SHA256:        sum,
		}, out, publicID)
		if err != nil {
			return err
		}
		_, err = s.events.Record(ctx, EventSigned, a.ID, map[string]any{
			"assetId":        a.ID,
			"manifestLabel":  label,
			"sha256":         sum,
			"verificationId": publicID,
			"trustTier":      string(out.Assessment.Tier),
		})
		if err != nil || inTx == nil {
			return err
		}
		a.SignedBlobKey, a.SignedCid = &signedKey, &cidText
		return inTx(ctx, s.urls(a, decl), v)
	})
	if errors.Is(err, errSignedMeanwhile) {
		// A concurrent request signed the asset first: its signature stands.
		fail(err)
		signed, err := db.ClientFrom(ctx, s.client).Asset.Get(ctx, a.ID)
		if err != nil {
			return URLs{}, nil, fmt.Errorf("signing: asset %d: %w", id, err)
		}
		return s.existingThen(ctx, signed, inTx)
	}
	if err != nil {
		return fail(fmt.Errorf("signing: asset %d: %w", id, err))
	}
	if ownTx {
		// Rebind the row written in the finished transaction to the
		// client, so that its edges can still be read.
		v = v.Unwrap()
	}
	a.SignedBlobKey, a.SignedCid = &signedKey, &cidText
	return s.urls(a, decl), v, nil
}

// existingThen returns the URLs of an asset signed already and runs inTx,
// when set, with them in a transaction.
func (s *Service) existingThen(ctx context.Context, a *ent.Asset, inTx func(ctx context.Context, urls URLs, v *ent.Verification) error) (URLs, *ent.Verification, error) {
	urls, v, err := s.existing(ctx, a)
	if err != nil || inTx == nil {
		return urls, v, err
	}
	err = db.WithTx(ctx, s.client, func(ctx context.Context) error { return inTx(ctx, urls, v) })
	if err != nil {
		return URLs{}, nil, err
	}
	return urls, v, nil
}

// hasCredentials reports whether the asset's original carries a manifest
// store the engine will keep as the parent ingredient of the new manifest
// (it then opens it with c2pa.opened instead of c2pa.created). It asks the
// engine the way Sign does rather than trusting the scan.
func (s *Service) hasCredentials(ctx context.Context, a *ent.Asset) (bool, error) {
	orig, err := s.store.OpenBlob(ctx, a.OriginalBlobKey)
	if err != nil {
		return false, fmt.Errorf("signing: asset %d: original: %w", a.ID, err)
	}
	defer orig.Close()
	rep, err := c2pa.Read(ctx, orig, orig.Size(), a.MediaType, c2pa.ReadOptions{})
	var re *c2pa.ReadError
	if err != nil && !errors.As(err, &re) {
		return false, fmt.Errorf("signing: asset %d: reading existing credentials: %w", a.ID, err)
	}
	return rep != nil, nil
}

// errSignedMeanwhile means another request signed the asset between the
// read and the write of this one.
var errSignedMeanwhile = errors.New("signing: asset signed by a concurrent request")

// existing answers a repeated signing request for an already signed asset.
func (s *Service) existing(ctx context.Context, a *ent.Asset) (URLs, *ent.Verification, error) {
	decl, err := s.latestDeclaration(ctx, a.ID)
	if err != nil {
		return URLs{}, nil, err
	}
	v, err := db.ClientFrom(ctx, s.client).Verification.Query().
		Where(verification.AssetID(a.ID), verification.ExpiresAtIsNil()).
		Order(ent.Desc(verification.FieldID)).
		First(ctx)
	if err != nil {
		return URLs{}, nil, fmt.Errorf("signing: asset %d: public verification: %w", a.ID, err)
	}
	return s.urls(a, decl), v, nil
}

// latestDeclaration returns the declaration an asset was last signed with,
// or nil for an asset signed without one (SignAssetUndeclared).
func (s *Service) latestDeclaration(ctx context.Context, assetID int) (*ent.Declaration, error) {
	d, err := db.ClientFrom(ctx, s.client).Declaration.Query().
		Where(declaration.AssetID(assetID), declaration.CertificateBlobKeyNEQ("")).
		Order(ent.Desc(declaration.FieldID)).
		First(ctx)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("signing: asset %d: declaration: %w", assetID, err)
	}
	return d, nil
}

// urls mints fresh download URLs for a signed asset; without a declaration
// (d nil) there is no certificate to download.
func (s *Service) urls(a *ent.Asset, d *ent.Declaration) URLs {
	exp := s.opts.Now().Add(s.opts.DownloadTTL)
	link := func(g download.Grant) string {
		g.Expires = exp
		return s.opts.PublicURL + "/download/" + s.opts.Downloads.Token(g)
	}
	base := strings.TrimSuffix(a.FileName, path.Ext(a.FileName))
	u := URLs{
		SignedAsset: link(download.Grant{Key: *a.SignedBlobKey, FileName: signedFileName(a.FileName), ContentType: a.MediaType}),
		ExpiresIn:   s.opts.DownloadTTL,
	}
	if a.SignedCid != nil {
		u.SignedCID = *a.SignedCid
	}
	if d != nil {
		u.Certificate = link(download.Grant{Key: d.CertificateBlobKey, FileName: base + "-article50-certificate.pdf", ContentType: "application/pdf"})
	}
	return u
}

// signedFileName is the download name of a signed output: photo.jpg →
// photo-signed.jpg.
func signedFileName(name string) string {
	name = path.Base(strings.ReplaceAll(name, "\\", "/"))
	ext := path.Ext(name)
	base := strings.TrimSuffix(name, ext)
	if base == "" || base == "." || base == "/" {
		base = "asset"
	}
	return base + "-signed" + ext
}

// definition is the manifest definition of a signed asset: the actions
// with the declaration's digital source type and model, and the
// declaration itself as a JSON assertion.
func (s *Service) definition(a *ent.Asset, d *article50.Declaration, hasCredentials bool) (*c2pa.ManifestDefinition, error) {
	gen, err := json.Marshal(map[string]any{"name": "provgraph", "version": s.opts.Version})
	if err != nil {
		return nil, err
	}
	if d == nil {
		// Nothing to declare: the engine adds the inception action alone.
		return &c2pa.ManifestDefinition{ClaimGeneratorInfo: []json.RawMessage{gen}, Title: a.FileName, Format: a.MediaType}, nil
	}
	agent := map[string]any{"name": d.Model()}
	action := map[string]any{
		"action":            c2pa.ActionCreated,
		"digitalSourceType": d.DigitalSourceType(),
		"softwareAgent":     agent,
	}
	if hasCredentials {
		// The engine opens the existing credentials (c2pa.opened with the
		// parent ingredient); the AI involvement is the edit that follows.
		action["action"] = "c2pa.edited"
	}
	actions, err := json.Marshal(map[string]any{"actions": []any{action}})
	if err != nil {
		return nil, err
	}
	decl, err := json.Marshal(d)
	if err != nil {
		return nil, err
	}
	return &c2pa.ManifestDefinition{
		ClaimGeneratorInfo: []json.RawMessage{gen},
		Title:              a.FileName,
		Format:             a.MediaType,
		Assertions: []c2pa.AssertionDefinition{
			{Label: "c2pa.actions.v2", Data: actions, Created: true},
			{Label: DeclarationLabel, Data: decl, Kind: "Json", Created: true},
		},
	}, nil
}

// signToStore signs the asset's original into the blob signedKey, streaming
// (the output never sits whole in memory), and returns the output's hex
// SHA-256, CIDv1 and size.
func (s *Service) signToStore(ctx context.Context, a *ent.Asset, def *c2pa.ManifestDefinition, signedKey string) (string, string, int64, error) {
	orig, err := s.store.OpenBlob(ctx, a.OriginalBlobKey)
	if err != nil {
		return "", "", 0, fmt.Errorf("signing: asset %d: original: %w", a.ID, err)
	}
	defer orig.Close()
	cb, err := cid.NewBuilder(cid.Options{Version: 1})
	if err != nil {
		return "", "", 0, err
	}
	h := sha256.New()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := c2pa.Sign(ctx, orig, orig.Size(), a.MediaType, pw, def, s.opts.Signer)
		pw.CloseWithError(err)
		done <- err
	}()
	size, err := s.store.Put(ctx, signedKey, io.TeeReader(pr, io.MultiWriter(h, cb)), a.MediaType, s.opts.MaxBytes)
	_ = pr.CloseWithError(errors.New("signing: output no longer read"))
	signErr := <-done
	switch {
	case signErr != nil && errors.Is(signErr, c2pa.ErrUnsupportedType):
		return "", "", 0, fmt.Errorf("%w: asset %d: %s cannot carry Content Credentials", apierror.ErrInvalidInput, a.ID, a.MediaType)
	case signErr != nil:
		return "", "", 0, fmt.Errorf("signing: asset %d: %w", a.ID, signErr)
	case err != nil:
		return "", "", 0, fmt.Errorf("signing: asset %d: storing output: %w", a.ID, err)
	}
	return hex.EncodeToString(h.Sum(nil)), cb.CID().String(), size, nil
}
