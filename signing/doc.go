// Package signing signs stored assets with C2PA Content Credentials that
// carry an EU AI Act Article 50 declaration, issues the audit certificate
// and hands out short-lived download URLs for both. GraphQL resolvers and
// the REST layer call it; it knows nothing of HTTP.
package signing
