// Package article50 is the EU AI Act Article 50 disclosure a signer makes:
// the declaration's fields and their rules (as NotarAI documents them), the
// IPTC digital source type each modification type maps to, and the plain
// sentence people read on certificates and verification pages.
package article50
