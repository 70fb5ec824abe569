package verifications

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"provgraph/apierror"
	"provgraph/badge"
	"provgraph/c2pa"
	_ "provgraph/c2pa/asset/all" // every container format the engine reads
	"provgraph/c2pa/trust"
	"provgraph/db"
	"provgraph/ent"
	"provgraph/ent/asset"
	"provgraph/ent/predicate"
	"provgraph/ent/schema/tenant"
	"provgraph/ent/verification"
	"provgraph/events"
	"provgraph/quota"
	"provgraph/storage"
	"provgraph/verify"
)

// Options configure a Service.
type Options struct {
	// Trust is the instance trust store signers are checked against.
	Trust *trust.Store
	// TTL is how long a cached verification stays readable.
	TTL time.Duration
	// PublicURL is the base of the verify URLs handed out.
	PublicURL string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Events, when set, records EventCompleted for every file or asset
	// verified.
	Events *events.Service
	// Quota, when set, counts every file or asset verified (nothing under
	// a quota.Prepaid context).
	Quota *quota.Service
}

// EventCompleted is recorded for every verification of a file or asset
// (not for the records signing keeps).
const EventCompleted = "verification.completed"

// Then runs in the transaction that stores a verification, so that what it
// writes (a job item's completion) commits with it.
type Then func(ctx context.Context, v *ent.Verification) error

// Service validates files and keeps the verifications.
type Service struct {
	client *ent.Client
	store  *storage.Store
	opts   Options
}

// NewService returns a Service over client and the blob store.
func NewService(client *ent.Client, store *storage.Store, o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Service{client: client, store: store, opts: o}
}

// Outcome is one validation: the c2pa-rs-shaped report and its assessment.
type Outcome struct {
	// Report is the engine's report; nil when no manifest store was read.
	Report *c2pa.Report
	// JSON is the report as the API returns it; without a store it names
	// the reason (e.g. {"error": "JumbfNotFound"}).
	JSON map[string]any
	// Assessment is the trust verdict.
	Assessment verify.Assessment
}

// Check validates the asset r with the instance trust store.
func (s *Service) Check(ctx context.Context, r io.ReaderAt, size int64, mediaType string) (Outcome, error) {
	rep, err := c2pa.Read(ctx, r, size, mediaType, c2pa.ReadOptions{Trust: s.opts.Trust})
	var re *c2pa.ReadError
	switch {
	case errors.Is(err, c2pa.ErrUnsupportedType):
		return Outcome{}, fmt.Errorf("%w: %s", ErrUnsupported, mediaType)
	case err != nil && !errors.As(err, &re):
		return Outcome{}, fmt.Errorf("verifications: reading C2PA: %w", err)
	}
	out := Outcome{Report: rep, Assessment: verify.Assess(verify.FactsOf(rep, err, s.opts.Now()))}
	if rep == nil {
		out.JSON = map[string]any{"error": re.Name}
		if re.Detail != "" {
			out.JSON["detail"] = re.Detail
		}
		return out, nil
	}
	raw, err := rep.JSON()
	if err != nil {
		return Outcome{}, fmt.Errorf("verifications: encoding report: %w", err)
	}
	if err := json.Unmarshal(raw, &out.JSON); err != nil {
		return Outcome{}, fmt.Errorf("verifications: decoding report: %w", err)
	}
	return out, nil
}

// Subject is what a verification is about.
type Subject struct {
	// AssetID is the stored asset, if any.
	AssetID *int
	// DeclarationID is the Article 50 declaration signed into the file, if any.
	DeclarationID *int
	FileName      string
	MediaType     string
	// SHA256 is the hex hash of the verified bytes.
	SHA256 string
}

// VerifyFile validates an uploaded file and caches the result for the TTL.
// r is read once; when it is not an io.ReaderAt it is spooled to a
// temporary file, never held in memory. The thens run in the transaction
// that stores the verification.
func (s *Service) VerifyFile(ctx context.Context, name, mediaType string, r io.Reader, then ...Then) (*ent.Verification, error) {
	if _, err := s.opts.Quota.TakeVerifies(ctx, 1); err != nil {
		return nil, err
	}
	ra, size, sum, cleanup, err := spool(r)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	mediaType = readableType(name, mediaType)
	out, err := s.Check(ctx, ra, size, mediaType)
	if err != nil {
		return nil, err
	}
	return s.complete(ctx, Subject{FileName: name, MediaType: mediaType, SHA256: sum}, out, then)
}

// VerifyAsset validates a stored asset of the caller's account (its signed
// output once signed, else the original) and caches the result for the
// TTL, like VerifyFile.
func (s *Service) VerifyAsset(ctx context.Context, id int, then ...Then) (*ent.Verification, error) {
	if _, err := s.opts.Quota.TakeVerifies(ctx, 1); err != nil {
		return nil, err
	}
	a, err := db.ClientFrom(ctx, s.client).Asset.Get(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("asset %d: %w", id, err)
	}
	key, sum := a.OriginalBlobKey, a.Sha256
	if a.Status == asset.StatusSigned && a.SignedBlobKey != nil {
		key = *a.SignedBlobKey
		if a.SignedSha256 != nil {
			sum = *a.SignedSha256
		}
	}
	b, err := s.store.OpenBlob(ctx, key)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, fmt.Errorf("asset %d: %w: its file has been deleted (retention)", id, apierror.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("verifications: asset %d: %w", id, err)
	}
	defer b.Close()
	out, err := s.Check(ctx, b, b.Size(), a.MediaType)
	if err != nil {
		return nil, err
	}
	return s.complete(ctx, Subject{AssetID: &a.ID, FileName: a.FileName, MediaType: a.MediaType, SHA256: sum}, out, then)
}

// complete stores a verification that expires after the TTL, records
// EventCompleted and runs the thens, in one transaction (the caller's, if
// ctx carries one).
func (s *Service) complete(ctx context.Context, subj Subject, out Outcome, then []Then) (*ent.Verification, error) {
	ownTx := ent.TxFromContext(ctx) == nil
	expires := s.opts.Now().Add(s.opts.TTL)
	var v *ent.Verification
	err := db.WithTx(ctx, s.client, func(ctx context.Context) error {
		var err error
		if v, err = s.create(ctx, subj, out, NewPublicID(), &expires); err != nil {
			return err
		}
		if s.opts.Events != nil {
			payload := map[string]any{
				"verificationId": v.PublicID,
				"fileName":       v.FileName,
				"sha256":         v.Sha256,
				"trustTier":      string(v.TrustTier),
			}
			if subj.AssetID != nil {
				payload["assetId"] = *subj.AssetID
			}
			if _, err := s.opts.Events.Record(ctx, EventCompleted, v.ID, payload); err != nil {
				return err
			}
		}
		for _, t := range then {
			if err := t(ctx, v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if ownTx {
		v = v.Unwrap()
	}
	return v, nil
}

// RecordSigned stores the public verification record of a signed asset
// under publicID; it does not expire.
func (s *Service) RecordSigned(ctx context.Context, subj Subject, out Outcome, publicID string) (*ent.Verification, error) {
	return s.create(ctx, subj, out, publicID, nil)
}

func (s *Service) create(ctx context.Context, subj Subject, out Outcome, publicID string, expires *time.Time) (*ent.Verification, error) {
	a := out.Assessment
	now := s.opts.Now()
	v, err := db.ClientFrom(ctx, s.client).Verification.Create().
		SetPublicID(publicID).
		SetNillableAssetID(subj.AssetID).
		SetNillableDeclarationID(subj.DeclarationID).
		SetFileName(subj.FileName).
		SetMediaType(subj.MediaType).
		SetSha256("sha256:" + subj.SHA256).
		SetStatus(verification.StatusComplete).
		SetTrustTier(verification.TrustTier(strings.ToUpper(string(a.Tier)))).
		SetLabel(a.Label).
		SetDescription(a.Description).
		SetConfidence(verification.Confidence(strings.ToUpper(string(a.Confidence)))).
		SetEdgeCase(string(a.EdgeCase)).
		SetAiDeclared(a.AIDeclared).
		SetReport(out.JSON).
		SetCompletedAt(now).
		SetNillableExpiresAt(expires).
		Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("verifications: saving: %w", err)
	}
	return v, nil
}

// Get returns a verification of the caller's account that has not expired.
func (s *Service) Get(ctx context.Context, id int) (*ent.Verification, error) {
	v, err := db.ClientFrom(ctx, s.client).Verification.Query().
		Where(verification.ID(id), s.live()).
		Only(ctx)
	if ent.IsNotFound(err) {
		return nil, ErrNotFound
	}
	return v, err
}

// GetPublic returns a verification by its public id, whatever its account,
// unless it has expired. Only the public, unauthenticated routes (badges,
// verify pages) call it.
func (s *Service) GetPublic(ctx context.Context, publicID string) (*ent.Verification, error) {
	v, err := s.client.Verification.Query().
		Where(verification.PublicID(publicID), s.live()).
		Only(tenant.WithSystem(ctx))
	if ent.IsNotFound(err) {
		return nil, ErrNotFound
	}
	return v, err
}

func (s *Service) live() predicate.Verification {
	return verification.Or(verification.ExpiresAtIsNil(), verification.ExpiresAtGT(s.opts.Now()))
}

// URL is the public verify page of a verification.
func (s *Service) URL(v *ent.Verification) string {
	return s.opts.PublicURL + "/verify/" + v.PublicID
}

// AssessmentOf rebuilds the assessment a verification row stores.
func AssessmentOf(v *ent.Verification) verify.Assessment {
	return verify.Assessment{
		Tier:        verify.Tier(strings.ToLower(string(v.TrustTier))),
		Label:       v.Label,
		Description: v.Description,
		Confidence:  verify.Confidence(strings.ToLower(string(v.Confidence))),
		EdgeCase:    verify.EdgeCase(v.EdgeCase),
		AIDeclared:  v.AiDeclared,
	}
}

// NewPublicID returns a random, unguessable public verification id (26
// lower-case base32 characters, 128 bits).
func NewPublicID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:]))
}

// readableType is the media type to read an upload as: its declared type,
// else its file extension, else empty (the engine sniffs the content).
func readableType(name, mediaType string) string {
	if mediaType != "" && mediaType != "application/octet-stream" {
		return mediaType
	}
	return strings.TrimPrefix(strings.ToLower(filepath.Ext(name)), ".")
}

// spool gives random access to r and its SHA-256: r itself when it is an
// io.ReaderAt with a known size, else a temporary file.
func spool(r io.Reader) (io.ReaderAt, int64, string, func(), error) {
	h := sha256.New()
	if rs, ok := r.(interface {
		io.ReaderAt
		io.Seeker
	}); ok {
		size, err := rs.Seek(0, io.SeekEnd)
		if err != nil {
			return nil, 0, "", nil, fmt.Errorf("verifications: sizing upload: %w", err)
		}
		if _, err := io.Copy(h, io.NewSectionReader(rs, 0, size)); err != nil {
			return nil, 0, "", nil, fmt.Errorf("verifications: hashing upload: %w", err)
		}
		return rs, size, hex.EncodeToString(h.Sum(nil)), func() {}, nil
	}
	f, err := os.CreateTemp("", "provgraph-verify-*")
	if err != nil {
		return nil, 0, "", nil, fmt.Errorf("verifications: spooling upload: %w", err)
	}
	cleanup := func() { _ = f.Close(); _ = os.Remove(f.Name()) }
	size, err := io.Copy(io.MultiWriter(f, h), r)
	if err != nil {
		cleanup()
		return nil, 0, "", nil, fmt.Errorf("verifications: spooling upload: %w", err)
	}
	return f, size, hex.EncodeToString(h.Sum(nil)), cleanup, nil
}

// BadgeURL is the public badge of a verification in format svg, html or json.
func (s *Service) BadgeURL(v *ent.Verification, format string) string {
	return s.opts.PublicURL + "/badge/" + v.PublicID + "." + format
}

// Badge builds the badge of a verification.
func (s *Service) Badge(v *ent.Verification) badge.Badge {
	b := badge.New(v.PublicID, AssessmentOf(v), s.URL(v))
	b.SVGURL = s.BadgeURL(v, "svg")
	return b
}

// BadgeOptions parses a badge theme and size; unknown values are
// INVALID_INPUT.
func BadgeOptions(theme, size string) (badge.Options, error) {
	o, err := badge.ParseOptions(theme, size)
	if err != nil {
		return o, fmt.Errorf("%w: %w", apierror.ErrInvalidInput, err)
	}
	return o, nil
}

// PurgeExpired deletes the cached verifications, of every account, that
// expired before now, and returns how many; a background sweeper calls it.
func (s *Service) PurgeExpired(ctx context.Context) (int, error) {
	n, err := s.client.Verification.Delete().
		Where(verification.ExpiresAtLT(s.opts.Now())).
		Exec(tenant.WithSystem(ctx))
	if err != nil {
		return 0, fmt.Errorf("verifications: purging expired: %w", err)
	}
	return n, nil
}
