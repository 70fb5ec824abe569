package notarai

import (
	"errors"
	"fmt"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"

	"provgraph/apierror"
	"provgraph/assets"
)

// maxMemory is how much of a multipart request is held in memory; larger
// files are spooled to temporary files by mime/multipart.
const maxMemory = 8 << 20

// maxScanFiles is the most files one POST /scans takes (NotarAI does not
// state one; this keeps one synchronous request bounded).
const maxScanFiles = 50

// form is a parsed multipart request: its files, in order, and its
// other fields.
type form struct {
	files  []*multipart.FileHeader
	values map[string][]string
	mf     *multipart.Form
}

// isMultipart reports whether r carries multipart/form-data.
func isMultipart(r *http.Request) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return mt == "multipart/form-data"
}

// parseForm reads a multipart request whose files come in repeated
// "file" fields. The caller closes the form.
func parseForm(r *http.Request) (*form, error) {
	if !isMultipart(r) {
		return nil, invalid("expected multipart/form-data with one or more file fields")
	}
	if err := r.ParseMultipartForm(maxMemory); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, err
		}
		return nil, invalid("unreadable multipart body: " + err.Error())
	}
	mf := r.MultipartForm
	return &form{files: mf.File["file"], values: mf.Value, mf: mf}, nil
}

// close removes the form's temporary files.
func (f *form) close() {
	if f != nil && f.mf != nil {
		_ = f.mf.RemoveAll()
	}
}

// value is the first value of field, trimmed, and whether it was given.
func (f *form) value(field string) (string, bool) {
	v := f.values[field]
	if len(v) == 0 || strings.TrimSpace(v[0]) == "" {
		return "", false
	}
	return strings.TrimSpace(v[0]), true
}

// upload is one file of a form, opened for a service.
type upload struct {
	name string
	up   assets.Upload
	// refused is why the file is not handed on (over the size limit).
	refused error
}

// open opens the form's files, refusing each one larger than maxBytes
// before any service sees it. The caller closes the uploads.
func (f *form) open(maxBytes int64, maxFiles int) ([]upload, func(), error) {
	if len(f.files) == 0 {
		return nil, func() {}, invalidField("file", "at least one file is required")
	}
	if maxFiles > 0 && len(f.files) > maxFiles {
		return nil, func() {}, invalidField("file", fmt.Sprintf("at most %d files per request", maxFiles))
	}
	var closers []func() error
	closeAll := func() {
		for _, c := range closers {
			_ = c()
		}
	}
	out := make([]upload, len(f.files))
	for i, fh := range f.files {
		out[i].name = fh.Filename
		if fh.Size > maxBytes {
			out[i].refused = &assets.FileError{FileName: fh.Filename, Err: apierror.ErrFileTooLarge,
				Detail: fmt.Sprintf("%d bytes, more than the limit of %d", fh.Size, maxBytes)}
			continue
		}
		file, err := fh.Open()
		if err != nil {
			closeAll()
			return nil, func() {}, fmt.Errorf("notarai: opening upload %s: %w", fh.Filename, err)
		}
		closers = append(closers, file.Close)
		out[i].up = assets.Upload{FileName: fh.Filename, Content: file, Size: fh.Size}
	}
	return out, closeAll, nil
}

// accepted returns the uploads not refused, for a service call, or the
// refusal of the first file when every file was refused.
func accepted(ups []upload) ([]assets.Upload, error) {
	var out []assets.Upload
	for _, u := range ups {
		if u.refused == nil {
			out = append(out, u.up)
		}
	}
	if len(out) == 0 {
		return nil, ups[0].refused
	}
	return out, nil
}

// openAll opens every file of f for a job, or fails with the refusal of
// the first file over maxBytes: a job takes all its files or none.
func (f *form) openAll(maxBytes int64) ([]assets.Upload, func(), error) {
	ups, closeUps, err := f.open(maxBytes, 0)
	if err != nil {
		return nil, closeUps, err
	}
	for _, u := range ups {
		if u.refused != nil {
			return nil, closeUps, u.refused
		}
	}
	files, _ := accepted(ups)
	return files, closeUps, nil
}
