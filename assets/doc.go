// Package assets is the service behind uploads: it streams each file once
// into blob storage while hashing it (SHA-256 and IPFS CIDv1), sniffs its
// media type from its bytes, scans it for provenance and AI markings with
// the Go C2PA engine, and records the Asset, its Scan and an event. GraphQL
// resolvers and the REST layer both call it; it knows nothing of either.
//
// A file is refused, and nothing of it kept, when it is larger than the
// limit (FILE_TOO_LARGE), when its bytes are of no accepted media type
// (UNSUPPORTED_MEDIA_TYPE), or when its container is malformed before any
// metadata could be read (INVALID_FILE). A file damaged further on, e.g. a
// JPEG cut inside its image data, is stored and scanned; what the scanner
// could not read is in the scan's warnings.
package assets
