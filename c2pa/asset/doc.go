// Package asset is the container layer of the C2PA engine: the Handler
// interface each asset format implements (find, remove and embed the JUMBF
// manifest store, list boxes for c2pa.hash.boxes), a registry that picks a
// handler by media type, extension or sniffing, and the exclusion-aware
// hashing and copying that data-hash bindings need.
//
// Signing: Handler.Plan(r, size, n) lays out the output for a store of
// exactly n bytes; its Exclusions go into c2pa.hash.data, HashExcluding
// computes the hash without writing anything, and once the store is built
// to exactly n bytes WriteTo writes the asset. Validating: HashRanges hashes
// the asset minus the exclusions the assertion lists, and Locate tells where
// the embedded store is now (a rewrite may move it, as c2pa-rs does).
//
// Format packages (jpeg, png, riff, sidecar) register themselves from init;
// import provgraph/c2pa/asset/all to get every one. Reads go through
// io.ReaderAt, are bounded by the container structure and stream media data
// through a fixed buffer: nothing here loads a whole asset into memory.
// The package knows nothing of claims or signatures.
package asset
