package numbers

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"provgraph/apierror"
	"provgraph/cid"
	"provgraph/outbound"
)

// defaultCIDVersion is the CID version of POST /nid without "version".
const defaultCIDVersion = 1

// nidResponse is the body of POST /nid.
type nidResponse struct {
	CID        string `json:"cid"`
	FileSize   int64  `json:"fileSize"`
	CIDVersion int    `json:"cid_version"`
}

// nidRequest is the JSON body of POST /nid.
type nidRequest struct {
	FileURL *string `json:"fileURL"`
	Version *int    `json:"version"`
}

// Errors of POST /nid without exactly one source.
var (
	errNoSource   = &refusal{detail: "Either fileURL or file is required.", err: apierror.ErrInvalidInput}
	errTwoSources = &refusal{detail: "Give either fileURL or file, not both.", err: apierror.ErrInvalidInput}
)

// errTooLarge is what digest returns for a file over its limit.
var errTooLarge = errors.New("numbers: file over the size limit")

// nid serves POST /nid: the CID of a file, uploaded as the multipart
// field "file" or named by the "fileURL" of a JSON body (a form field
// works too), in CID "version" 0 or 1 (default 1), as `ipfs add` would
// compute it.
func (a *api) nid(w http.ResponseWriter, r *http.Request) error {
	var (
		res nidResponse
		err error
	)
	switch mediaType(r) {
	case "multipart/form-data":
		res, err = a.nidOfForm(r)
	case "application/json":
		res, err = a.nidOfJSON(r)
	default:
		return errNoSource
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

// nidOfJSON reads {"fileURL": …, "version": …} and fetches the file.
func (a *api) nidOfJSON(r *http.Request) (nidResponse, error) {
	body, err := readJSONBody(r)
	if err != nil {
		return nidResponse{}, err
	}
	var in nidRequest
	if err := decodeJSON(body, &in); err != nil {
		return nidResponse{}, err
	}
	version := defaultCIDVersion
	if in.Version != nil {
		if version, err = checkVersion(*in.Version); err != nil {
			return nidResponse{}, err
		}
	}
	if in.FileURL == nil || strings.TrimSpace(*in.FileURL) == "" {
		return nidResponse{}, errNoSource
	}
	return a.nidOfURL(r.Context(), *in.FileURL, version)
}

// nidOfForm reads the multipart fields file, fileURL and version, in any
// order: the file is streamed once, through the builders of both CID
// versions when its version is not known yet.
func (a *api) nidOfForm(r *http.Request) (nidResponse, error) {
	mr, err := parts(r)
	if err != nil {
		return nidResponse{}, err
	}
	var (
		version *int
		fileURL string
		cids    map[int]string
		size    int64
	)
	limit := a.d.Assets.MaxFileBytes()
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nidResponse{}, bodyError("Multipart form parse error", err)
		}
		switch p.FormName() {
		case "file":
			if cids != nil {
				return nidResponse{}, invalid("file", "Give one file.")
			}
			versions := []int{0, 1}
			if version != nil {
				versions = []int{*version}
			}
			cids, size, err = digest(p, limit, versions...)
			switch {
			case errors.Is(err, errTooLarge):
				return nidResponse{}, invalid("file", "The file is larger than the limit of %d bytes.", limit)
			case err != nil:
				return nidResponse{}, bodyError("Multipart form parse error", err)
			}
		case "fileURL":
			if fileURL, err = readField(p); err != nil {
				return nidResponse{}, err
			}
		case "version":
			text, err := readField(p)
			if err != nil {
				return nidResponse{}, err
			}
			n, err := strconv.Atoi(strings.TrimSpace(text))
			if err != nil {
				return nidResponse{}, invalid("version", "A valid integer is required.")
			}
			v, err := checkVersion(n)
			if err != nil {
				return nidResponse{}, err
			}
			version = &v
		}
		_ = p.Close()
	}
	v := defaultCIDVersion
	if version != nil {
		v = *version
	}
	switch {
	case cids != nil && strings.TrimSpace(fileURL) != "":
		return nidResponse{}, errTwoSources
	case cids != nil:
		return nidResponse{CID: cids[v], FileSize: size, CIDVersion: v}, nil
	case strings.TrimSpace(fileURL) != "":
		return a.nidOfURL(r.Context(), fileURL, v)
	default:
		return nidResponse{}, errNoSource
	}
}

// checkVersion accepts CID version 0 or 1.
func checkVersion(v int) (int, error) {
	if v != 0 && v != 1 {
		return 0, invalid("version", "CID version must be 0 or 1.")
	}
	return v, nil
}

// nidOfURL fetches rawURL under the API's outbound policy and computes its
// CID.
func (a *api) nidOfURL(ctx context.Context, rawURL string, version int) (nidResponse, error) {
	rawURL = strings.TrimSpace(rawURL)
	if u, err := url.Parse(rawURL); err != nil || !u.IsAbs() || u.Host == "" {
		return nidResponse{}, invalid("fileURL", "Enter a valid URL.")
	}
	body, _, err := a.fetch.Fetch(ctx, rawURL)
	if err != nil {
		return nidResponse{}, a.fetchError(ctx, err)
	}
	defer body.Close()
	cids, size, err := digest(body, a.fetch.MaxBytes, version)
	if err != nil {
		return nidResponse{}, a.fetchError(ctx, err)
	}
	return nidResponse{CID: cids[version], FileSize: size, CIDVersion: version}, nil
}

// fetchError is the fileURL error of a failed fetch; its cause is the
// caller's URL, so it is a 400 whatever happened.
func (a *api) fetchError(ctx context.Context, err error) error {
	var ne net.Error
	switch {
	case errors.Is(err, errTooLarge), errors.Is(err, outbound.ErrTooLarge):
		return invalid("fileURL", "The file is larger than the limit of %d bytes.", a.fetch.MaxBytes)
	case errors.Is(err, outbound.ErrForbiddenAddress):
		return invalid("fileURL", "The URL's host is not an address files may be fetched from.")
	case errors.Is(err, outbound.ErrScheme):
		return invalid("fileURL", "Only http and https URLs can be fetched.")
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return invalid("fileURL", "Fetching the file timed out.")
	default:
		a.log.InfoContext(ctx, "numbers: fetching fileURL", slog.String("error", err.Error()))
		return invalid("fileURL", "The file could not be fetched.")
	}
}

// digest reads r to its end into a CID builder per version and returns
// the CIDs by version and the size read; more than limit bytes is
// errTooLarge.
func digest(r io.Reader, limit int64, versions ...int) (map[int]string, int64, error) {
	builders := make(map[int]*cid.Builder, len(versions))
	ws := make([]io.Writer, 0, len(versions))
	for _, v := range versions {
		b, err := cid.NewBuilder(cid.Options{Version: v})
		if err != nil {
			return nil, 0, err
		}
		builders[v] = b
		ws = append(ws, b)
	}
	n, err := io.Copy(io.MultiWriter(ws...), io.LimitReader(r, limit+1))
	switch {
	case err != nil:
		return nil, 0, err
	case n > limit:
		return nil, 0, errTooLarge
	}
	cids := make(map[int]string, len(builders))
	for v, b := range builders {
		cids[v] = b.CID().String()
	}
	return cids, n, nil
}
