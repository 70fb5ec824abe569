package verifications

import (
	"fmt"

	"provgraph/apierror"
)

// ErrUnsupported means the file is of a media type the C2PA engine cannot
// read; UNSUPPORTED_MEDIA_TYPE.
var ErrUnsupported = fmt.Errorf("%w: C2PA cannot be read from this media type", apierror.ErrUnsupportedMediaType)

// ErrNotFound means the verification does not exist, belongs to another
// account or has expired.
var ErrNotFound = fmt.Errorf("verification %w", apierror.ErrNotFound)
