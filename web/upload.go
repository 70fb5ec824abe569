package web

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"io"
	"mime/multipart"
	"net/http"
	"net/netip"
	"os"
	"strconv"

	"provgraph/apierror"
	"provgraph/c2pa"
	"provgraph/cid"
	"provgraph/ent/schema/tenant"
	"provgraph/quota"
)

// uploadView is the data of the upload form.
type uploadView struct {
	MaxBytes int64
	// KeptFor is how long a result is kept.
	KeptFor string
	// Error is why the last upload was refused, if it was.
	Error string
}

// uploadForm serves GET /verify.
func (s *Site) uploadForm(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "public, max-age=300")
	s.showForm(w, r, http.StatusOK, "")
}

// showForm renders the upload form, with why an upload was refused.
func (s *Site) showForm(w http.ResponseWriter, r *http.Request, status int, problem string) {
	title := "Check a file"
	if problem != "" {
		title = "Error: " + title
	}
	s.render(w, r, status, "upload", page{Title: title, Script: "upload.js", Data: uploadView{MaxBytes: s.o.MaxFileBytes, KeptFor: keptFor(s.d.Verifications.TTL()), Error: problem}})
}

// upload serves POST /verify: it checks the multipart field "file" and
// renders the record of the new verification. A caller with an API key
// (and the verify.read scope) verifies into its own account; anyone else
// into the public account, within the per-address caps. The file itself
// is not kept — only its name and hash, for the verification TTL.
func (s *Site) upload(w http.ResponseWriter, r *http.Request) {
	ctx, ok := s.caller(w, r)
	if !ok {
		return
	}
	mr, err := r.MultipartReader()
	if err != nil {
		s.showForm(w, r, http.StatusBadRequest, "Choose a file to check, then press “Check file”.")
		return
	}
	part, err := filePart(mr)
	if err != nil {
		s.showForm(w, r, http.StatusBadRequest, "Choose a file to check, then press “Check file”.")
		return
	}
	defer part.Close()
	up, err := spoolUpload(part, s.o.MaxFileBytes)
	var tooLarge *http.MaxBytesError
	switch {
	case errors.Is(err, errTooLarge), errors.As(err, &tooLarge):
		s.showForm(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("This file is larger than %s, the most this page checks.", humanBytes(s.o.MaxFileBytes)))
		return
	case errors.Is(err, errEmpty):
		s.showForm(w, r, http.StatusBadRequest, "The file you chose is empty.")
		return
	case err != nil:
		s.internalError(w, r, "receiving an upload", err)
		return
	}
	defer up.close()

	name, mediaType := part.FileName(), part.Header.Get("Content-Type")
	v, err := s.d.Verifications.VerifyFile(ctx, name, mediaType, up.file)
	var exceeded *quota.ExceededError
	switch {
	case errors.Is(err, apierror.ErrUnsupportedMediaType):
		s.showForm(w, r, http.StatusUnsupportedMediaType, "This type of file cannot carry Content Credentials, so there is nothing to check in it.")
		return
	case errors.As(err, &exceeded):
		s.tooMany(w, r, exceeded)
		return
	case err != nil:
		s.internalError(w, r, "verifying an upload", err)
		return
	}
	f := facts{Upload: &fileView{Size: up.size, CID: up.cid}, JustNow: true}
	if data, _, err := c2pa.ClaimThumbnail(up.file, up.size, v.MediaType); err == nil {
		if data, mt, ok := displayThumbnail(data); ok {
			f.Thumbnail = template.URL("data:" + mt + ";base64," + base64.StdEncoding.EncodeToString(data))
		}
	}
	s.showRecord(w, r, http.StatusOK, v, f)
}

// caller returns the context an upload is verified in: the API key's
// caller, or the public account's for a visitor without one, once the
// visitor's address is within its caps. Otherwise it answers itself.
func (s *Site) caller(w http.ResponseWriter, r *http.Request) (context.Context, bool) {
	ctx := r.Context()
	if v, ok := tenant.FromContext(ctx); ok {
		if !v.Has(tenant.ScopeVerifyRead) {
			s.fail(w, r, http.StatusForbidden, message{Heading: "Not allowed", Text: "This API key may not verify files (it lacks the verify.read scope)."})
			return nil, false
		}
		return ctx, true
	}
	if r.Header.Get("Authorization") != "" {
		s.fail(w, r, http.StatusUnauthorized, message{Heading: "Invalid API key", Text: "The API key sent with this request is not valid. Send no key to check the file anonymously."})
		return nil, false
	}
	if s.d.Quota != nil {
		if addr, err := netip.ParseAddrPort(r.RemoteAddr); err == nil {
			ip := quota.ClientIP(addr.Addr())
			_, err := s.d.Quota.Consume(ctx, 1,
				ip.Limit(quota.Verify, quota.Minute, s.o.AnonymousPerMinute),
				ip.Limit(quota.Verify, quota.Day, s.o.AnonymousPerDay))
			var exceeded *quota.ExceededError
			if errors.As(err, &exceeded) {
				s.tooMany(w, r, exceeded)
				return nil, false
			}
			if err != nil {
				s.internalError(w, r, "counting an anonymous check", err)
				return nil, false
			}
		}
	}
	v, err := s.d.Accounts.Public(ctx)
	if err != nil {
		s.internalError(w, r, "finding the public account", err)
		return nil, false
	}
	return tenant.NewContext(ctx, v), true
}

// tooMany renders the page of a refused check.
func (s *Site) tooMany(w http.ResponseWriter, r *http.Request, e *quota.ExceededError) {
	secs := e.RetryAfterSeconds()
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	s.fail(w, r, http.StatusTooManyRequests, message{
		Heading: "Too many checks",
		Text:    "Too many files have been checked from your address. Please wait before checking another.",
		Retry:   retryText(secs),
	})
}

// retryText says how long to wait.
func retryText(secs int) string {
	switch {
	case secs < 90:
		return fmt.Sprintf("Try again in %d seconds.", secs)
	case secs < 2*3600:
		return fmt.Sprintf("Try again in %d minutes.", (secs+59)/60)
	}
	return fmt.Sprintf("Try again in %d hours.", (secs+3599)/3600)
}

// errNoFile means the form had no "file" part; errEmpty that it was empty;
// errTooLarge that it exceeded the page's limit.
var (
	errNoFile   = errors.New("web: no file in the form")
	errEmpty    = errors.New("web: the file is empty")
	errTooLarge = errors.New("web: the file is too large")
)

// filePart returns the form's "file" part, skipping any other.
func filePart(mr *multipart.Reader) (*multipart.Part, error) {
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil, errNoFile
		}
		if err != nil {
			return nil, err
		}
		if p.FormName() == "file" && p.FileName() != "" {
			return p, nil
		}
		_ = p.Close()
	}
}

// spooled is an upload written to a temporary file, with its size and
// CIDv1.
type spooled struct {
	file *os.File
	size int64
	cid  string
}

func (u *spooled) close() {
	_ = u.file.Close()
	_ = os.Remove(u.file.Name())
}

// spoolUpload copies r to a temporary file, computing its CID, and
// refuses more than limit bytes.
func spoolUpload(r io.Reader, limit int64) (*spooled, error) {
	cb, err := cid.NewBuilder(cid.Options{Version: 1})
	if err != nil {
		return nil, err
	}
	f, err := os.CreateTemp("", "provgraph-web-*")
	if err != nil {
		return nil, fmt.Errorf("web: spooling upload: %w", err)
	}
	u := &spooled{file: f}
	n, err := io.Copy(io.MultiWriter(f, cb), io.LimitReader(r, limit+1))
	switch {
	case err != nil:
		u.close()
		return nil, err
	case n > limit:
		u.close()
		return nil, errTooLarge
	case n == 0:
		u.close()
		return nil, errEmpty
	}
	u.size, u.cid = n, cb.CID().String()
	return u, nil
}
