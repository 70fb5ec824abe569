package storage_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"provgraph/storage"
)

// backends opens one store of every kind: a local folder, memory, and an
// S3-compatible server on a loopback listener (gofakes3 speaks the S3 wire
// protocol, so the real s3blob driver and AWS SDK are exercised).
func backends(t *testing.T) map[string]*storage.Store {
	t.Helper()
	ctx := context.Background()
	out := map[string]*storage.Store{}

	dir, err := storage.Open(ctx, t.TempDir()+"/blobs")
	if err != nil {
		t.Fatal(err)
	}
	out["folder"] = dir

	mem, err := storage.Open(ctx, "mem://")
	if err != nil {
		t.Fatal(err)
	}
	out["mem"] = mem

	be := s3mem.New()
	if err := be.CreateBucket("provgraph"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gofakes3.New(be).Server())
	t.Cleanup(srv.Close)
	t.Setenv("AWS_ACCESS_KEY_ID", "test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test")
	s3, err := storage.Open(ctx, "s3://provgraph?region=us-east-1&use_path_style=true&disable_https=true&endpoint="+srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	out["s3"] = s3

	for _, s := range out {
		t.Cleanup(func() { _ = s.Close() })
	}
	return out
}

func TestStoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	data := make([]byte, 3<<20+17)
	if _, err := rand.Read(data); err != nil {
		t.Fatal(err)
	}
	for name, s := range backends(t) {
		t.Run(name, func(t *testing.T) {
			if err := s.Ping(ctx); err != nil {
				t.Fatalf("ping: %v", err)
			}
			n, err := s.Put(ctx, "assets/a/original", bytes.NewReader(data), "image/jpeg", 0)
			if err != nil || n != int64(len(data)) {
				t.Fatalf("put: n=%d err=%v", n, err)
			}
			size, err := s.Size(ctx, "assets/a/original")
			if err != nil || size != int64(len(data)) {
				t.Fatalf("size: %d %v", size, err)
			}
			rc, err := s.Get(ctx, "assets/a/original")
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(rc)
			_ = rc.Close()
			if err != nil || !bytes.Equal(got, data) {
				t.Fatalf("get: %d bytes, err=%v", len(got), err)
			}

			// Random access: sequential reads, a jump back, a read past the end.
			b, err := s.OpenBlob(ctx, "assets/a/original")
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			for _, off := range []int64{0, 4096, 8192, 100, int64(len(data)) - 10} {
				p := make([]byte, 4096)
				n, err := b.ReadAt(p, off)
				want := data[off:min(off+4096, int64(len(data)))]
				if n != len(want) || !bytes.Equal(p[:n], want) {
					t.Fatalf("ReadAt(%d): n=%d err=%v", off, n, err)
				}
				if n < len(p) && err != io.EOF {
					t.Fatalf("short ReadAt(%d) must return io.EOF, got %v", off, err)
				}
			}
			if _, err := b.ReadAt(make([]byte, 1), int64(len(data))); err != io.EOF {
				t.Fatalf("ReadAt at end: %v", err)
			}

			// Two goroutines reading the whole blob front to back at once,
			// as signing's hash pass and its JPEG walk do: each gets its
			// own bytes (run with -race).
			var wg sync.WaitGroup
			errs := make(chan error, 2)
			for _, chunk := range []int{64 << 10, 100 << 10} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					p := make([]byte, chunk)
					for off := int64(0); off < int64(len(data)); off += int64(chunk) {
						n, err := b.ReadAt(p, off)
						if want := data[off:min(off+int64(chunk), int64(len(data)))]; n != len(want) || !bytes.Equal(p[:n], want) || (err != nil && err != io.EOF) {
							errs <- fmt.Errorf("chunk %d: ReadAt(%d): n=%d err=%v", chunk, off, n, err)
							return
						}
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}

			if err := s.Delete(ctx, "assets/a/original"); err != nil {
				t.Fatal(err)
			}
			if err := s.Delete(ctx, "assets/a/original"); err != nil {
				t.Fatalf("deleting twice must be harmless: %v", err)
			}
			if _, err := s.Get(ctx, "assets/a/original"); !errors.Is(err, storage.ErrNotFound) {
				t.Fatalf("get after delete: %v, want ErrNotFound", err)
			}
			if ok, err := s.Exists(ctx, "assets/a/original"); ok || err != nil {
				t.Fatalf("exists after delete: %v %v", ok, err)
			}
		})
	}
}

func TestPutLimitKeepsOldBlob(t *testing.T) {
	ctx := context.Background()
	for name, s := range backends(t) {
		t.Run(name, func(t *testing.T) {
			if _, err := s.Put(ctx, "k", strings.NewReader("old"), "text/plain", 0); err != nil {
				t.Fatal(err)
			}
			_, err := s.Put(ctx, "k", strings.NewReader("0123456789"), "text/plain", 5)
			if !errors.Is(err, storage.ErrTooLarge) {
				t.Fatalf("oversize put: %v, want ErrTooLarge", err)
			}
			rc, err := s.Get(ctx, "k")
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(rc)
			_ = rc.Close()
			if string(got) != "old" {
				t.Fatalf("a refused write must leave the old blob, got %q", got)
			}
		})
	}
}

func TestInvalidKeys(t *testing.T) {
	s, err := storage.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, key := range []string{"", "/etc/passwd", "../x", "a/../../b", "a//b", `a\b`, "a/./b"} {
		if _, err := s.Put(context.Background(), key, strings.NewReader("x"), "", 0); !errors.Is(err, storage.ErrInvalidKey) {
			t.Errorf("Put(%q): %v, want ErrInvalidKey", key, err)
		}
	}
}

// TestDiscard checks that Discard deletes even under a cancelled context and
// that a failure is logged, not returned.
func TestDiscard(t *testing.T) {
	for name, s := range backends(t) {
		t.Run(name, func(t *testing.T) {
			if _, err := s.Put(context.Background(), "inbox/1/x", strings.NewReader("data"), "text/plain", 0); err != nil {
				t.Fatal(err)
			}
			var logged bytes.Buffer
			log := slog.New(slog.NewTextHandler(&logged, nil))
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			s.Discard(ctx, log, "inbox/1/x")
			if _, err := s.Size(context.Background(), "inbox/1/x"); !errors.Is(err, storage.ErrNotFound) {
				t.Errorf("after Discard: Size = %v, want ErrNotFound", err)
			}
			s.Discard(ctx, log, "")
			if logged.Len() != 0 {
				t.Errorf("logged %q for a deleted and an empty key", logged.String())
			}
			s.Discard(ctx, log, "../escape")
			if !strings.Contains(logged.String(), "blob left behind") {
				t.Errorf("a failed discard logged %q", logged.String())
			}
		})
	}
}
