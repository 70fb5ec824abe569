package scan

import (
	"errors"
	"os"
	"strings"
	"testing"
)

func TestParseXMP(t *testing.T) {
	const head = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">`
	const tail = `</rdf:RDF></x:xmpmeta>`
	cases := []struct {
		name string
		xmp  string
		want map[string]string
		err  bool
	}{
		{"attribute shorthand", head + `<rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreatorTool="Firefly"/>` + tail,
			map[string]string{"CreatorTool": "Firefly"}, false},
		{"element value", head + `<rdf:Description xmlns:I="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"><I:DigitalSourceType>http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia</I:DigitalSourceType></rdf:Description>` + tail,
			map[string]string{"DigitalSourceType": "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"}, false},
		{"rdf:resource", head + `<rdf:Description xmlns:I="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"><I:DigitalSourceType rdf:resource="http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture"/></rdf:Description>` + tail,
			map[string]string{"DigitalSourceType": "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture"}, false},
		{"lang alt and seq", head + `<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator><rdf:Seq><rdf:li>Ann</rdf:li><rdf:li>Bob</rdf:li></rdf:Seq></dc:creator><dc:description><rdf:Alt><rdf:li xml:lang="x-default">AI generated</rdf:li></rdf:Alt></dc:description></rdf:Description>` + tail,
			map[string]string{"Creator": "Ann|Bob", "Description": "AI generated"}, false},
		{"struct in seq", head + `<rdf:Description xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/" xmlns:stEvt="http://ns.adobe.com/xap/1.0/sType/ResourceEvent#"><xmpMM:History><rdf:Seq><rdf:li stEvt:action="created" stEvt:softwareAgent="Adobe Photoshop 25.0"/></rdf:Seq></xmpMM:History></rdf:Description>` + tail,
			map[string]string{"HistoryAction": "created", "HistorySoftwareAgent": "Adobe Photoshop 25.0"}, false},
		{"parseType resource", head + `<rdf:Description xmlns:a="urn:a"><a:Outer rdf:parseType="Resource"><a:inner>v</a:inner></a:Outer></rdf:Description>` + tail,
			map[string]string{"OuterInner": "v"}, false},
		{"trailing NUL padding", head + `<rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreatorTool="x"/>` + tail + "\x00\x00\x00garbage",
			map[string]string{"CreatorTool": "x"}, false},
		{"unbalanced", head + `<rdf:Description>` + `</rdf:RDF>`, nil, true},
		{"too deep", head + strings.Repeat("<a:b xmlns:a=\"urn:a\">", 100) + strings.Repeat("</a:b>", 100) + tail, nil, true},
		{"not xml", "\xff\xfe<<<", nil, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := map[string][]string{}
			err := parseXMP([]byte(tc.xmp), func(k, v string) { got[k] = append(got[k], v) })
			if tc.err {
				var fe *FormatError
				if !errors.As(err, &fe) {
					t.Fatalf("err = %v, want a FormatError", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range tc.want {
				if g := strings.Join(got[k], "|"); g != v {
					t.Errorf("%s = %q, want %q (all: %v)", k, g, v, got)
				}
			}
		})
	}
}

// The XMP exiftool wrote from testdata/ai.xmp parses to the fields the
// scanner judges with.
func TestParseXMPFile(t *testing.T) {
	data, err := os.ReadFile("testdata/ai.xmp")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	if err := parseXMP(data, func(k, v string) { got[k] = v }); err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{
		"CreatorTool": "Midjourney", "Credit": "Made with AI", "AISystemUsed": "Midjourney v6.1",
		"DataMining": "http://ns.useplus.org/ldf/vocab/DMI-PROHIBITED-AIMLTRAINING", "Creator": "provgraph test suite",
	} {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
}

func TestVocabulary(t *testing.T) {
	v, err := parseVocab(vocabJSON)
	if err != nil {
		t.Fatal(err)
	}
	models := []struct{ in, want string }{
		{"DALL·E 3", "dall-e-3"},
		{"dall-e-2", "dall-e-2"},
		{"OpenAI gpt-image-1", "gpt-image-1"},
		{"Adobe Firefly", "adobe-firefly"},
		{"Midjourney v6.1", "midjourney"},
		{"sd_xl_base_1.0", "stable-diffusion-xl"},
		{"v1-5-pruned-emaonly", "stable-diffusion-1.5"},
		{"stable-diffusion-v1-5", "stable-diffusion-1.5"},
		{"flux1-dev-fp8.safetensors", "flux-1-dev"},
		{"FLUX 1.1 [pro]", "flux-1.1-pro"},
		{"FLUX.1 [dev]", "flux-1-dev"},
		{"FLUX 1.1 [pro] Ultra", "flux-1.1-pro-ultra"},
		{"flux-1.1-pro", "flux-1.1-pro"},
		{"Titan Image Generator G1", "amazon-titan"},
		{"Image Creator from Designer", "bing-image-creator"},
		{"Google Imagen 3", "imagen"},
		{"imagen-3.0-generate-002", "imagen"},
		{"Editor de imagen", ""},
		{"Kendall Edwards", ""},
		{"DALL-E", "dall-e"},
		{"OpenAI DALL·E 3 via ChatGPT", "dall-e-3"},
		{"Sora", "sora"},
		{"ChatGPT", "chatgpt"},
		{"OpenAI-API", "openai"},
		{"NovelAI", "novelai"},
		{"Adobe Photoshop 25.0", ""},
		{"Pixel 8 Pro", ""},
		{"Lavf58.76.100", ""},
		{"Suno v4", "suno"},
		{"Image Playground", "apple-image-playground"},
		{"ElevenLabs", "elevenlabs"},
		{"Audio Studio", ""},
	}
	for _, m := range models {
		if got := v.matchModel(m.in); got != m.want {
			t.Errorf("matchModel(%q) = %q, want %q", m.in, got, m.want)
		}
	}
	types := []struct{ in, term, ind string }{
		{"http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia", "trainedAlgorithmicMedia", IndicatesAIGenerated},
		{"https://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia", "compositeWithTrainedAlgorithmicMedia", IndicatesAIComposite},
		{"digsrctype:digitalCapture", "digitalCapture", IndicatesCaptured},
		{"http://c2pa.org/digitalsourcetype/trainedAlgorithmicData", "trainedAlgorithmicData", IndicatesAIGenerated},
		{"http://c2pa.org/digitalsourcetype/empty", "empty", IndicatesUnspecified},
		{"algorithmicMedia", "algorithmicMedia", IndicatesSynthetic},
		{"TrainedAlgorithmicMedia", "trainedAlgorithmicMedia", IndicatesAIGenerated},
	}
	for _, tc := range types {
		term, ind, ok := v.sourceType(tc.in)
		if !ok || term != tc.term || ind != tc.ind {
			t.Errorf("sourceType(%q) = %q, %q, %v", tc.in, term, ind, ok)
		}
	}
	if _, _, ok := v.sourceType("http://example.com/madeUp"); ok {
		t.Error("an unknown source type was accepted")
	}
	for _, s := range []string{"AI generated", "Made with Google AI", "generated by AI"} {
		if !v.saysAI(s) {
			t.Errorf("saysAI(%q) = false", s)
		}
	}
	for _, s := range []string{"Said the painter", "Email: ai@example.com", "Maid with care"} {
		if v.saysAI(s) {
			t.Errorf("saysAI(%q) = true", s)
		}
	}
}
