package c2pa

import (
	"context"
	"encoding/json"
	"io"
)

// ReportReader returns a function that reads and validates an asset's
// manifest store with opts and returns the report as c2pa-rs-shaped JSON —
// the form other packages (the scanner) take a C2PA reader in, so they need
// not import the engine.
func ReportReader(opts ReadOptions) func(ctx context.Context, r io.ReaderAt, size int64, mediaType string) (json.RawMessage, error) {
	return func(ctx context.Context, r io.ReaderAt, size int64, mediaType string) (json.RawMessage, error) {
		rep, err := Read(ctx, r, size, mediaType, opts)
		if err != nil {
			return nil, err
		}
		return rep.JSON()
	}
}
