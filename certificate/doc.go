// Package certificate renders the Article 50 audit certificate of a signed
// asset as a PDF: who declared what about which file, the hashes and CID
// that identify it, the signer and signing time, the validation result, and
// the public verification URL with its QR code. It renders; it does not
// look anything up.
package certificate
