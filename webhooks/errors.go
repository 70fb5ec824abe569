package webhooks

import (
	"errors"
	"fmt"

	"provgraph/apierror"
)

// ErrNotFound means the webhook does not exist or belongs to another
// account.
var ErrNotFound = fmt.Errorf("webhook %w", apierror.ErrNotFound)

// ErrRejected means the receiver answered an attempt with a status outside
// 2xx (redirects included: they are not followed).
var ErrRejected = errors.New("webhooks: receiver did not accept the message")

// ErrInvalidSecret means a secret is not whsec_ followed by base64.
var ErrInvalidSecret = errors.New("webhooks: malformed secret")

// ErrMissingHeaders means a request lacks webhook-id, webhook-timestamp or
// webhook-signature.
var ErrMissingHeaders = errors.New("webhooks: missing webhook headers")

// ErrTimestamp means webhook-timestamp is not Unix seconds or lies outside
// the tolerance around now, as a replayed message would.
var ErrTimestamp = errors.New("webhooks: timestamp unreadable or outside the tolerance")

// ErrSignature means no signature of webhook-signature matches the message.
var ErrSignature = errors.New("webhooks: no matching signature")
