package assets

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"

	"provgraph/apierror"
	"provgraph/c2pa"
	_ "provgraph/c2pa/asset/all" // every container format the engine reads
	"provgraph/cid"
	"provgraph/collections"
	"provgraph/db"
	"provgraph/ent"
	"provgraph/ent/collection"
	"provgraph/ent/schema/tenant"
	"provgraph/events"
	"provgraph/quota"
	"provgraph/scan"
	"provgraph/storage"
)

// EventScanned is recorded for every asset stored and scanned.
const EventScanned = "asset.scanned"

// DefaultMaxFileBytes is the size limit of one file when
// Options.MaxFileBytes is zero.
const DefaultMaxFileBytes = 50 << 20

// sniffBytes is how much of a file is looked at to tell its media type
// (scan.Sniff uses at most 4096 bytes).
const sniffBytes = 4096

// DefaultMediaTypes returns the media types accepted when
// Options.MediaTypes is empty: the still-image, video, audio and document
// formats the scanner and the C2PA engine read.
func DefaultMediaTypes() []string {
	return []string{
		scan.MediaJPEG, scan.MediaPNG, scan.MediaWebP, scan.MediaGIF,
		scan.MediaTIFF, scan.MediaDNG, scan.MediaHEIC, scan.MediaHEIF, scan.MediaAVIF,
		scan.MediaMP4, scan.MediaMOV, scan.MediaM4A, scan.MediaWAV, scan.MediaAVI,
		scan.MediaMP3, scan.MediaSVG, scan.MediaPDF,
	}
}

// Options configures a Service.
type Options struct {
	// MaxFileBytes is the largest file accepted; 0 means
	// DefaultMaxFileBytes.
	MaxFileBytes int64
	// MediaTypes lists the accepted media types (as scan.Sniff names
	// them); empty means DefaultMediaTypes.
	MediaTypes []string
	// C2PA are the options manifests are read and validated with, above
	// all the trust store that decides whether a signer is trusted.
	C2PA c2pa.ReadOptions
	// Logger receives what is worth knowing but not worth failing for
	// (a blob left behind after a failed transaction); nil discards it.
	Logger *slog.Logger
	// Quota, when set, counts every file Scan is given (nothing under a
	// quota.Prepaid context); Scan must then be called outside a
	// transaction.
	Quota *quota.Service
}

// Service stores, hashes and scans uploads in the caller's account.
type Service struct {
	client      *ent.Client
	store       *storage.Store
	events      *events.Service
	collections *collections.Service
	maxBytes    int64
	accepted    map[string]bool
	reader      scan.C2PAReader
	log         *slog.Logger
	quota       *quota.Service
}

// NewService returns a Service that keeps rows with client, blobs in store,
// records to ev and creates collections through cols.
func NewService(client *ent.Client, store *storage.Store, ev *events.Service, cols *collections.Service, opts Options) *Service {
	s := &Service{
		client:      client,
		store:       store,
		events:      ev,
		collections: cols,
		maxBytes:    opts.MaxFileBytes,
		accepted:    map[string]bool{},
		reader:      c2pa.ReportReader(opts.C2PA), // the Go engine behind the scanner
		log:         opts.Logger,
		quota:       opts.Quota,
	}
	if s.maxBytes <= 0 {
		s.maxBytes = DefaultMaxFileBytes
	}
	types := opts.MediaTypes
	if len(types) == 0 {
		types = DefaultMediaTypes()
	}
	for _, t := range types {
		s.accepted[t] = true
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	return s
}

// MaxFileBytes is the largest file the Service accepts.
func (s *Service) MaxFileBytes() int64 { return s.maxBytes }

// Upload is one file to store and scan.
type Upload struct {
	// FileName is the name the client gave the file; it decides nothing.
	FileName string
	// Content is read once, front to back. When it is also an
	// io.ReadSeeker (a spooled upload) it is scanned where it is;
	// otherwise the stored blob is read back.
	Content io.Reader
	// Size is the announced size, or -1 when unknown; a file announced
	// larger than the limit is refused before it is read.
	Size int64
}

// ScanRequest is one call of Scan.
type ScanRequest struct {
	// Files are stored and scanned in order.
	Files []Upload
	// CollectionID adds the stored assets to this existing collection.
	CollectionID *int
	// CollectionName, exclusive with CollectionID, creates a collection
	// with this name (and CollectionDescription) for the stored assets.
	CollectionName        *string
	CollectionDescription *string
	// Recorded, when set, runs in the recording transaction once the files
	// are recorded (or refused): what it writes commits with them, and an
	// error from it rolls them back. Jobs complete their items in it.
	Recorded func(ctx context.Context, res *ScanResult) error
}

// ScanResult is what Scan did.
type ScanResult struct {
	// Collection is the collection the assets were added to, or nil.
	Collection *ent.Collection
	// CreatedCollection is true when Collection was created by this call.
	CreatedCollection bool
	// Files has one entry per uploaded file, in order.
	Files []FileResult
}

// FileResult is the outcome for one file: Asset and Scan, or Err (a
// *FileError for a refused file, another error for an internal failure).
type FileResult struct {
	// FileName is the name the client sent the file under.
	FileName string
	// Asset is the stored asset, nil when the file was refused.
	Asset *ent.Asset
	// Scan is the asset's scan, nil when the file was refused.
	Scan *ent.Scan
	// Err is why the file was refused or failed, nil when stored.
	Err error
}

// Scan stores, hashes and scans every file of req in the caller's account,
// records the assets, their scans and an EventScanned each, and links them
// to the requested collection. A refused file does not stop the others: its
// FileResult carries the reason and nothing of it is kept. The database
// writes share one transaction (the caller's, if ctx carries one); blobs
// are written before it, and removed again if it fails.
func (s *Service) Scan(ctx context.Context, req ScanRequest) (*ScanResult, error) {
	viewer, ok := tenant.FromContext(ctx)
	if !ok {
		return nil, tenant.ErrNoViewer
	}
	if req.CollectionID != nil && req.CollectionName != nil {
		return nil, errCollectionChoice
	}
	if req.CollectionName != nil {
		// Checked before any file is read, not when the collection is made.
		if err := collection.NameValidator(*req.CollectionName); err != nil {
			return nil, &apierror.InvalidFieldError{Field: "collectionName", Reason: err.Error()}
		}
	}
	if _, err := s.quota.TakeScans(ctx, len(req.Files)); err != nil {
		return nil, err
	}
	out := &ScanResult{Files: make([]FileResult, len(req.Files))}
	if req.CollectionID != nil {
		c, err := db.ClientFrom(ctx, s.client).Collection.Get(ctx, *req.CollectionID)
		if err != nil {
			return nil, fmt.Errorf("assets: collection %d: %w", *req.CollectionID, err)
		}
		out.Collection = c
	}

	files := make([]*ingested, len(req.Files))
	for i, up := range req.Files {
		out.Files[i].FileName = up.FileName
		f, err := s.ingest(ctx, viewer.AccountID, up)
		var refused *FileError
		if err != nil && !errors.As(err, &refused) {
			s.log.ErrorContext(ctx, "assets: file failed", slog.String("file", up.FileName), slog.String("error", err.Error()))
		}
		files[i], out.Files[i].Err = f, err
	}
	ownTx := ent.TxFromContext(ctx) == nil
	err := db.WithTx(ctx, s.client, func(ctx context.Context) error {
		if req.CollectionName != nil {
			in := ent.CreateCollectionInput{Name: *req.CollectionName, Description: req.CollectionDescription}
			c, err := s.collections.Create(ctx, in)
			if err != nil {
				return err
			}
			out.Collection, out.CreatedCollection = c, true
		}
		for i, f := range files {
			if f == nil {
				continue
			}
			a, sc, err := s.record(ctx, out.Files[i].FileName, f, out.Collection)
			if err != nil {
				return err
			}
			out.Files[i].Asset, out.Files[i].Scan = a, sc
		}
		if req.Recorded != nil {
			return req.Recorded(ctx, out)
		}
		return nil
	})
	if err != nil {
		for _, f := range files {
			if f != nil {
				s.discard(ctx, f.key)
			}
		}
		return nil, err
	}
	if ownTx {
		unwrap(out)
	}
	return out, nil
}

// unwrap rebinds the rows written in a transaction Scan opened itself to
// the client, so that the caller can still read their edges once that
// transaction is over.
func unwrap(out *ScanResult) {
	if out.CreatedCollection {
		out.Collection = out.Collection.Unwrap()
	}
	for i := range out.Files {
		if f := &out.Files[i]; f.Asset != nil {
			f.Asset, f.Scan = f.Asset.Unwrap(), f.Scan.Unwrap()
		}
	}
}

// ingested is a file stored and scanned, not yet recorded.
type ingested struct {
	key       string
	size      int64
	sha256    string
	cid       string
	mediaType string
	report    *scan.Report
}

// ingest streams up into the blob store, hashing it on the way, then scans
// it. A refusal is a *FileError, and nothing of the file is left stored.
func (s *Service) ingest(ctx context.Context, accountID int, up Upload) (*ingested, error) {
	refuse := func(sentinel error, detail string, args ...any) error {
		return &FileError{FileName: up.FileName, Err: sentinel, Detail: fmt.Sprintf(detail, args...)}
	}
	if up.Size > s.maxBytes {
		return nil, refuse(apierror.ErrFileTooLarge, "%d bytes, more than the limit of %d", up.Size, s.maxBytes)
	}
	br := bufio.NewReaderSize(up.Content, sniffBytes)
	head, err := br.Peek(sniffBytes)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("assets: reading %s: %w", up.FileName, err)
	}
	mediaType := scan.Sniff(head)
	if !s.accepted[mediaType] {
		return nil, refuse(apierror.ErrUnsupportedMediaType, "its bytes are not of an accepted media type (sniffed %s)", mediaType)
	}

	var nonce [16]byte
	_, _ = rand.Read(nonce[:])
	key := fmt.Sprintf("originals/%d/%s", accountID, hex.EncodeToString(nonce[:]))
	sum := sha256.New()
	cb, err := cid.NewBuilder(cid.Options{Version: 1})
	if err != nil {
		return nil, fmt.Errorf("assets: %w", err)
	}
	n, err := s.store.Put(ctx, key, io.TeeReader(br, io.MultiWriter(sum, cb)), mediaType, s.maxBytes)
	switch {
	case errors.Is(err, storage.ErrTooLarge):
		return nil, refuse(apierror.ErrFileTooLarge, "more than the limit of %d bytes", s.maxBytes)
	case err != nil:
		return nil, fmt.Errorf("assets: storing %s: %w", up.FileName, err)
	}
	f := &ingested{
		key:       key,
		size:      n,
		sha256:    hex.EncodeToString(sum.Sum(nil)),
		cid:       cb.CID().String(),
		mediaType: mediaType,
	}
	rep, err := s.scan(ctx, up, f)
	if err != nil {
		s.discard(ctx, key)
		return nil, err
	}
	if why := unreadable(rep); why != "" {
		s.discard(ctx, key)
		return nil, refuse(apierror.ErrInvalidFile, "%s", why)
	}
	f.report, f.mediaType = rep, rep.MediaType
	return f, nil
}

// scan runs the scanner with the C2PA engine over the file: the upload
// itself when it can seek, else the stored blob.
func (s *Service) scan(ctx context.Context, up Upload, f *ingested) (*scan.Report, error) {
	var r io.ReaderAt
	if rs, ok := up.Content.(io.ReadSeeker); ok {
		r = &seekReaderAt{rs: rs}
	} else {
		b, err := s.store.OpenBlob(ctx, f.key)
		if err != nil {
			return nil, fmt.Errorf("assets: reopening %s: %w", up.FileName, err)
		}
		defer b.Close()
		r = b // safe for the engine's concurrent reads
	}
	rep, err := scan.Scan(ctx, r, f.size, scan.Options{C2PA: s.reader})
	if err != nil {
		return nil, fmt.Errorf("assets: scanning %s: %w", up.FileName, err)
	}
	return rep, nil
}

// discard removes a blob that will not be recorded (storage.Store.Discard).
func (s *Service) discard(ctx context.Context, key string) { s.store.Discard(ctx, s.log, key) }
