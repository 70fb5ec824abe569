package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"gocloud.dev/blob"
	_ "gocloud.dev/blob/fileblob" // file:// buckets
	_ "gocloud.dev/blob/memblob"  // mem:// buckets
	_ "gocloud.dev/blob/s3blob"   // s3:// buckets
	"gocloud.dev/gcerrors"
)

// Store is a bucket of blobs addressed by slash-separated keys.
type Store struct {
	bucket *blob.Bucket
	url    string
}

// Open opens the store named by rawURL. A bare path (no scheme) is a local
// folder, created if missing. Supported schemes: file://, s3:// (with the
// gocloud query parameters, e.g. endpoint=, region=, use_path_style=true for
// MinIO and other S3-compatible servers) and mem://.
func Open(ctx context.Context, rawURL string) (*Store, error) {
	if rawURL == "" {
		return nil, errors.New("storage: empty URL")
	}
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme == "" || len(u.Scheme) == 1 { // "C:\..." style paths have a one-letter scheme
		rawURL, err = folderURL(rawURL)
		if err != nil {
			return nil, err
		}
	} else if u.Scheme == "file" {
		if err := os.MkdirAll(u.Path, 0o750); err != nil {
			return nil, fmt.Errorf("storage: create %s: %w", u.Path, err)
		}
	}
	b, err := blob.OpenBucket(ctx, rawURL)
	if err != nil {
		return nil, fmt.Errorf("storage: open %s: %w", redact(rawURL), err)
	}
	return &Store{bucket: b, url: redact(rawURL)}, nil
}

// folderURL turns a local path into a fileblob URL, creating the folder.
func folderURL(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", fmt.Errorf("storage: %s: %w", path, err)
	}
	if err := os.MkdirAll(abs, 0o750); err != nil {
		return "", fmt.Errorf("storage: create %s: %w", abs, err)
	}
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String(), nil
}

// redact drops credentials and query secrets from a URL for logs and errors.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "<invalid url>"
	}
	u.User = nil
	u.RawQuery = ""
	return u.String()
}

// String names the store without secrets, for logs.
func (s *Store) String() string { return s.url }

// Close releases the bucket.
func (s *Store) Close() error { return s.bucket.Close() }

// Ping reports whether the bucket can be reached.
func (s *Store) Ping(ctx context.Context) error {
	ok, err := s.bucket.IsAccessible(ctx)
	if err != nil {
		return fmt.Errorf("storage: ping %s: %w", s.url, err)
	}
	if !ok {
		return fmt.Errorf("storage: %s is not accessible", s.url)
	}
	return nil
}

// checkKey refuses keys that are empty, absolute or that climb out of the
// bucket; keys come from the services, but a mistake must not become a path
// traversal on the local backend.
func checkKey(key string) error {
	if key == "" || strings.HasPrefix(key, "/") || strings.Contains(key, "\\") {
		return fmt.Errorf("%w: %q", ErrInvalidKey, key)
	}
	for _, part := range strings.Split(key, "/") {
		if part == "" || part == "." || part == ".." {
			return fmt.Errorf("%w: %q", ErrInvalidKey, key)
		}
	}
	return nil
}

// Put stores the bytes of r under key and returns how many were written.
// With limit > 0, more than limit bytes abort the write with ErrTooLarge and
// nothing is stored. The write is atomic: readers see the old blob or the
// whole new one.
func (s *Store) Put(ctx context.Context, key string, r io.Reader, contentType string, limit int64) (int64, error) {
	if err := checkKey(key); err != nil {
		return 0, err
	}
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	w, err := s.bucket.NewWriter(wctx, key, &blob.WriterOptions{ContentType: contentType})
	if err != nil {
		return 0, fmt.Errorf("storage: put %s: %w", key, err)
	}
	src := r
	if limit > 0 {
		src = io.LimitReader(r, limit+1)
	}
	n, err := io.Copy(w, src)
	if err == nil && limit > 0 && n > limit {
		err = fmt.Errorf("%w: more than %d bytes", ErrTooLarge, limit)
	}
	if err != nil {
		cancel() // a cancelled context makes Close discard the partial blob
		_ = w.Close()
		return 0, fmt.Errorf("storage: put %s: %w", key, err)
	}
	if err := w.Close(); err != nil {
		return 0, fmt.Errorf("storage: put %s: %w", key, err)
	}
	return n, nil
}

// Get opens the blob under key for sequential reading.
func (s *Store) Get(ctx context.Context, key string) (io.ReadCloser, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	r, err := s.bucket.NewReader(ctx, key, nil)
	if err != nil {
		return nil, s.wrap("get", key, err)
	}
	return r, nil
}

// Size returns the size of the blob under key.
func (s *Store) Size(ctx context.Context, key string) (int64, error) {
	if err := checkKey(key); err != nil {
		return 0, err
	}
	a, err := s.bucket.Attributes(ctx, key)
	if err != nil {
		return 0, s.wrap("stat", key, err)
	}
	return a.Size, nil
}

// Exists reports whether a blob is stored under key.
func (s *Store) Exists(ctx context.Context, key string) (bool, error) {
	if err := checkKey(key); err != nil {
		return false, err
	}
	ok, err := s.bucket.Exists(ctx, key)
	if err != nil {
		return false, s.wrap("exists", key, err)
	}
	return ok, nil
}

// Delete removes the blob under key. Deleting a missing blob is not an
// error, so retention sweeps running on several instances can race safely.
func (s *Store) Delete(ctx context.Context, key string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	err := s.bucket.Delete(ctx, key)
	if err != nil && gcerrors.Code(err) != gcerrors.NotFound {
		return s.wrap("delete", key, err)
	}
	return nil
}

// Discard deletes a blob that is no longer needed, best effort: it runs
// after the request may have been cancelled, so it does not inherit ctx's
// cancellation, and a failure leaves the blob behind (for retention to
// sweep) with a warning on log instead of an error. An empty key is a no-op.
func (s *Store) Discard(ctx context.Context, log *slog.Logger, key string) {
	if key == "" {
		return
	}
	if err := s.Delete(context.WithoutCancel(ctx), key); err != nil {
		log.WarnContext(ctx, "storage: blob left behind", slog.String("key", key), slog.String("error", err.Error()))
	}
}

func (s *Store) wrap(op, key string, err error) error {
	if gcerrors.Code(err) == gcerrors.NotFound {
		return fmt.Errorf("storage: %s %s: %w", op, key, ErrNotFound)
	}
	return fmt.Errorf("storage: %s %s: %w", op, key, err)
}
