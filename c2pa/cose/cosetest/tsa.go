package cosetest

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"io"
	"math/big"
	"net/http"
	"slices"
	"time"
)

// TSA is an in-memory RFC 3161 time-stamp authority for tests: a root CA and
// a time-stamping leaf (EKU timeStamping only), both ECDSA P-256.
type TSA struct {
	Root, Leaf *x509.Certificate
	key        *ecdsa.PrivateKey
	// Now returns the time to stamp; nil means time.Now.
	Now func() time.Time
	// Tamper, when set, corrupts the message imprint of every response.
	Tamper bool
	// WrongNonce, when set, answers with a different nonce.
	WrongNonce bool
	// OmitLeaf, when set, leaves the signing certificate out of the token.
	OmitLeaf bool
}

// NewTSA makes a TSA whose certificates are valid from notBefore for ten
// years.
func NewTSA(notBefore time.Time) (*TSA, error) {
	rootKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	leafKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	rootTmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "provgraph test TSA root", Organization: []string{"provgraph tests"}},
		NotBefore:             notBefore,
		NotAfter:              notBefore.AddDate(10, 0, 0),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	rootDER, err := x509.CreateCertificate(rand.Reader, rootTmpl, rootTmpl, &rootKey.PublicKey, rootKey)
	if err != nil {
		return nil, err
	}
	root, err := x509.ParseCertificate(rootDER)
	if err != nil {
		return nil, err
	}
	leafTmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(2),
		Subject:               pkix.Name{CommonName: "provgraph test TSA", Organization: []string{"provgraph tests"}},
		NotBefore:             notBefore,
		NotAfter:              notBefore.AddDate(10, 0, 0),
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageTimeStamping},
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTmpl, root, &leafKey.PublicKey, rootKey)
	if err != nil {
		return nil, err
	}
	leaf, err := x509.ParseCertificate(leafDER)
	if err != nil {
		return nil, err
	}
	return &TSA{Root: root, Leaf: leaf, key: leafKey}, nil
}

type algID = pkix.AlgorithmIdentifier

var (
	oidSHA256      = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	oidECDSASHA256 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}
	oidSignedData  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	oidTSTInfo     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 1, 4}
	oidContentType = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 3}
	oidMsgDigest   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 4}
)

type imprint struct {
	Alg    algID
	Digest []byte
}

type tstInfo struct {
	Version int
	Policy  asn1.ObjectIdentifier
	Imprint imprint
	Serial  *big.Int
	GenTime time.Time `asn1:"generalized"`
	Nonce   *big.Int  `asn1:"optional"`
}

type request struct {
	Version int
	Imprint imprint
	Policy  asn1.ObjectIdentifier `asn1:"optional"`
	Nonce   *big.Int              `asn1:"optional"`
	CertReq bool                  `asn1:"optional,default:false"`
}

type attr struct {
	Type   asn1.ObjectIdentifier
	Values asn1.RawValue
}

type issuerSerial struct {
	Issuer asn1.RawValue
	Serial *big.Int
}

type signerInfo struct {
	Version   int
	SID       issuerSerial
	DigestAlg algID
	Attrs     asn1.RawValue
	SigAlg    algID
	Signature []byte
}

type encap struct {
	Type    asn1.ObjectIdentifier
	Content asn1.RawValue
}

type signedData struct {
	Version     int
	DigestAlgs  asn1.RawValue
	Encap       encap
	Certs       asn1.RawValue
	SignerInfos asn1.RawValue
}

type contentInfo struct {
	Type    asn1.ObjectIdentifier
	Content asn1.RawValue
}

type status struct{ Status int }

type response struct {
	Status status
	Token  asn1.RawValue
}

func set(elems ...[]byte) asn1.RawValue {
	slices.SortFunc(elems, bytes.Compare)
	return asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSet, IsCompound: true, Bytes: bytes.Join(elems, nil)}
}

func explicit0(b []byte) asn1.RawValue {
	return asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: b}
}

// Respond returns a DER TimeStampResp for a SHA-256 digest and nonce.
func (t *TSA) Respond(sum []byte, nonce *big.Int) ([]byte, error) {
	now := time.Now
	if t.Now != nil {
		now = t.Now
	}
	if t.Tamper {
		sum = append([]byte(nil), sum...)
		sum[0] ^= 0xff
	}
	if t.WrongNonce && nonce != nil {
		nonce = new(big.Int).Add(nonce, big.NewInt(1))
	}
	info, err := asn1.Marshal(tstInfo{
		Version: 1, Policy: asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 99999, 1},
		Imprint: imprint{Alg: algID{Algorithm: oidSHA256, Parameters: asn1.NullRawValue}, Digest: sum},
		Serial:  big.NewInt(now().UnixNano()), GenTime: now().UTC().Truncate(time.Second), Nonce: nonce,
	})
	if err != nil {
		return nil, err
	}
	infoSum := sha256.Sum256(info)
	ct, _ := asn1.Marshal(oidTSTInfo)
	md, _ := asn1.Marshal(infoSum[:])
	a1, _ := asn1.Marshal(attr{oidContentType, set(ct)})
	a2, _ := asn1.Marshal(attr{oidMsgDigest, set(md)})
	attrSet, _ := asn1.Marshal(set(a1, a2))
	attrSum := sha256.Sum256(attrSet)
	sig, err := t.key.Sign(rand.Reader, attrSum[:], crypto.SHA256)
	if err != nil {
		return nil, err
	}
	implicitAttrs := asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: set(a1, a2).Bytes}
	si, err := asn1.Marshal(signerInfo{
		Version: 1, SID: issuerSerial{asn1.RawValue{FullBytes: t.Leaf.RawIssuer}, t.Leaf.SerialNumber},
		DigestAlg: algID{Algorithm: oidSHA256, Parameters: asn1.NullRawValue}, Attrs: implicitAttrs,
		SigAlg: algID{Algorithm: oidECDSASHA256}, Signature: sig,
	})
	if err != nil {
		return nil, err
	}
	certs := append(append([]byte(nil), t.Leaf.Raw...), t.Root.Raw...)
	if t.OmitLeaf {
		certs = t.Root.Raw
	}
	octets, _ := asn1.Marshal(info)
	digestAlg, _ := asn1.Marshal(algID{Algorithm: oidSHA256, Parameters: asn1.NullRawValue})
	sd, err := asn1.Marshal(signedData{
		Version: 3, DigestAlgs: set(digestAlg),
		Encap:       encap{Type: oidTSTInfo, Content: explicit0(octets)},
		Certs:       asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: certs},
		SignerInfos: set(si),
	})
	if err != nil {
		return nil, err
	}
	token, err := asn1.Marshal(contentInfo{Type: oidSignedData, Content: explicit0(sd)})
	if err != nil {
		return nil, err
	}
	return asn1.Marshal(response{Status: status{0}, Token: asn1.RawValue{FullBytes: token}})
}

// TimeStamp implements cose.TimestampProvider directly (no HTTP).
func (t *TSA) TimeStamp(_ context.Context, data []byte) ([]byte, error) {
	sum := sha256.Sum256(data)
	return t.Respond(sum[:], nil)
}

// ServeHTTP answers RFC 3161 requests (application/timestamp-query).
func (t *TSA) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<16))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var req request
	if _, err := asn1.Unmarshal(body, &req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	resp, err := t.Respond(req.Imprint.Digest, req.Nonce)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/timestamp-reply")
	w.Write(resp)
}
