// Package download issues and checks the short-lived signed URLs through
// which signed outputs and certificates are fetched: an HMAC-SHA256 token
// over what is downloaded and until when. It stores nothing: a token is
// valid because of its signature, so any instance sharing the secret can
// serve it, and asking again simply mints a fresh one.
package download
