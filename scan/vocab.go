package scan

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"sync"
)

//go:embed vocab.json
var vocabJSON []byte

// vocabulary is the parsed form of vocab.json: the data the scanner judges
// with, kept out of the code so it can be extended without touching it.
type vocabulary struct {
	sourceTypes map[string]string
	modelRank   map[string]int
	models      []modelPattern
	aiPhrases   []*regexp.Regexp
}

type modelPattern struct {
	id string
	re []*regexp.Regexp
}

var loadVocab = sync.OnceValue(func() *vocabulary {
	v, err := parseVocab(vocabJSON)
	if err != nil {
		panic(err) // vocab.json is compiled in; TestVocabulary keeps it valid
	}
	return v
})

func parseVocab(data []byte) (*vocabulary, error) {
	var raw struct {
		DigitalSourceTypes map[string]string `json:"digitalSourceTypes"`
		ModelFields        []string          `json:"modelFields"`
		Models             []struct {
			ID       string   `json:"id"`
			Patterns []string `json:"patterns"`
		} `json:"models"`
		AIPhrases []string `json:"aiPhrases"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("vocab.json: %w", err)
	}
	v := &vocabulary{sourceTypes: raw.DigitalSourceTypes, modelRank: map[string]int{}}
	for i, f := range raw.ModelFields {
		v.modelRank[f] = i
	}
	for _, m := range raw.Models {
		mp := modelPattern{id: m.ID}
		for _, p := range m.Patterns {
			re, err := regexp.Compile("(?i)" + p)
			if err != nil {
				return nil, fmt.Errorf("vocab.json: model %s: %w", m.ID, err)
			}
			mp.re = append(mp.re, re)
		}
		v.models = append(v.models, mp)
	}
	for _, p := range raw.AIPhrases {
		re, err := regexp.Compile("(?i)" + p)
		if err != nil {
			return nil, fmt.Errorf("vocab.json: aiPhrases: %w", err)
		}
		v.aiPhrases = append(v.aiPhrases, re)
	}
	return v, nil
}

// maxModelText bounds how much of a value is matched against the model
// patterns: generator names are short, and a long value (a description, a
// base64 blob) must not cost a regexp pass per pattern over all of it.
const maxModelText = 1024

// matchModel returns the id of the first model whose pattern matches s.
func (v *vocabulary) matchModel(s string) string {
	s = s[:min(len(s), maxModelText)]
	for _, m := range v.models {
		for _, re := range m.re {
			if re.MatchString(s) {
				return m.id
			}
		}
	}
	return ""
}

// sourceType classifies a digital source type given as an IRI
// (http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia),
// a QCode (digsrctype:...) or a bare term. It returns the term and what it
// indicates, or ok=false for a value outside the vocabulary.
func (v *vocabulary) sourceType(value string) (term, indicates string, ok bool) {
	s := strings.TrimSpace(value)
	if i := strings.LastIndexAny(s, "/:#"); i >= 0 {
		s = s[i+1:]
	}
	ind, ok := v.sourceTypes[s]
	if !ok {
		// Tolerate case slips such as "TrainedAlgorithmicMedia".
		for k, val := range v.sourceTypes {
			if strings.EqualFold(k, s) {
				return k, val, true
			}
		}
		return s, "", false
	}
	return s, ind, true
}

// saysAI reports whether free text claims AI generation.
func (v *vocabulary) saysAI(s string) bool {
	for _, re := range v.aiPhrases {
		if re.MatchString(s) {
			return true
		}
	}
	return false
}
