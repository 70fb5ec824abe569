package op

import (
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"

	"provgraph/apierror"
	"provgraph/assets"
)

// maxFormMemory is how much of a multipart body is kept in memory; the
// rest of the files spools to temporary files.
const maxFormMemory = 8 << 20

// files reads the multipart form's files under field: exactly one, or at
// least one when many is set. The returned close releases them.
func (c *call) files(field string, many bool) ([]assets.Upload, func(), error) {
	if err := c.r.ParseMultipartForm(maxFormMemory); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, nil, fmt.Errorf("%w: the request body exceeds %d bytes", apierror.ErrFileTooLarge, tooLarge.Limit)
		}
		return nil, nil, &fileError{fmt.Errorf("%w: want a multipart/form-data body with a %q field: %v", apierror.ErrInvalidFile, field, err)}
	}
	form := c.r.MultipartForm
	var opened []multipart.File
	release := func() {
		for _, f := range opened {
			_ = f.Close()
		}
		_ = form.RemoveAll()
	}
	heads := form.File[field]
	switch {
	case len(heads) == 0:
		release()
		return nil, nil, &fileError{fmt.Errorf("%w: no file in the %q field", apierror.ErrInvalidFile, field)}
	case len(heads) > 1 && !many:
		release()
		return nil, nil, &fileError{fmt.Errorf("%w: one file in the %q field, not %d", apierror.ErrInvalidFile, field, len(heads))}
	}
	ups := make([]assets.Upload, 0, len(heads))
	for _, fh := range heads {
		f, err := fh.Open()
		if err != nil {
			release()
			return nil, nil, fmt.Errorf("op: opening upload %s: %w", fh.Filename, err)
		}
		opened = append(opened, f)
		ups = append(ups, assets.Upload{FileName: fh.Filename, Content: f, Size: fh.Size})
	}
	return ups, release, nil
}
