package testenv

import (
	"os"
	"strconv"
	"strings"
)

// PeakRSS returns the process's peak resident set (VmHWM) in MiB, 0 when
// unavailable; ResetPeakRSS restarts it.
func PeakRSS() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return 0
}

// ResetPeakRSS restarts the peak PeakRSS reports.
func ResetPeakRSS() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }
