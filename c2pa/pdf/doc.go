// Package pdf is the read-only asset.Handler for PDF: the manifest store is
// the embedded file stream of the file specification that the catalog's
// /AF array marks /AFRelationship /C2PA_Manifest (C2PA-NOTES §5). The
// catalog is found from the last startxref, following /Prev through every
// incremental update, over classic xref tables and xref streams, with
// objects in object streams. The stream is returned as stored, as c2pa-rs
// reads it.
//
// The package never writes PDFs: Plan reports ErrUnsupported.
package pdf
