// Package trust decides whether a C2PA signing credential is acceptable: the
// certificate profile of C2PA 2.2 §14.5.1 as c2pa-rs checks it, chain
// building to trust anchors, and the validation status entries
// (signingCredential.*, timeStamp.*, claimSignature.*) c2pa-rs emits for a
// claim signature.
//
// A Store pools anchor sources — the embedded official C2PA Trust List and
// TSA Trust List, the operator's PEM bundle, and, opt-in, the legacy CAI
// interim list — the way c2pa-rs pools signer and TSA anchors. Byte-level
// COSE and RFC 3161 work is package cose's; this package never touches the
// network.
package trust
