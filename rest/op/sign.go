package op

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"provgraph/apierror"
	"provgraph/assets"
	"provgraph/download"
	"provgraph/ent"
	"provgraph/storage"
)

// signResponse is the data of POST /sign.
type signResponse struct {
	SignedFileURL string       `json:"signedFileUrl"`
	Original      originalFile `json:"original"`
	Signed        signedFile   `json:"signed"`
	Manifest      signManifest `json:"manifest"`
	Meta          signMeta     `json:"meta"`
}

type originalFile struct {
	Size     int64  `json:"size"`
	HasC2pa  bool   `json:"hasC2pa"`
	MimeType string `json:"mimeType"`
}

type signedFile struct {
	Size      int64     `json:"size"`
	HasC2pa   bool      `json:"hasC2pa"`
	Signer    string    `json:"signer"`
	Timestamp time.Time `json:"timestamp"`
}

type signManifest struct {
	ClaimGenerator string   `json:"claimGenerator"`
	Actions        []string `json:"actions"`
}

type signMeta struct {
	SignedAt          time.Time `json:"signedAt"`
	DownloadExpiresAt time.Time `json:"downloadExpiresAt"`
	APIVersion        string    `json:"apiVersion"`
}

// sign answers POST /sign: the file is stored and scanned as an asset of
// the caller's account, then signed without a declaration (OP's sign
// carries no AI disclosure).
func (h *handler) sign(c *call) error {
	ups, release, err := c.files("file", false)
	if err != nil {
		return err
	}
	defer release()
	if err := c.takeSigns(1); err != nil {
		return err
	}
	a, err := h.signUpload(c, ups[0])
	if err != nil {
		return err
	}
	return c.ok(http.StatusOK, a)
}

// signUpload scans and signs one upload and describes the outcome.
func (h *handler) signUpload(c *call, up assets.Upload) (signResponse, error) {
	res, err := h.d.Assets.Scan(c.ctx, assets.ScanRequest{Files: []assets.Upload{up}})
	if err != nil {
		return signResponse{}, err
	}
	f := res.Files[0]
	if f.Err != nil {
		return signResponse{}, &fileError{f.Err}
	}
	r, err := h.d.Signing.SignAssetUndeclared(c.ctx, f.Asset.ID, nil)
	if err != nil {
		return signResponse{}, &fileError{err}
	}
	a, err := h.d.Client.Asset.Get(c.ctx, f.Asset.ID)
	if err != nil {
		return signResponse{}, fmt.Errorf("op: reading signed asset %d: %w", f.Asset.ID, err)
	}
	link, expires, err := h.downloadLink(a)
	if err != nil {
		return signResponse{}, err
	}
	out := signResponse{
		SignedFileURL: link,
		Original:      originalFile{Size: a.Size, HasC2pa: f.Scan.HasC2pa, MimeType: a.MediaType},
		Meta:          signMeta{DownloadExpiresAt: expires, APIVersion: APIVersion},
	}
	if a.SignedSize != nil {
		out.Signed.Size = *a.SignedSize
	}
	if a.SignedAt != nil {
		out.Meta.SignedAt = a.SignedAt.UTC()
	}
	out.Signed.Timestamp = out.Meta.SignedAt
	out.Manifest.Actions = []string{}
	if r.Verification != nil {
		if facts, ok := factsOf(r.Verification.Report); ok {
			out.Signed.HasC2pa = true
			out.Signed.Signer = facts.signer
			if facts.time != nil {
				out.Signed.Timestamp = facts.time.UTC()
			}
			out.Manifest = signManifest{ClaimGenerator: facts.claimGenerator, Actions: facts.actions}
		}
	}
	if out.Manifest.ClaimGenerator == "" {
		out.Manifest.ClaimGenerator = h.d.Signing.ClaimGenerator()
	}
	return out, nil
}

// downloadLink mints the API's download URL of a signed asset, valid for
// DownloadTTL.
func (h *handler) downloadLink(a *ent.Asset) (string, time.Time, error) {
	if a.SignedBlobKey == nil {
		return "", time.Time{}, fmt.Errorf("%w: asset %d is not signed", apierror.ErrNotPending, a.ID)
	}
	expires := time.Now().Add(h.o.DownloadTTL).Truncate(time.Second).UTC()
	tok := h.d.Downloads.Token(download.Grant{
		Key:         *a.SignedBlobKey,
		FileName:    signedName(a.FileName),
		ContentType: a.MediaType,
		Expires:     expires,
	})
	return h.base + "/download/" + tok, expires, nil
}

// signedName is the download name of a signed file: photo.jpg →
// photo-signed.jpg.
func signedName(name string) string {
	name = path.Base(strings.ReplaceAll(name, "\\", "/"))
	ext := path.Ext(name)
	base := strings.TrimSuffix(name, ext)
	if base == "" || base == "." || base == "/" {
		base = "file"
	}
	return base + "-signed" + ext
}

// download answers GET /download/{id}: the id is a download token; a
// forged or expired one, or a file purged since, is not_found.
func (h *handler) download(c *call) error {
	g, err := h.d.Downloads.Check(c.r.PathValue("id"))
	if err != nil {
		return fmt.Errorf("%w: this download does not exist or has expired", apierror.ErrNotFound)
	}
	size, err := h.d.Storage.Size(c.ctx, g.Key)
	if errors.Is(err, storage.ErrNotFound) {
		return fmt.Errorf("%w: this file is no longer kept", apierror.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("op: sizing download: %w", err)
	}
	body, err := h.d.Storage.Get(c.ctx, g.Key)
	if err != nil {
		return fmt.Errorf("op: opening download: %w", err)
	}
	defer body.Close()
	hd := c.w.Header()
	hd.Set("Content-Type", g.ContentType)
	hd.Set("Content-Length", strconv.FormatInt(size, 10))
	hd.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": g.FileName}))
	hd.Set("Cache-Control", "private, no-store")
	hd.Set("X-Content-Type-Options", "nosniff")
	if _, err := io.Copy(c.w, body); err != nil {
		h.log.WarnContext(c.ctx, "op: streaming download", slog.String("error", err.Error()))
	}
	return nil
}
