package numbers

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"reflect"

	"provgraph/apierror"
)

// maxFieldBytes bounds a form field or JSON body that is not a file.
const maxFieldBytes = 64 << 10

// mediaType is the media type of the request body, without parameters,
// or "" when there is none or it does not parse.
func mediaType(r *http.Request) string {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return ""
	}
	return mt
}

// parts returns the multipart reader of r, or the API's error when the
// body is not multipart.
func parts(r *http.Request) (*multipart.Reader, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, bodyError("Multipart form parse error", err)
	}
	return mr, nil
}

// readField reads a form field that is not a file.
func readField(p *multipart.Part) (string, error) {
	b, err := io.ReadAll(io.LimitReader(p, maxFieldBytes+1))
	if err != nil {
		return "", bodyError("Multipart form parse error", err)
	}
	if len(b) > maxFieldBytes {
		return "", invalid(p.FormName(), "Ensure this field has no more than %d characters.", maxFieldBytes)
	}
	return string(b), nil
}

// decodeJSON decodes the JSON object of body into v. A value of the
// wrong type is the error of its field; anything else that does not
// parse is a JSON parse error.
func decodeJSON(body []byte, v any) error {
	err := json.Unmarshal(body, v)
	var te *json.UnmarshalTypeError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &te) && te.Field != "":
		return invalid(te.Field, "%s", wrongType(te.Type.Kind()))
	default:
		return bodyError("JSON parse error", err)
	}
}

// wrongType is the message of a JSON value that is not of kind k.
func wrongType(k reflect.Kind) string {
	switch k {
	case reflect.Bool:
		return "Must be a valid boolean."
	case reflect.String:
		return "Not a valid string."
	case reflect.Int, reflect.Int64:
		return "A valid integer is required."
	default:
		return "Invalid value."
	}
}

// readJSONBody reads a JSON body of at most maxFieldBytes.
func readJSONBody(r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r.Body, maxFieldBytes+1))
	if err != nil {
		return nil, bodyError("JSON parse error", err)
	}
	if len(b) > maxFieldBytes {
		return nil, &refusal{detail: fmt.Sprintf("The JSON body is larger than %d bytes.", maxFieldBytes), err: apierror.ErrInvalidInput}
	}
	return b, nil
}

// bodyError is the error of a body that could not be read or parsed
// ("<what> - <why>"); one larger than the server's body limit says so.
func bodyError(what string, err error) error {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return &refusal{detail: fmt.Sprintf("The request body is larger than the limit of %d bytes.", tooLarge.Limit), err: apierror.ErrInvalidInput}
	}
	return &refusal{detail: what + " - " + err.Error(), err: apierror.ErrInvalidInput}
}
