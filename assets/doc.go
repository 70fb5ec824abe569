// Package assets is the service behind uploads: it streams each file once
// into blob storage while hashing it (SHA-256 and IPFS CIDv1), sniffs its
// media type from its bytes, scans it for provenance and AI markings with
// the Go C2PA engine, and records the Asset, its Scan and an event. GraphQL
// resolvers and the REST layer both call it; it knows nothing of either.
package assets
