// Package badge renders the trust badge of a verification: an accessible
// SVG (light or dark, three sizes), an HTML embed snippet linking to the
// public verification page, and a JSON form for clients that draw their own.
// It formats what verify.Assess decided; it decides nothing itself.
package badge
