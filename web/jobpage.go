package web

import "net/http"

// jobView is the data of the job page; the job itself is read by the
// page's script with the visitor's API key, which never reaches the
// server in a URL.
type jobView struct {
	ID string
}

// job serves GET /jobs/{id}: the live view of a job.
func (s *Site) job(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "job", page{Title: "Job " + r.PathValue("id"), Script: "job.js", Data: jobView{ID: r.PathValue("id")}})
}
