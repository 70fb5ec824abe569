package op

import (
	"strings"
	"time"
)

// manifestFacts are what the responses say of a file's active manifest,
// read from the engine's report (the c2pa-rs JSON shape).
type manifestFacts struct {
	claimGenerator string
	signer         string
	issuer         string
	time           *time.Time
	actions        []string
}

// factsOf reads the active manifest of a report; ok is false when the
// report has none (a file without Content Credentials).
func factsOf(report map[string]any) (f manifestFacts, ok bool) {
	label, _ := report["active_manifest"].(string)
	manifests, _ := report["manifests"].(map[string]any)
	m, _ := manifests[label].(map[string]any)
	if m == nil {
		return manifestFacts{}, false
	}
	f.claimGenerator, _ = m["claim_generator"].(string)
	if infos, _ := m["claim_generator_info"].([]any); f.claimGenerator == "" && len(infos) > 0 {
		if info, _ := infos[0].(map[string]any); info != nil {
			name, _ := info["name"].(string)
			version, _ := info["version"].(string)
			f.claimGenerator = strings.TrimSuffix(name+"/"+version, "/")
		}
	}
	if sig, _ := m["signature_info"].(map[string]any); sig != nil {
		f.signer, _ = sig["common_name"].(string)
		f.issuer, _ = sig["issuer"].(string)
		if s, _ := sig["time"].(string); s != "" {
			if t, err := time.Parse(time.RFC3339, s); err == nil {
				f.time = &t
			}
		}
	}
	f.actions = []string{}
	assertions, _ := m["assertions"].([]any)
	for _, a := range assertions {
		as, _ := a.(map[string]any)
		l, _ := as["label"].(string)
		base, _, _ := strings.Cut(l, "__")
		if base != "c2pa.actions" && base != "c2pa.actions.v2" {
			continue
		}
		data, _ := as["data"].(map[string]any)
		list, _ := data["actions"].([]any)
		for _, act := range list {
			if o, _ := act.(map[string]any); o != nil {
				if name, _ := o["action"].(string); name != "" {
					f.actions = append(f.actions, name)
				}
			}
		}
	}
	return f, true
}
