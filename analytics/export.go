package analytics

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"
)

// Format is an export's encoding.
type Format string

// The export formats.
const (
	// FormatNDJSON is one JSON object per line (application/x-ndjson).
	FormatNDJSON Format = "ndjson"
	// FormatCSV is RFC 4180 CSV with a header line (text/csv).
	FormatCSV Format = "csv"
)

// ContentType is the media type of the format.
func (f Format) ContentType() string {
	if f == FormatCSV {
		return "text/csv; charset=utf-8"
	}
	return "application/x-ndjson"
}

// flushEvery is how many rows an export writes between two flushes to the
// client; the first row is flushed at once.
const flushEvery = 1000

// Row is one line of an export: an asset with its latest scan, the
// declaration of its signature and its latest verification.
type Row struct {
	ID               string    `json:"id"`
	CreatedAt        time.Time `json:"createdAt"`
	FileName         string    `json:"fileName"`
	MediaType        string    `json:"mediaType"`
	Size             int64     `json:"size"`
	Status           string    `json:"status"`
	SHA256           string    `json:"sha256"`
	CID              *string   `json:"cid"`
	SignedSHA256     *string   `json:"signedSha256"`
	SignedCID        *string   `json:"signedCid"`
	ScanVerdict      *string   `json:"scanVerdict"`
	AIModel          *string   `json:"aiModel"`
	DeclaredAIModel  *string   `json:"declaredAiModel"`
	Purpose          *string   `json:"purpose"`
	ModificationType *string   `json:"modificationType"`
	TrustTier        *string   `json:"trustTier"`
}

// csvHeader names the CSV columns, in the order of Row.
var csvHeader = []string{"id", "createdAt", "fileName", "mediaType", "size", "status", "sha256", "cid",
	"signedSha256", "signedCid", "scanVerdict", "aiModel", "declaredAiModel", "purpose", "modificationType", "trustTier"}

// exportStatement selects the Rows of the assets matching where, oldest
// first. The latest row of each kind is the one of highest ID (IDs grow
// within a table), looked up per asset over its asset_id index, so that
// the first rows come while the rest are still being read.
func exportStatement(d sqlDialect, where string) string {
	return "SELECT t.id, t.created_at, t.file_name, t.media_type, t.size, t.status, t.sha256, t.cid, " +
		"t.signed_sha256, t.signed_cid, s.verdict, s.ai_model, d.ai_model, d.purpose, d.modification_type, v.trust_tier " +
		"FROM assets t " +
		d.latest("scans", "s", "verdict, ai_model", "") +
		d.latest("declarations", "d", "ai_model, purpose, modification_type", "certificate_blob_key <> ''") +
		d.latest("verifications", "v", "trust_tier", "") +
		"WHERE " + where + " ORDER BY t.created_at, t.id"
}

// ParseFormat reads an export format by name.
func ParseFormat(name string) (Format, error) {
	switch Format(name) {
	case FormatNDJSON, FormatCSV:
		return Format(name), nil
	}
	return "", ErrFormat
}

// Export implements Queries. Rows are written as the database returns
// them, through a small buffer flushed every flushEvery rows (and, when w
// has a Flush method, as an http.ResponseWriter does, on to the client),
// so memory stays constant whatever the size; a cancelled ctx (a client
// gone) stops the statement.
func (s *Service) Export(ctx context.Context, f Filter, format Format, w io.Writer) (int, error) {
	if _, err := ParseFormat(string(format)); err != nil {
		return 0, err
	}
	account, err := s.start(ctx, f)
	if err != nil {
		return 0, err
	}
	q := &query{d: s.dialect}
	stmt := exportStatement(s.dialect, q.where(assetRows, account, f))
	rows, err := s.sql.QueryContext(ctx, stmt, q.args...)
	if err != nil {
		return 0, fmt.Errorf("analytics: export: %w", err)
	}
	defer rows.Close()

	bw := bufio.NewWriterSize(w, 32<<10)
	flush := func() error {
		if err := bw.Flush(); err != nil {
			return err
		}
		if fl, ok := w.(interface{ Flush() }); ok {
			fl.Flush()
		}
		return nil
	}
	enc := newEncoder(format, bw)
	if err := enc.header(); err != nil {
		return 0, err
	}
	n := 0
	var r Row
	var id int
	for rows.Next() {
		if err := rows.Scan(&id, &r.CreatedAt, &r.FileName, &r.MediaType, &r.Size, &r.Status, &r.SHA256, &r.CID,
			&r.SignedSHA256, &r.SignedCID, &r.ScanVerdict, &r.AIModel, &r.DeclaredAIModel, &r.Purpose,
			&r.ModificationType, &r.TrustTier); err != nil {
			return n, fmt.Errorf("analytics: export: %w", err)
		}
		r.ID = strconv.Itoa(id)
		r.CreatedAt = r.CreatedAt.UTC()
		if err := enc.row(&r); err != nil {
			return n, err
		}
		n++
		if n == 1 || n%flushEvery == 0 {
			if err := flush(); err != nil {
				return n, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return n, fmt.Errorf("analytics: export: %w", err)
	}
	return n, flush()
}

// encoder writes rows in one format.
type encoder struct {
	header func() error
	row    func(*Row) error
}

// newEncoder returns the encoder of format writing to w.
func newEncoder(format Format, w io.Writer) encoder {
	if format == FormatCSV {
		cw := csv.NewWriter(w)
		rec := make([]string, len(csvHeader))
		return encoder{
			header: func() error { return cw.Write(csvHeader) },
			row: func(r *Row) error {
				rec = append(rec[:0], r.ID, r.CreatedAt.Format(time.RFC3339Nano), r.FileName, r.MediaType,
					strconv.FormatInt(r.Size, 10), r.Status, r.SHA256, text(r.CID), text(r.SignedSHA256), text(r.SignedCID),
					text(r.ScanVerdict), text(r.AIModel), text(r.DeclaredAIModel), text(r.Purpose), text(r.ModificationType),
					text(r.TrustTier))
				if err := cw.Write(rec); err != nil {
					return err
				}
				// csv.Writer buffers on its own: hand each line on, so
				// that the caller's flushes reach the client.
				cw.Flush()
				return cw.Error()
			},
		}
	}
	je := json.NewEncoder(w)
	je.SetEscapeHTML(false)
	return encoder{
		header: func() error { return nil },
		row:    func(r *Row) error { return je.Encode(r) },
	}
}

// text is a nullable column as CSV text ("" for NULL).
func text(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
