package resolvers

// pointers hands a service's rows to gqlgen, which resolves lists of
// pointers.
func pointers[T any](rows []T, err error) ([]*T, error) {
	if err != nil {
		return nil, err
	}
	out := make([]*T, len(rows))
	for i := range rows {
		out[i] = &rows[i]
	}
	return out, nil
}

// orEmpty is an optional string argument, "" when omitted.
func orEmpty(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
