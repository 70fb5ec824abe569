// Package all registers every asset container handler of the engine with
// the asset registry. Import it for its side effect:
//
//	import _ "provgraph/c2pa/asset/all"
package all
