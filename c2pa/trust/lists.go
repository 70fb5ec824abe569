package trust

import (
	_ "embed"
	"fmt"
	"os"
	"time"
)

// The embedded lists (see lists/README.md for origins).
var (
	//go:embed lists/c2pa-trust-list.pem
	officialPEM []byte
	//go:embed lists/c2pa-tsa-trust-list.pem
	officialTSAPEM []byte
	//go:embed lists/cai-interim-anchors.pem
	interimAnchorsPEM []byte
	//go:embed lists/cai-interim-allowed.pem
	interimAllowedPEM []byte
	//go:embed lists/cai-interim-store.cfg
	interimStoreCfg []byte
)

// Where the lists are published; trust through a list is reported under
// its URL, as c2pa-rs does for trust.anchors entries.
const (
	// OfficialListURL is where the C2PA Trust List is published.
	OfficialListURL = "https://raw.githubusercontent.com/c2pa-org/conformance-public/refs/heads/main/trust-list/C2PA-TRUST-LIST.pem"
	// OfficialTSAListURL is where the C2PA TSA Trust List is published.
	OfficialTSAListURL = "https://raw.githubusercontent.com/c2pa-org/conformance-public/refs/heads/main/trust-list/C2PA-TSA-TRUST-LIST.pem"
	// InterimListURL is where the CAI interim anchors were served.
	InterimListURL = "https://contentcredentials.org/trust/anchors.pem"
)

// Publication dates of the embedded lists.
var (
	// OfficialListPublished is the embedded C2PA Trust List's
	// ListIssueDateTime.
	OfficialListPublished = time.Date(2026, 8, 5, 0, 11, 39, 0, time.UTC)
	// OfficialTSAListPublished is the embedded TSA list's ListIssueDateTime.
	OfficialTSAListPublished = time.Date(2026, 8, 5, 0, 11, 47, 0, time.UTC)
	// InterimListPublished is the date of the embedded interim anchors.
	InterimListPublished = time.Date(2025, 8, 28, 0, 0, 0, 0, time.UTC)
)

// Names c2pa-rs uses for its two settings-level anchor sets.
const (
	SystemAnchorsName = "system_anchors"
	UserAnchorsName   = "user_anchors"
)

// OfficialList returns the embedded C2PA Trust List.
func OfficialList() (*Source, error) {
	return embedded(OfficialListURL, Official, officialPEM, OfficialListPublished)
}

// OfficialTSAList returns the embedded C2PA TSA Trust List.
func OfficialTSAList() (*Source, error) {
	return embedded(OfficialTSAListURL, OfficialTSA, officialTSAPEM, OfficialTSAListPublished)
}

// InterimList returns the legacy CAI interim list: its anchors and its
// allowed end-entity certificates, flagged Legacy.
func InterimList() (*Source, error) {
	src, err := embedded(InterimListURL, Interim, interimAnchorsPEM, InterimListPublished)
	if err != nil {
		return nil, err
	}
	if err := src.AllowEndEntities(interimAllowedPEM); err != nil {
		return nil, err
	}
	return src, nil
}

// InterimEKUConfig returns the interim list's store.cfg.
func InterimEKUConfig() []byte { return append([]byte(nil), interimStoreCfg...) }

func embedded(name string, kind Kind, pemBundle []byte, published time.Time) (*Source, error) {
	src, err := NewSource(name, kind, pemBundle)
	if err != nil {
		return nil, err
	}
	src.Published = published
	return src, nil
}

// Config describes a Store in operator terms (typically from flags and
// PROVGRAPH_* environment variables).
type Config struct {
	// NoOfficialLists leaves out the C2PA Trust List and TSA Trust List
	// (e.g. to reproduce c2pa-rs run with only --trust).
	NoOfficialLists bool
	// OfficialListFile and OfficialTSAListFile replace the embedded lists
	// with newer PEM files when set.
	OfficialListFile    string
	OfficialTSAListFile string
	// Anchors is the operator's PEM bundle (c2pa-rs trust_anchors).
	Anchors []byte
	// UserAnchors is a second bundle (c2pa-rs user_anchors).
	UserAnchors []byte
	// AllowedList holds end-entity certificates or base64 SHA-256 lines
	// trusted as they are, reported under the operator's anchors.
	AllowedList []byte
	// Interim adds the legacy CAI interim list (anchors, allowed leaves and
	// its store.cfg EKUs); trust through it is flagged Legacy.
	Interim bool
	// SeparatePurposes keeps the C2PA TSA Trust List for time-stamp
	// authorities and the C2PA Trust List for claim signers (C2PA 2.3);
	// off, every source vouches for both, as in c2pa-rs ≤ 0.91.
	SeparatePurposes bool
	// EKUConfig is a store.cfg of extra accepted EKUs (c2pa-rs
	// trust_config). Without it only emailProtection, timeStamping and
	// OCSPSigning are accepted, as in c2pa-rs 0.91 — Microsoft's and
	// documentSigning-only signers then fail the profile.
	EKUConfig []byte
}

// New builds a Store from cfg. Sources are consulted in this order:
// operator anchors, C2PA Trust List, C2PA TSA Trust List, user anchors,
// CAI interim list. Signer and TSA anchors are pooled, as in c2pa-rs ≤ 0.91.
func New(cfg Config) (*Store, error) {
	var sources []*Source
	ekus := ParseEKUConfig(cfg.EKUConfig)
	if len(cfg.Anchors) > 0 || len(cfg.AllowedList) > 0 {
		src, err := NewSource(SystemAnchorsName, Operator, cfg.Anchors)
		if err != nil {
			return nil, err
		}
		if len(cfg.AllowedList) > 0 {
			if err := src.AllowEndEntities(cfg.AllowedList); err != nil {
				return nil, err
			}
		}
		sources = append(sources, src)
	}
	if !cfg.NoOfficialLists {
		for _, l := range []struct {
			file string
			def  func() (*Source, error)
			name string
			kind Kind
		}{
			{cfg.OfficialListFile, OfficialList, OfficialListURL, Official},
			{cfg.OfficialTSAListFile, OfficialTSAList, OfficialTSAListURL, OfficialTSA},
		} {
			var src *Source
			var err error
			if l.file != "" {
				b, rerr := os.ReadFile(l.file)
				if rerr != nil {
					return nil, fmt.Errorf("%w: %v", ErrBadList, rerr)
				}
				if src, err = NewSource(l.name, l.kind, b); err == nil {
					if st, serr := os.Stat(l.file); serr == nil {
						src.Published = st.ModTime().UTC()
					}
				}
			} else {
				src, err = l.def()
			}
			if err != nil {
				return nil, err
			}
			sources = append(sources, src)
		}
	}
	if len(cfg.UserAnchors) > 0 {
		src, err := NewSource(UserAnchorsName, User, cfg.UserAnchors)
		if err != nil {
			return nil, err
		}
		sources = append(sources, src)
	}
	if cfg.Interim {
		src, err := InterimList()
		if err != nil {
			return nil, err
		}
		sources = append(sources, src)
		ekus = append(ekus, ParseEKUConfig(interimStoreCfg)...)
	}
	st := NewStore(ekus, sources...)
	if cfg.SeparatePurposes {
		st = st.SeparatePurposes()
	}
	return st, nil
}
