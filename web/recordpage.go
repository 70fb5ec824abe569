package web

import (
	"encoding/json"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"provgraph/ent"
	"provgraph/verifications"
)

// record serves GET /verify/{id}: the public record of a verification. The
// unguessable id is the only credential; an unknown or expired one is a
// 404 page that says so.
func (s *Site) record(w http.ResponseWriter, r *http.Request) {
	v, ok := s.lookup(w, r)
	if !ok {
		return
	}
	f := facts{}
	stored, found, err := s.d.Verifications.StoredFileOf(r.Context(), v)
	if err != nil {
		s.internalError(w, r, "reading a verification's file", err)
		return
	}
	if found {
		f.Stored = &stored
	}
	if v.ExpiresAt == nil {
		w.Header().Set("Cache-Control", "public, max-age=300")
	}
	s.showRecord(w, r, http.StatusOK, v, f)
}

// showRecord renders the record page of v.
func (s *Site) showRecord(w http.ResponseWriter, r *http.Request, status int, v *ent.Verification, f facts) {
	rep, err := decodeReport(v.Report)
	if err != nil {
		s.d.Logger.WarnContext(r.Context(), "web: decoding a stored report", slog.String("verification", v.PublicID), slog.String("error", err.Error()))
	}
	if f.Stored != nil && f.Thumbnail == "" && rep.hasClaimThumbnail() {
		// The stored report says whether there is one: the page does not
		// read the file for it, only the thumbnail route does.
		f.Thumbnail = template.URL("/verify/" + v.PublicID + "/thumbnail")
	}
	f.PageURL = s.d.Verifications.URL(v)
	f.BadgeURL = "/badge/" + v.PublicID + ".svg"
	if v.ExpiresAt != nil {
		f.KeptFor = keptFor(time.Until(*v.ExpiresAt))
	}
	rec := buildRecord(v, rep, f)
	s.render(w, r, status, "record", page{Title: rec.Label + ": " + v.FileName, Data: rec})
}

// keptFor says how long is left, roughly: "59 minutes", "2 hours".
func keptFor(d time.Duration) string {
	switch m := int(d.Round(time.Minute).Minutes()); {
	case m <= 1:
		return "a minute"
	case m == 60:
		return "an hour"
	case m < 120:
		return strconv.Itoa(m) + " minutes"
	default:
		return strconv.Itoa(m/60) + " hours"
	}
}

// report serves GET /verify/{id}/report.json: the stored report, as the
// API returns it.
func (s *Site) report(w http.ResponseWriter, r *http.Request) {
	v, ok := s.lookup(w, r)
	if !ok {
		return
	}
	h := w.Header()
	setSecurityHeaders(h)
	h.Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v.Report)
}

// thumbnail serves GET /verify/{id}/thumbnail: the claim thumbnail of the
// stored file, while it is kept.
func (s *Site) thumbnail(w http.ResponseWriter, r *http.Request) {
	v, ok := s.lookup(w, r)
	if !ok {
		return
	}
	data, mediaType, err := s.d.Verifications.Thumbnail(r.Context(), v)
	if errors.Is(err, verifications.ErrNoThumbnail) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		s.d.Logger.ErrorContext(r.Context(), "web: reading a thumbnail", slog.String("error", err.Error()))
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	data, mediaType, ok = displayThumbnail(data)
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	setSecurityHeaders(h)
	h.Set("Content-Type", mediaType)
	h.Set("Cache-Control", "public, max-age=300")
	_, _ = w.Write(data)
}

// lookup reads the verification of the request's {id}, or answers 404
// (or 500) itself.
func (s *Site) lookup(w http.ResponseWriter, r *http.Request) (*ent.Verification, bool) {
	v, err := s.d.Verifications.GetPublic(r.Context(), r.PathValue("id"))
	if errors.Is(err, verifications.ErrNotFound) {
		s.fail(w, r, http.StatusNotFound, message{
			Heading: "No such verification",
			Text: "There is no verification with this address. Either the link is incomplete, or it was the check of an " +
				"uploaded file, which is kept only for a while and has expired. You can check the file again.",
		})
		return nil, false
	}
	if err != nil {
		s.internalError(w, r, "loading a verification", err)
		return nil, false
	}
	return v, true
}
