// Package devsigner provides claim signers for package cose.
//
//   - LoadSigner(certPEMPath, keyPEMPath) reads a PEM chain (leaf first) and a
//     PEM key of any C2PA algorithm (PKCS#8 incl. RSASSA-PSS, PKCS#1, SEC 1);
//     the algorithm follows the key: ES256/384/512 by curve, Ed25519, PS256
//     for RSA keys (PS384/PS512 for RSASSA-PSS keys whose parameters name
//     that hash).
//   - New wraps any crypto.Signer with its chain, so KMS or HSM keys fit.
//   - Dev(dataDir) creates once, then reuses, a development PKI under
//     <data>/signer/: root.pem (self-signed ECDSA P-256 root; users add it as
//     a trust anchor), chain.pem (the leaf only: x5chain omits the root) and
//     key.pem (mode 0600). The leaf passes trust.CheckProfile: digitalSignature,
//     EKUs emailProtection and c2pa-kp-claimSigning, not a CA, two years.
//
// Development credentials are for testing only; nothing here decides trust
// or talks to a network.
package devsigner
