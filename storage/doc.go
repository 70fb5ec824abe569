// Package storage keeps the platform's blobs — uploaded originals, signed
// outputs, manifest stores, certificates — behind one interface, chosen by
// URL: a local folder (file://, the embedded default), S3-compatible object
// storage (s3://) or memory (mem://, for tests). It knows nothing of what the
// blobs mean; retention and naming belong to the services that call it.
package storage
