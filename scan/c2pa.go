package scan

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// maxC2PAReport bounds the C2PA reader's JSON the scanner is willing to
// decode.
const maxC2PAReport = 64 << 20

// readerReport is the part of the c2pa-rs Reader::json() report the scanner
// uses.
type readerReport struct {
	ActiveManifest    string                    `json:"active_manifest"`
	Manifests         map[string]readerManifest `json:"manifests"`
	ValidationState   string                    `json:"validation_state"`
	ValidationResults struct {
		ActiveManifest struct {
			Failure []struct {
				Code string `json:"code"`
			} `json:"failure"`
		} `json:"activeManifest"`
	} `json:"validation_results"`
	ValidationStatus []struct {
		Code string `json:"code"`
	} `json:"validation_status"`
	Error string `json:"error"`
}

type readerManifest struct {
	ClaimGenerator     string `json:"claim_generator"`
	ClaimGeneratorInfo []struct {
		Name    string `json:"name"`
		Version any    `json:"version"`
	} `json:"claim_generator_info"`
	Title      string `json:"title"`
	Assertions []struct {
		Label string          `json:"label"`
		Data  json.RawMessage `json:"data"`
	} `json:"assertions"`
	Ingredients []struct {
		Title          string `json:"title"`
		ActiveManifest string `json:"active_manifest"`
	} `json:"ingredients"`
}

// actionsData is a c2pa.actions / c2pa.actions.v2 assertion body.
type actionsData struct {
	Actions []struct {
		Action            string          `json:"action"`
		SoftwareAgent     json.RawMessage `json:"softwareAgent"`
		DigitalSourceType string          `json:"digitalSourceType"`
		Description       string          `json:"description"`
		Parameters        struct {
			Description string `json:"description"`
		} `json:"parameters"`
	} `json:"actions"`
	SoftwareAgents []generatorInfo `json:"softwareAgents"`
}

type generatorInfo struct {
	Name    string `json:"name"`
	Version any    `json:"version"`
}

func (g generatorInfo) String() string {
	if v, ok := g.Version.(string); ok && v != "" {
		return g.Name + " " + v
	}
	return g.Name
}

// agentName reads a softwareAgent given as a string (v1) or a
// generator-info map (v2).
func agentName(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var g generatorInfo
	if json.Unmarshal(raw, &g) == nil {
		return g.String()
	}
	return ""
}

// readC2PA runs the configured C2PA reader and folds its report into the
// scan.
func (c *collector) readC2PA(ctx context.Context, r io.ReaderAt, size int64) error {
	sum := &C2PASummary{Carrier: c.carrier}
	raw, err := c.opts.C2PA(ctx, r, size, c.rep.MediaType)
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("scan: c2pa reader: %w", ctxErr)
	}
	if err != nil {
		// A reader error on a file without a carrier we saw just means no
		// manifest; on a file with one (or a remote reference) it means a
		// broken or unreachable store.
		if c.carrier != "" || c.remoteRef {
			sum.Error = err.Error()
			c.rep.C2PA = sum
		}
		return nil
	}
	if len(raw) > maxC2PAReport {
		sum.Error = fmt.Sprintf("reader report of %d bytes exceeds %d", len(raw), maxC2PAReport)
		c.rep.C2PA = sum
		return nil
	}
	var rep readerReport
	if err := json.Unmarshal(raw, &rep); err != nil {
		sum.Error = "reader report is not JSON: " + err.Error()
		c.rep.C2PA = sum
		return nil
	}
	if rep.Error != "" || rep.ActiveManifest == "" {
		if c.carrier != "" || c.remoteRef {
			sum.Error = rep.Error
			if sum.Error == "" {
				sum.Error = "no active manifest"
			}
			c.rep.C2PA = sum
		}
		return nil
	}
	c.rep.HasC2PA = true
	c.rep.C2PAManifest = raw
	c.rep.C2PA = sum
	sum.ActiveManifest = rep.ActiveManifest
	sum.ValidationState = rep.ValidationState
	c.c2paValid = rep.ValidationState == "Valid" || rep.ValidationState == "Trusted"
	for _, f := range rep.ValidationResults.ActiveManifest.Failure {
		sum.Failures = append(sum.Failures, f.Code)
	}
	if len(sum.Failures) == 0 && !c.c2paValid {
		for _, f := range rep.ValidationStatus {
			sum.Failures = append(sum.Failures, f.Code)
		}
	}
	sum.Failures = dedupe(sum.Failures)
	c.raw("C2PA:validationState", rep.ValidationState)
	c.addEvidence(Evidence{Source: "c2pa", Field: "C2PA:validationState", Value: rep.ValidationState, Indicates: IndicatesC2PAPresent})

	// The active manifest speaks for the file; the others are its
	// ingredients' history and only hint.
	if m, ok := rep.Manifests[rep.ActiveManifest]; ok {
		c.c2paManifest(m, sum, true)
	}
	for _, label := range sortedKeys(rep.Manifests) {
		if label != rep.ActiveManifest {
			c.c2paManifest(rep.Manifests[label], nil, false)
		}
	}
	return nil
}

// c2paManifest records the generator, agents and source types of one
// manifest. sum is nil for ingredient manifests.
func (c *collector) c2paManifest(m readerManifest, sum *C2PASummary, active bool) {
	source, agentField := "c2pa", "C2PA:softwareAgent"
	if !active {
		source, agentField = "c2pa-ingredient", "C2PA:ingredientSoftwareAgent"
	}
	var gens []string
	if m.ClaimGenerator != "" {
		gens = append(gens, m.ClaimGenerator)
	}
	for _, g := range m.ClaimGeneratorInfo {
		gens = append(gens, generatorInfo(g).String())
	}
	if active {
		sum.ClaimGenerator = strings.Join(dedupe(gens), "; ")
		for _, g := range gens {
			c.raw("C2PA:claimGenerator", g)
			c.model(source, "C2PA:claimGenerator", "C2PA:claimGenerator", g)
		}
		if m.Title != "" {
			c.raw("C2PA:title", m.Title)
		}
	}
	for _, a := range m.Assertions {
		label := a.Label
		switch {
		case label == "c2pa.actions" || label == "c2pa.actions.v2" || strings.HasPrefix(label, "c2pa.actions."):
			var ad actionsData
			if json.Unmarshal(a.Data, &ad) != nil {
				continue
			}
			var agents []string
			for _, g := range ad.SoftwareAgents {
				agents = append(agents, g.String())
			}
			for _, act := range ad.Actions {
				if n := agentName(act.SoftwareAgent); n != "" {
					agents = append(agents, n)
				}
				if act.DigitalSourceType != "" {
					if active {
						c.raw("C2PA:DigitalSourceType", act.DigitalSourceType)
					}
					c.sourceType(source, "C2PA:"+act.Action+":DigitalSourceType", act.DigitalSourceType, active)
				}
				for _, d := range []string{act.Description, act.Parameters.Description} {
					if d != "" && c.vocab.saysAI(d) {
						c.addEvidence(Evidence{Source: source, Field: "C2PA:" + act.Action + ":description", Value: d, Indicates: IndicatesAIGenerated})
					}
				}
			}
			for _, ag := range dedupe(agents) {
				if active {
					sum.SoftwareAgents = append(sum.SoftwareAgents, ag)
					c.raw("C2PA:softwareAgent", ag)
				}
				c.model(source, agentField, agentField, ag)
			}
		case strings.HasSuffix(label, "training-mining"):
			if active {
				c.raw("C2PA:"+label, string(a.Data))
				c.addEvidence(Evidence{Source: source, Field: "C2PA:" + label, Value: string(a.Data), Indicates: IndicatesTrainingRules})
			}
		case active && (label == "stds.iptc" || label == "c2pa.metadata" || strings.HasPrefix(label, "stds.iptc")):
			// IPTC metadata assertions may repeat the source type.
			var md map[string]any
			if json.Unmarshal(a.Data, &md) == nil {
				for _, k := range sortedKeys(md) {
					if s, ok := md[k].(string); ok && strings.HasSuffix(k, "DigitalSourceType") {
						c.sourceType(source, "C2PA:"+label+":"+k, s, false)
					}
				}
			}
		}
	}
}
