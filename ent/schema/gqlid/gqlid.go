package gqlid

import (
	"github.com/99designs/gqlgen/graphql"

	"provgraph/apierror"
)

// MarshalID writes an ID.
func MarshalID(id int) graphql.Marshaler {
	return graphql.MarshalIntID(id)
}

// UnmarshalID reads an ID given as a string or a number.
func UnmarshalID(v any) (int, error) {
	id, err := graphql.UnmarshalIntID(v)
	if err != nil {
		return 0, &apierror.InvalidFieldError{Field: "ID", Reason: "not an ID of this graph"}
	}
	return id, nil
}
