// Package numbers is the Numbers Protocol v3 REST API (mounted at
// /numbers/api/v3): the NID (IPFS CID) of a file, asset registration and
// C2PA signing of a registered asset, with that API's token
// authentication, JSON shapes, status codes and error bodies. It parses
// requests and writes responses; the work is done by the services
// (assets, signing, quota) and package cid, never here.
package numbers
