package cose

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
)

// ErrTSA reports a failed exchange with a time-stamp authority.
var ErrTSA = errors.New("cose: time-stamp authority")

// maxTSAResponse bounds what a TSA may send back.
const maxTSAResponse = 1 << 20

// timeStampReq is the RFC 3161 request.
type timeStampReq struct {
	Version        int
	MessageImprint messageImprint
	ReqPolicy      asn1.ObjectIdentifier `asn1:"optional"`
	Nonce          *big.Int              `asn1:"optional"`
	CertReq        bool                  `asn1:"optional,default:false"`
}

var sha256AlgID = pkix.AlgorithmIdentifier{
	Algorithm:  asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1},
	Parameters: asn1.NullRawValue,
}

// TSAClient requests RFC 3161 time-stamps over HTTP the way c2pa-rs does:
// SHA-256 imprint, a random 64-bit nonce, certReq = true. It implements
// TimestampProvider and checks each response (granted status, imprint,
// nonce, CMS signature and TSA certificate validity) before returning it.
type TSAClient struct {
	// URL of the TSA endpoint.
	URL string
	// HTTPClient to use; nil means http.DefaultClient.
	HTTPClient *http.Client
}

// TimeStamp requests a time-stamp over data and returns the DER
// TimeStampResp.
func (c *TSAClient) TimeStamp(ctx context.Context, data []byte) ([]byte, error) {
	nonce, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 64))
	if err != nil {
		return nil, fmt.Errorf("%w: nonce: %v", ErrTSA, err)
	}
	req, err := asn1.Marshal(timeStampReq{
		Version:        1,
		MessageImprint: messageImprint{HashAlgorithm: sha256AlgID, HashedMessage: digest(crypto.SHA256, data)},
		Nonce:          nonce,
		CertReq:        true,
	})
	if err != nil {
		return nil, fmt.Errorf("%w: request: %v", ErrTSA, err)
	}
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, c.URL, bytes.NewReader(req))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrTSA, err)
	}
	hreq.Header.Set("Content-Type", "application/timestamp-query")
	hc := c.HTTPClient
	if hc == nil {
		hc = http.DefaultClient
	}
	res, err := hc.Do(hreq)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrTSA, err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%w: %s answered %s", ErrTSA, c.URL, res.Status)
	}
	body, err := io.ReadAll(io.LimitReader(res.Body, maxTSAResponse+1))
	if err != nil {
		return nil, fmt.Errorf("%w: reading response: %v", ErrTSA, err)
	}
	if len(body) > maxTSAResponse {
		return nil, fmt.Errorf("%w: response larger than %d bytes", ErrTSA, maxTSAResponse)
	}
	if err := CheckResponse(body, data, nonce); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrTSA, c.URL, err)
	}
	return body, nil
}

// CheckResponse verifies a TimeStampResp obtained for data: granted, one
// parseable token, matching nonce (when nonce is non-nil), valid CMS
// signature, TSA certificate valid at the stamped time and an imprint over
// data.
func CheckResponse(resp, data []byte, nonce *big.Int) error {
	if _, err := TokenFromResponse(resp); err != nil {
		return err
	}
	ts, err := ParseTimeStamp(resp)
	if err != nil {
		return err
	}
	if nonce != nil && (ts.Nonce == nil || ts.Nonce.Cmp(nonce) != 0) {
		return fmt.Errorf("%w: nonce does not match the request", ErrTimeStampMismatch)
	}
	return ts.Verify(data)
}
