package c2pa

// NoCryptoReadOptions returns read options without signature, credential and
// time-stamp checks, so that fuzz targets exercise parsing and structural
// validation at full speed (cryptography has its own fuzzers in c2pa/cose).
func NoCryptoReadOptions() ReadOptions { return ReadOptions{noCrypto: true} }
