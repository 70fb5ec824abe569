#!/bin/sh
# Regenerates the small test files of the scan package with real tools:
# ImageMagick 6 (convert), exiftool 12.57 and the c2pa-rs oracle's sign.mjs
# (node, $PROVGRAPH_ORACLE). Run from this folder: sh gen.sh
#   apt-get install -y libimage-exiftool-perl imagemagick
# The output is not byte-for-byte stable (time stamps, manifest UUIDs,
# signatures); the tests assert only what the files say, not their bytes.
# The certificates are the c2pa-rs test certificates: TEST USE ONLY.
set -eu
ORACLE=${PROVGRAPH_ORACLE:-/tmp/c2pa-oracle}
SHARED=${PROVGRAPH_SHARED:-$(cd ../../.. && pwd)/shared}
CERTS=$SHARED/fixtures/certs/c2pa-rs
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
ET="exiftool -q -overwrite_original"

# 1. JPEG with IPTC/XMP AI fields (DigitalSourceType, AISystemUsed, ...).
convert -size 16x16 gradient:navy-orange "$TMP/base.jpg"
cp "$TMP/base.jpg" xmp-ai.jpg
$ET "-xmp<=ai.xmp" xmp-ai.jpg

# 2. PNG with the same XMP (iTXt XML:com.adobe.xmp).
convert -size 16x16 gradient:navy-orange "$TMP/base.png"
cp "$TMP/base.png" xmp-ai.png
$ET "-xmp<=ai.xmp" xmp-ai.png

# 3. WebP, GIF (plus a comment extension), TIFF, HEIC and AVIF with the XMP.
convert -size 16x16 gradient:navy-orange xmp-ai.webp && $ET "-xmp<=ai.xmp" xmp-ai.webp
convert -size 16x16 gradient:navy-orange -set comment "Generated with AI by provgraph tests" xmp-ai.gif && $ET "-xmp<=ai.xmp" xmp-ai.gif
convert -size 16x16 gradient:navy-orange -compress none xmp-ai.tif && $ET "-xmp<=ai.xmp" -EXIF:Software="DALL-E 3" xmp-ai.tif
convert -size 16x16 gradient:navy-orange xmp-ai.heic && $ET "-xmp<=ai.xmp" -EXIF:Software="Adobe Firefly" xmp-ai.heic
convert -size 16x16 gradient:navy-orange xmp-ai.avif && $ET "-xmp<=ai.xmp" xmp-ai.avif

# (MP4/MOV XMP is covered by the shared fixtures: exiftool cannot write the
# only small MP4 there, a fragmented init segment, and larger ones are too
# big to commit.)

# 4. A JPEG exported by a Stable Diffusion web UI: settings in EXIF UserComment.
PARAMS='a lighthouse at dusk, oil painting
Negative prompt: blurry
Steps: 30, Sampler: DPM++ 2M Karras, CFG scale: 7, Seed: 1234, Size: 1024x1024, Model hash: 31e35c80fc, Model: sd_xl_base_1.0, Version: v1.7.0'
cp "$TMP/base.jpg" a1111.jpg
$ET -EXIF:UserComment="$PARAMS" a1111.jpg

# 4b. Legacy IPTC-IIM (APP13) only: a credit line and the generating program.
cp "$TMP/base.jpg" iptc-ai.jpg
$ET -IPTC:Credit="Made with Google AI" -IPTC:OriginatingProgram="Imagen 3" -IPTC:By-line="provgraph tests" iptc-ai.jpg

# 5. PNGs as the generators write them (tEXt/zTXt chunks).
convert "$TMP/base.png" -set parameters "$PARAMS" a1111.png
PROMPT='{"3":{"inputs":{"seed":42,"steps":20,"cfg":3.5,"sampler_name":"euler","model":["4",0]},"class_type":"KSampler"},"4":{"inputs":{"ckpt_name":"flux1-dev-fp8.safetensors"},"class_type":"CheckpointLoaderSimple"},"6":{"inputs":{"text":"a lighthouse at dusk","clip":["4",1]},"class_type":"CLIPTextEncode"}}'
WORKFLOW='{"last_node_id":6,"nodes":[{"id":4,"type":"CheckpointLoaderSimple","widgets_values":["flux1-dev-fp8.safetensors"]},{"id":3,"type":"KSampler","widgets_values":[42,"fixed",20,3.5,"euler","simple",1]}],"version":0.4}'
convert "$TMP/base.png" -set prompt "$PROMPT" -set workflow "$WORKFLOW" comfyui.png
convert "$TMP/base.png" -set Software "NovelAI" -set Source "NovelAI Diffusion V4 4F49EC75" -set Title "AI generated image" \
  -set Comment '{"prompt":"a lighthouse at dusk","steps":28,"sampler":"k_euler_ancestral","scale":5,"seed":1}' novelai.png
convert "$TMP/base.png" -set invokeai_metadata '{"generation_mode":"txt2img","positive_prompt":"a lighthouse","model":{"name":"stable-diffusion-v1-5","base":"sd-1"},"steps":30}' invokeai.png

# 6. C2PA-signed files (c2pa-rs test certificate, trusted through
#    anchors-all.pem): one declaring AI, one declaring a camera capture over
#    unsigned XMP that says AI (conflicting evidence), one declaring AI in a
#    file whose plain metadata says nothing.
IPTC=http://cv.iptc.org/newscodes/digitalsourcetype
node "$ORACLE/sign.mjs" "$TMP/base.jpg" c2pa-ai.jpg --cert "$CERTS/es256.pub" --key "$CERTS/es256.pem" --alg es256 \
  --title c2pa-ai.jpg --digital-source-type "$IPTC/trainedAlgorithmicMedia" >/dev/null
node "$ORACLE/sign.mjs" xmp-ai.jpg conflict.jpg --cert "$CERTS/es256.pub" --key "$CERTS/es256.pem" --alg es256 \
  --title conflict.jpg --digital-source-type "$IPTC/digitalCapture" >/dev/null
node "$ORACLE/sign.mjs" "$TMP/base.png" c2pa-capture.png --cert "$CERTS/es256.pub" --key "$CERTS/es256.pem" --alg es256 \
  --title c2pa-capture.png --digital-source-type "$IPTC/digitalCapture" >/dev/null
# A signed AI file whose signature is then broken: appending a JPEG COM
# segment changes the hashed bytes, so the manifest no longer validates.
cp c2pa-ai.jpg c2pa-ai-tampered.jpg
$ET -Comment="edited after signing" c2pa-ai-tampered.jpg

ls -l
