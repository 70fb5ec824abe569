// Package outbound is the only way provgraph reaches out to the network on
// a user's behalf (file URLs, webhooks, remote manifests). Its HTTP client
// checks every address it actually connects to — after DNS resolution, so
// rebinding cannot slip past — and refuses private, loopback, link-local and
// other special ranges unless the operator allowed them, and it bounds how
// long a request takes and how much of a response is read.
package outbound
