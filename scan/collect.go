package scan

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
)

// maxRawFields bounds how many fields one report keeps, whatever the file
// holds.
const maxRawFields = 256

// collector gathers what the container walkers find and turns it into a
// Report.
type collector struct {
	opts  Options
	vocab *vocabulary
	rep   *Report

	carrier   string // where the C2PA manifest store was found
	remoteRef bool   // XMP dcterms:provenance names a remote store
	ioErr     error  // the first read failure a walker carried on past

	dst    map[string]bool // digital source type terms seen
	models []modelHit
	xmpN   int // XMP packets parsed, to bound work on files that repeat them
	// inflated counts decompressed text bytes (PNG zTXt/iTXt) against
	// maxInflated.
	inflated int64

	// c2paDeclaresAI and c2paValid feed the verdict.
	c2paDeclaresAI bool
	c2paValid      bool
}

// modelHit is a model named by one field, ranked by how much that field is
// trusted (vocab.json modelFields).
type modelHit struct {
	rank int
	id   string
	ev   Evidence
}

func newCollector(opts Options, mediaType string) *collector {
	return &collector{
		opts:  opts,
		vocab: loadVocab(),
		dst:   map[string]bool{},
		rep: &Report{
			MediaType:          mediaType,
			RawFields:          map[string]string{},
			Evidence:           []Evidence{},
			DigitalSourceTypes: []string{},
		},
	}
}

// warn notes a problem with the file's content. An I/O error passed here
// by a walker that carries on is kept apart: the scan then fails with it.
func (c *collector) warn(err error) {
	if !isContentError(err) {
		if c.ioErr == nil {
			c.ioErr = err
		}
		return
	}
	if len(c.rep.Warnings) < 32 {
		c.rep.Warnings = append(c.rep.Warnings, err.Error())
	}
}

// foundC2PA records a manifest store carrier.
func (c *collector) foundC2PA(carrier string) {
	c.rep.HasC2PA = true
	if c.carrier == "" {
		c.carrier = carrier
	}
}

// addEvidence appends one piece of evidence, keeping the list free of
// repeats.
func (c *collector) addEvidence(e Evidence) {
	e.Value = cut(e.Value, c.opts.MaxFieldBytes)
	for _, old := range c.rep.Evidence {
		if old == e {
			return
		}
	}
	if len(c.rep.Evidence) < 4*maxRawFields {
		c.rep.Evidence = append(c.rep.Evidence, e)
	}
}

// raw stores a field in Report.RawFields; a repeated name is joined.
func (c *collector) raw(name, value string) {
	value = cut(value, c.opts.MaxFieldBytes)
	if old, ok := c.rep.RawFields[name]; ok {
		if old == value || strings.Contains(old, value) {
			return
		}
		c.rep.RawFields[name] = cut(old+"; "+value, c.opts.MaxFieldBytes)
		return
	}
	if len(c.rep.RawFields) < maxRawFields {
		c.rep.RawFields[name] = value
	}
}

// field records one metadata field (name is "GROUP:Name", e.g.
// "XMP:CreatorTool") and judges what it says.
func (c *collector) field(source, name, value string) {
	value = cleanText(value)
	if value == "" {
		return
	}
	c.raw(name, value)
	local := name[strings.IndexByte(name, ':')+1:]
	switch local {
	case "DigitalSourceType", "DigitalSourceFileType":
		c.sourceType(source, name, value, source == "c2pa")
		return
	case "AISystemUsed", "AISystemVersionUsed", "AIPromptInformation", "AIPromptWriterName":
		c.addEvidence(Evidence{Source: source, Field: name, Value: value, Indicates: IndicatesAIGenerated})
	case "DataMining", "OtherConstraints", "Mining":
		c.addEvidence(Evidence{Source: source, Field: name, Value: value, Indicates: IndicatesTrainingRules})
	}
	c.model(source, name, name, value)
	switch {
	case looksLikeGenerationText(local, value):
		c.generation(source, name, value)
	case isDescriptive(local) && c.vocab.saysAI(value[:min(len(value), maxJudgedText)]):
		c.addEvidence(Evidence{Source: source, Field: name, Value: value, Indicates: IndicatesAIGenerated})
	}
}

// maxJudgedText bounds how much of a free-text value is matched against
// the AI phrases.
const maxJudgedText = 4096

// isDescriptive reports whether a field holds free text that may state
// how the file was made (and so is worth matching against aiPhrases).
func isDescriptive(local string) bool {
	switch strings.ToLower(local) {
	case "credit", "description", "imagedescription", "usercomment", "comment", "title", "headline",
		"source", "caption", "icmt", "©cmt", "comments", "instructions", "creatortool", "software", "disclaimer",
		"comm", "xpcomment", "bextdescription", "information", "caption-abstract", "objectname":
		return true
	}
	return false
}

// sourceType records a digital source type value.
func (c *collector) sourceType(source, field, value string, declared bool) {
	term, ind, ok := c.vocab.sourceType(value)
	if !ok {
		ind = IndicatesUnspecified
	}
	if !c.dst[term] {
		c.dst[term] = true
		c.rep.DigitalSourceTypes = append(c.rep.DigitalSourceTypes, term)
	}
	c.addEvidence(Evidence{Source: source, Field: field, Value: value, Indicates: ind})
	if declared && aiIndication(ind) {
		c.c2paDeclaresAI = true
	}
}

// model matches value against the model table when the field is one that
// names generators; rankKey is its name in vocab.json modelFields.
func (c *collector) model(source, field, rankKey, value string) {
	rank, ok := c.vocab.modelRank[rankKey]
	if !ok {
		return
	}
	id := c.vocab.matchModel(value)
	if id == "" {
		if strings.HasSuffix(rankKey, "Software") || strings.HasSuffix(rankKey, "CreatorTool") || rankKey == "C2PA:claimGenerator" || rankKey == "C2PA:softwareAgent" {
			c.addEvidence(Evidence{Source: source, Field: field, Value: value, Indicates: IndicatesSoftware})
		}
		return
	}
	ev := Evidence{Source: source, Field: field, Value: value, Indicates: IndicatesAIModel}
	c.addEvidence(ev)
	c.models = append(c.models, modelHit{rank: rank, id: id, ev: ev})
}

// a1111Params matches the settings line that Stable Diffusion web UIs
// (AUTOMATIC1111, Forge, SD.Next, Fooocus in A1111 mode) write after the
// prompt: "Steps: 20, Sampler: Euler a, CFG scale: 7, Seed: ...".
var a1111Params = regexp.MustCompile(`(?m)\bSteps: *\d+, *Sampler: `)

// a1111Model picks the checkpoint name out of those settings.
var a1111Model = regexp.MustCompile(`(?:^|, )Model: *([^,\n]+)`)

// looksLikeGenerationText reports whether a text field holds image
// generation settings: A1111-style parameters, ComfyUI graphs, InvokeAI or
// NovelAI JSON.
func looksLikeGenerationText(local, value string) bool {
	switch local {
	case "parameters", "prompt", "workflow", "invokeai_metadata", "invokeai_graph", "sd-metadata", "Dream", "generation_data":
		return true
	}
	if !isDescriptive(local) {
		return false
	}
	// Web UIs write the settings line last, after a prompt of any length.
	if a1111Params.MatchString(value[max(0, len(value)-maxJudgedText):]) {
		return true
	}
	v := strings.TrimSpace(value)
	return strings.HasPrefix(v, "{") && (strings.Contains(v, `"sampler"`) || strings.Contains(v, `"steps"`) || strings.Contains(v, `"class_type"`))
}

// generation records a text field that holds generator settings (or, for
// the generators' own keys, a bare prompt) and the model they name.
func (c *collector) generation(source, field, value string) {
	var models []string
	if m := a1111Params.FindStringIndex(value); m != nil {
		if mm := a1111Model.FindStringSubmatch(value[m[0]:]); mm != nil {
			models = append(models, strings.TrimSpace(mm[1]))
		}
	} else if v := strings.TrimSpace(value); strings.HasPrefix(v, "{") || strings.HasPrefix(v, "[") {
		models = jsonModelNames([]byte(v))
	}
	c.addEvidence(Evidence{Source: source, Field: field, Value: value, Indicates: IndicatesAIGenerated})
	for _, m := range models {
		c.model(source, field, "generation-parameters", m)
	}
}

// jsonModelNames returns the checkpoint, UNet and model names a generator's
// JSON settings mention (ComfyUI "ckpt_name"/"unet_name", InvokeAI
// "model": {"name": ...}, NovelAI "Source"), bounded in depth and count.
func jsonModelNames(data []byte) []string {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return nil
	}
	var out []string
	var walk func(x any, depth int)
	walk = func(x any, depth int) {
		if depth > 32 || len(out) >= 8 {
			return
		}
		switch t := x.(type) {
		case map[string]any:
			for _, k := range sortedKeys(t) {
				val := t[k]
				switch k {
				case "ckpt_name", "unet_name", "model_name", "checkpoint", "base_model", "model", "sd_model_name", "Model", "model_key":
					switch s := val.(type) {
					case string:
						out = append(out, s)
					case map[string]any:
						if n, ok := s["name"].(string); ok {
							out = append(out, n)
						}
					}
				}
				walk(val, depth+1)
			}
		case []any:
			for _, e := range t {
				walk(e, depth+1)
			}
		}
	}
	walk(v, 0)
	return out
}

// finish derives the model, verdict and reason.
func (c *collector) finish() {
	rep := c.rep
	if len(c.models) > 0 {
		best := c.models[0]
		for _, h := range c.models[1:] {
			if h.rank < best.rank {
				best = h
			}
		}
		id := best.id
		rep.AIModel = &id
		ev := best.ev
		rep.AIModelEvidence = &ev
	}
	var ai, nonAI []Evidence
	for _, e := range rep.Evidence {
		switch {
		case aiIndication(e.Indicates):
			ai = append(ai, e)
		case nonAIIndication(e.Indicates):
			nonAI = append(nonAI, e)
		}
	}
	rep.Conflicting = len(ai) > 0 && len(nonAI) > 0
	switch {
	case c.c2paDeclaresAI && c.c2paValid:
		rep.Verdict = VerdictDeclaredAI
		rep.Reason = fmt.Sprintf("a C2PA manifest that validates (%s) declares an AI digital source type (%s)", rep.C2PA.ValidationState, c.declaredTerms())
	case len(ai) > 0:
		rep.Verdict = VerdictHintedAI
		rep.Reason = c.hintReason(ai)
	default:
		rep.Verdict = VerdictNoAIMarking
		rep.Reason = c.noMarkingReason()
	}
	if rep.Conflicting {
		rep.Reason += fmt.Sprintf("; conflicting evidence: %s says %s, %s says %s",
			strongest(nonAI).Field, strongest(nonAI).Indicates, strongest(ai).Field, strongest(ai).Indicates)
	}
}

// strongest picks the evidence to quote: a digital source type first,
// then the first piece.
func strongest(evs []Evidence) Evidence {
	for _, e := range evs {
		if strings.HasSuffix(e.Field, "DigitalSourceType") {
			return e
		}
	}
	return evs[0]
}

// declaredTerms lists the AI source types of the active manifest.
func (c *collector) declaredTerms() string {
	var terms []string
	for _, e := range c.rep.Evidence {
		if e.Source == "c2pa" && aiIndication(e.Indicates) && strings.HasSuffix(e.Field, "DigitalSourceType") {
			term, _, _ := c.vocab.sourceType(e.Value)
			terms = append(terms, term)
		}
	}
	return strings.Join(dedupe(terms), ", ")
}

// hintReason explains a hinted-ai verdict: what in the manifest and what in
// unsigned metadata says AI, and why that is not a marking.
func (c *collector) hintReason(ai []Evidence) string {
	var signed, ingredients, unsigned []string
	for _, e := range ai {
		switch e.Source {
		case "c2pa":
			signed = append(signed, e.Field)
		case "c2pa-ingredient":
			ingredients = append(ingredients, e.Field)
		default:
			unsigned = append(unsigned, e.Field)
		}
	}
	var parts []string
	if len(signed) > 0 {
		sum := c.rep.C2PA
		switch {
		case c.c2paValid:
			parts = append(parts, fmt.Sprintf("a C2PA manifest that validates (%s) says AI in %s but declares no AI digital source type", sum.ValidationState, fieldList(signed)))
		default:
			state := sum.ValidationState
			if len(sum.Failures) > 0 {
				state += ": " + strings.Join(sum.Failures, ", ")
			}
			parts = append(parts, fmt.Sprintf("the C2PA manifest says AI in %s but does not validate (%s)", fieldList(signed), state))
		}
	}
	if len(ingredients) > 0 {
		parts = append(parts, "an ingredient's manifest (not the active one) says AI: "+fieldList(ingredients))
	}
	if len(unsigned) > 0 {
		parts = append(parts, "unsigned metadata says AI: "+fieldList(unsigned))
	}
	if c.rep.HasC2PA && c.rep.C2PA == nil {
		parts = append(parts, "a C2PA manifest store is present but no C2PA reader was configured to validate it")
	}
	return strings.Join(parts, "; ") + "; metadata alone is a hint, not a machine-readable marking"
}

// fieldList names up to four fields.
func fieldList(fields []string) string {
	fields = dedupe(fields)
	if len(fields) > 4 {
		return fmt.Sprintf("%s and %d more", strings.Join(fields[:4], ", "), len(fields)-4)
	}
	return strings.Join(fields, ", ")
}

func (c *collector) noMarkingReason() string {
	switch {
	case c.rep.HasC2PA && c.rep.C2PA == nil:
		return "a C2PA manifest store is present but was not validated (no C2PA reader configured), and no other metadata says AI"
	case c.rep.C2PA != nil && c.rep.C2PA.Error != "":
		return "the C2PA manifest store could not be read (" + c.rep.C2PA.Error + ") and no other metadata says AI"
	case c.rep.HasC2PA && c.declaresSynthetic():
		return "the C2PA manifest declares algorithmic (synthetic, not trained-model) content and no AI digital source type, and no other metadata says AI"
	case c.rep.HasC2PA:
		return "the C2PA manifest declares no AI digital source type and no other metadata says AI"
	case len(c.rep.RawFields) == 0:
		return "the file carries no provenance metadata"
	}
	return "no metadata read says the content is AI-generated"
}

// declaresSynthetic reports whether some evidence declares algorithmic,
// non-AI synthetic content.
func (c *collector) declaresSynthetic() bool {
	for _, e := range c.rep.Evidence {
		if e.Indicates == IndicatesSynthetic {
			return true
		}
	}
	return false
}

func dedupe(s []string) []string {
	seen := map[string]bool{}
	out := s[:0]
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
