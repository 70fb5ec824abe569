package signing

import (
	"fmt"

	"provgraph/apierror"
)

// ErrTooManyAssets means a request named no asset or more than MaxAssets.
var ErrTooManyAssets = fmt.Errorf("%w: assetIds: give 1 to %d assets", apierror.ErrInvalidInput, MaxAssets)

// ErrNotSignable means the asset is not ready to sign: it has not been
// scanned yet (or failed, or expired).
var ErrNotSignable = fmt.Errorf("%w: the asset must be scanned before it is signed", apierror.ErrNotPending)

// ErrNotSigned means the asset has no signed output to download.
var ErrNotSigned = fmt.Errorf("%w: the asset has not been signed", apierror.ErrNotPending)
