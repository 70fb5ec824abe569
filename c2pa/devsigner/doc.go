// Package devsigner provides claim signers: LoadSigner reads a PEM
// certificate chain and private key of any C2PA algorithm, New wraps any
// crypto.Signer (so KMS or HSM keys fit), and Dev creates once, then reuses,
// a local development PKI under <data>/signer/ whose root users add as a
// trust anchor.
//
// Development credentials are for testing only; nothing here talks to a
// network or decides trust.
package devsigner
