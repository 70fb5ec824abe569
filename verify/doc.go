// Package verify turns a C2PA validation result into what a person needs:
// a trust tier, a plain label and description, a confidence and the edge
// case that qualifies it. The table lives here, in one place, and is shared
// by the GraphQL API, the REST layer, badges and the public pages.
package verify
