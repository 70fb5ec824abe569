package numbers

import (
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"time"

	"provgraph/assets"
	"provgraph/ent"
)

// assetField is the multipart field of the file POST /assets/ registers.
const assetField = "asset_file"

// assetResponse is the body of POST /assets/: the registered asset, whose
// id is its NID (the CIDv1 of its bytes).
type assetResponse struct {
	ID                string    `json:"id"`
	NID               string    `json:"nid"`
	ProofHash         string    `json:"proof_hash"`
	AssetFileName     string    `json:"asset_file_name"`
	AssetFileMimeType string    `json:"asset_file_mime_type"`
	AssetFileSize     int64     `json:"asset_file_size"`
	UploadedAt        time.Time `json:"uploaded_at"`
}

// errNoFile is the error of a registration without asset_file.
var errNoFile = invalid(assetField, "No file was submitted.")

// register serves POST /assets/: the multipart asset_file is stored and
// scanned as an asset of the caller's account (counted against its
// monthly plan quota by the assets service). The Numbers fields that
// describe the file (caption, headline, meta, signature, …) are accepted
// and not kept.
func (a *api) register(w http.ResponseWriter, r *http.Request) error {
	switch mediaType(r) {
	case "multipart/form-data":
	case "application/json", "application/x-www-form-urlencoded":
		return errNoFile
	default:
		return errUnsupportedMedia
	}
	mr, err := parts(r)
	if err != nil {
		return err
	}
	file, err := assetPart(mr)
	if err != nil {
		return err
	}
	defer file.Close()
	name := file.FileName()
	if name == "" {
		name = assetField
	}
	res, err := a.d.Assets.Scan(r.Context(), assets.ScanRequest{
		Files: []assets.Upload{{FileName: name, Content: file, Size: -1}},
	})
	if err != nil {
		return err
	}
	f := res.Files[0]
	if f.Err != nil {
		return fileError(f.Err)
	}
	writeJSON(w, http.StatusCreated, assetOf(f.Asset))
	return nil
}

// assetPart skips to the asset_file part of mr.
func assetPart(mr *multipart.Reader) (*multipart.Part, error) {
	for {
		p, err := mr.NextPart()
		switch {
		case errors.Is(err, io.EOF):
			return nil, errNoFile
		case err != nil:
			return nil, bodyError("Multipart form parse error", err)
		case p.FormName() != assetField:
			_ = p.Close()
			continue
		case p.FileName() == "":
			_ = p.Close()
			return nil, invalid(assetField, "The submitted data was not a file. Check the encoding type on the form.")
		}
		return p, nil
	}
}

// fileError is the asset_file error of a refused file; other errors stay
// as they are.
func fileError(err error) error {
	var fe *assets.FileError
	if !errors.As(err, &fe) {
		return err
	}
	return &fieldError{field: assetField, message: fmt.Sprintf("%v: %s", fe.Err, fe.Detail)}
}

// assetOf is the Numbers shape of an asset.
func assetOf(as *ent.Asset) assetResponse {
	return assetResponse{
		ID:                as.Cid,
		NID:               as.Cid,
		ProofHash:         as.Sha256,
		AssetFileName:     as.FileName,
		AssetFileMimeType: as.MediaType,
		AssetFileSize:     as.Size,
		UploadedAt:        as.CreatedAt.UTC(),
	}
}
