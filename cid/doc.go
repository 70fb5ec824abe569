// Package cid computes IPFS content identifiers of files exactly as Kubo's
// `ipfs add` does (fixed-size chunks, balanced UnixFS DAG, sha2-256), in one
// streaming pass with constant memory. It is a pure engine package: it
// hashes bytes and encodes blocks, but stores nothing and talks to no node.
package cid
