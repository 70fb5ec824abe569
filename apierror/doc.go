// Package apierror holds the stable machine codes of every API error and
// maps the typed errors of the services onto them. GraphQL (as
// extensions.code) and REST share it; it must not import either.
package apierror
