package cid

import (
	"fmt"
	"strconv"
)

// Profile names a set of import parameters (chunk size, DAG width, leaf
// encoding) that determine the CID of a file.
type Profile string

const (
	// Kubo is the default import of Kubo's `ipfs add`: 256 KiB chunks and at
	// most 174 links per node. With CIDv1 the leaves are raw blocks, with
	// CIDv0 they are UnixFS nodes wrapped in dag-pb (IPIP-499
	// "unixfs-v0-2015"). The empty Profile means Kubo.
	Kubo Profile = "kubo"
	// UnixFSv12025 is the IPIP-499 profile "unixfs-v1-2025": 1 MiB chunks,
	// at most 1024 links per node, raw leaves, CIDv1 only.
	UnixFSv12025 Profile = "unixfs-v1-2025"
)

// Profiles lists the profiles this package implements, for help texts.
var Profiles = []Profile{Kubo, UnixFSv12025}

// ParseProfile returns the profile named s, or an OptionError wrapping
// ErrUnknownProfile.
func ParseProfile(s string) (Profile, error) {
	for _, p := range Profiles {
		if string(p) == s {
			return p, nil
		}
	}
	return "", &OptionError{Field: "Profile", Value: s, Err: ErrUnknownProfile}
}

// Options selects how a CID is computed. The zero value is what `ipfs add`
// does without flags: the Kubo profile with CIDv0.
type Options struct {
	// Profile selects chunking and DAG shape; empty means Kubo.
	Profile Profile
	// Version is the CID version, 0 (Qm…, base58btc) or 1 (b…, base32).
	Version int
}

// Validate reports whether the options name a supported combination; the
// error is an *OptionError.
func (o Options) Validate() error {
	_, err := o.layout()
	return err
}

// layout is the resolved form of Options: every parameter that shapes the
// DAG. Tests build layouts with small chunks and widths directly.
type layout struct {
	version   int  // CID version of every block (0 implies dag-pb leaves)
	rawLeaves bool // leaves are raw blocks rather than dag-pb UnixFS nodes
	chunkSize int  // bytes per leaf, the last one may be shorter
	maxLinks  int  // links per internal node
}

const (
	kuboChunkSize    = 256 << 10
	kuboMaxLinks     = 174
	v12025ChunkSize  = 1 << 20
	v12025MaxLinks   = 1024
	maxSupportedVers = 1
)

func (o Options) layout() (layout, error) {
	if o.Version < 0 || o.Version > maxSupportedVers {
		return layout{}, &OptionError{Field: "Version", Value: strconv.Itoa(o.Version), Err: ErrUnsupportedVersion}
	}
	switch o.Profile {
	case "", Kubo:
		// `ipfs add --cid-version=1` turns raw leaves on; CIDv0 cannot
		// address raw blocks, so its leaves stay dag-pb.
		return layout{version: o.Version, rawLeaves: o.Version == 1, chunkSize: kuboChunkSize, maxLinks: kuboMaxLinks}, nil
	case UnixFSv12025:
		if o.Version != 1 {
			return layout{}, &OptionError{Field: "Version", Value: strconv.Itoa(o.Version),
				Err: fmt.Errorf("%w: %s requires CID version 1", ErrProfileVersion, o.Profile)}
		}
		return layout{version: 1, rawLeaves: true, chunkSize: v12025ChunkSize, maxLinks: v12025MaxLinks}, nil
	default:
		return layout{}, &OptionError{Field: "Profile", Value: string(o.Profile), Err: ErrUnknownProfile}
	}
}
