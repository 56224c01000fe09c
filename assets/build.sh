#!/usr/bin/env bash
# Build Engage's front-end assets (GOV.UK Frontend, Engage branding).
#
# Run from anywhere:  bash assets/build.sh   (or: cd assets && ./build.sh)
#
# Inputs : assets/package.json + package-lock.json (pinned versions),
#          assets/scss/, assets/js/, assets/icons/make_icons.py
# Outputs: engage/core/static/engage/   (committed; everything in it is built,
#                                        so edit the inputs, not the outputs)
#            css/engage.css             compiled, compressed
#            js/govuk-frontend.min.js   GOV.UK Frontend ES module bundle (+ .map)
#            js/init.js                 starts GOV.UK Frontend (type="module")
#            js/body-classes.js         classic script, first thing in <body>
#            assets/images/             Engage favicon + icons (no crown)
#            assets/manifest.json       web app manifest
#            VERSION                    versions + build date
#            SHA256SUMS                 checksums of all the above
#          tests/browser/vendor/axe.min.js + AXE_VERSION
#
# Deterministic: running it twice gives byte-identical output. The build date
# in VERSION is kept unless an input changed (or SOURCE_DATE_EPOCH is set).
set -euo pipefail

ASSETS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$ASSETS_DIR/.." && pwd)"
OUT_DIR="$REPO_DIR/engage/core/static/engage"
AXE_DIR="$REPO_DIR/tests/browser/vendor"
PYTHON="${PYTHON:-python3}"

export LC_ALL=C TZ=UTC

cd "$ASSETS_DIR"

# --- 1. Dependencies ----------------------------------------------------------
# Reinstall from the lockfile when node_modules is missing or does not match the
# pinned versions in package.json. --ignore-scripts: the only install script in
# the tree belongs to sass's optional file watcher (@parcel/watcher), which a
# one-shot build does not use.
installed_matches_pins() {
  node -e '
    const pins = require("./package.json").devDependencies;
    for (const [name, want] of Object.entries(pins)) {
      let have;
      try { have = require(`./node_modules/${name}/package.json`).version; } catch { process.exit(1); }
      if (have !== want) process.exit(1);
    }
  ' 2>/dev/null
}
if [[ ! -d node_modules ]] || ! installed_matches_pins; then
  echo "build.sh: installing pinned packages (npm ci)" >&2
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
fi

pkg_version() { node -p "require('./node_modules/$1/package.json').version"; }
GOVUK_VERSION="$(pkg_version govuk-frontend)"
SASS_VERSION="$(pkg_version sass)"
AXE_VERSION="$(pkg_version axe-core)"
GOVUK_DIST="node_modules/govuk-frontend/dist/govuk"

# --- 2. Stage the build in a temporary directory ------------------------------
STAGE="$(mktemp -d)"
trap 'rm -rf "$STAGE"' EXIT
mkdir -p "$STAGE/out/css" "$STAGE/out/js" "$STAGE/out/assets/images" "$STAGE/axe"

# Sass. Any output on stderr (deprecation or other warnings) fails the build:
# GOV.UK Frontend 6 compiles cleanly with the module system, so nothing needs
# --quiet-deps.
if ! node_modules/.bin/sass \
  --pkg-importer=node \
  --load-path=node_modules \
  --style=compressed \
  --no-source-map \
  scss/engage.scss "$STAGE/out/css/engage.css" 2>"$STAGE/sass.log"; then
  cat "$STAGE/sass.log" >&2
  exit 1
fi
if [[ -s "$STAGE/sass.log" ]]; then
  cat "$STAGE/sass.log" >&2
  echo "build.sh: Sass printed warnings (see above); fix them rather than hiding them." >&2
  exit 1
fi

# JavaScript: GOV.UK Frontend's ES module bundle, unmodified, with its source
# map (the bundle's last line names it), plus Engage's two small loaders.
install -m 0644 "$GOVUK_DIST/govuk-frontend.min.js" "$GOVUK_DIST/govuk-frontend.min.js.map" "$STAGE/out/js/"
install -m 0644 js/init.js js/body-classes.js "$STAGE/out/js/"

# Images: every image GOV.UK Frontend ships (favicons, app icons, crest,
# Open Graph image) carries the crown or the royal crest, so none is copied.
# Engage's own mark is drawn by make_icons.py. No fonts are copied either:
# GDS Transport is for GOV.UK only, and Engage uses system fonts.
"$PYTHON" icons/make_icons.py "$STAGE/out/assets/images"
chmod 0644 "$STAGE/out/assets/images/"*

cat >"$STAGE/out/assets/manifest.json" <<'JSON'
{
  "name": "Engage",
  "short_name": "Engage",
  "theme_color": "#0b3d3a",
  "background_color": "#ffffff",
  "icons": [
    { "src": "images/favicon.ico", "type": "image/x-icon", "sizes": "16x16 32x32 48x48" },
    { "src": "images/favicon.svg", "type": "image/svg+xml", "sizes": "any", "purpose": "any" },
    { "src": "images/engage-icon-180.png", "type": "image/png", "sizes": "180x180", "purpose": "maskable" },
    { "src": "images/engage-icon-192.png", "type": "image/png", "sizes": "192x192", "purpose": "maskable" },
    { "src": "images/engage-icon-512.png", "type": "image/png", "sizes": "512x512", "purpose": "maskable" },
    { "src": "images/engage-icon-mask.svg", "type": "image/svg+xml", "sizes": "any", "purpose": "monochrome" }
  ]
}
JSON

# axe-core for the browser accessibility tests.
install -m 0644 node_modules/axe-core/axe.min.js "$STAGE/axe/axe.min.js"
printf '%s\n' "$AXE_VERSION" >"$STAGE/axe/AXE_VERSION"

# --- 3. Checks on the output ---------------------------------------------------
CSS="$STAGE/out/css/engage.css"
fail() { echo "build.sh: check failed: $*" >&2; exit 1; }
grep -q '@font-face' "$CSS" && fail "engage.css contains @font-face (GDS Transport must not be bundled)"
grep -qi 'GDS Transport' "$CSS" && fail "engage.css mentions GDS Transport"
grep -qiE 'url\([^)]*(crest|crown|govuk-icon|govuk-opengraph|favicon)' "$CSS" && fail "engage.css references a GOV.UK crown/crest image"
for cls in govuk-header govuk-button govuk-error-summary govuk-summary-list govuk-notification-banner \
  govuk-tag govuk-panel govuk-template__body engage-result engage-marker engage-distressing; do
  grep -q "\\.$cls[^a-z_-]" "$CSS" || fail "engage.css lacks .$cls"
done
# Every url() in the CSS must resolve to a built file (ManifestStaticFilesStorage
# refuses to collect a stylesheet whose url()s point at missing files).
while IFS= read -r ref; do
  [[ -f "$STAGE/out/css/$ref" ]] || fail "engage.css refers to missing file $ref"
done < <(grep -oE 'url\("?[^")]+' "$CSS" | sed -E 's/^url\("?//' | sort -u)
grep -q "export{.*initAll" "$STAGE/out/js/govuk-frontend.min.js" || fail "govuk-frontend.min.js does not export initAll"
ls "$STAGE/out/assets/images" | grep -qiE 'crown|crest|govuk' && fail "a GOV.UK image was copied"

# --- 4. VERSION and checksums ---------------------------------------------------
# The inputs hash covers everything that shapes the output. The build date is
# carried over from the existing VERSION when the inputs are unchanged, so a
# rebuild is byte-identical; SOURCE_DATE_EPOCH overrides it.
INPUTS_SHA="$(cat package.json package-lock.json build.sh icons/make_icons.py scss/*.scss js/*.js | sha256sum | cut -d' ' -f1)"
BUILD_DATE=""
if [[ -n "${SOURCE_DATE_EPOCH:-}" ]]; then
  BUILD_DATE="$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%d)"
elif [[ -f "$OUT_DIR/VERSION" ]] && grep -qx "inputs-sha256=$INPUTS_SHA" "$OUT_DIR/VERSION"; then
  BUILD_DATE="$(sed -n 's/^built=//p' "$OUT_DIR/VERSION")"
fi
[[ -n "$BUILD_DATE" ]] || BUILD_DATE="$(date -u +%Y-%m-%d)"

cat >"$STAGE/out/VERSION" <<EOF
# Engage front-end build (written by assets/build.sh; do not edit)
govuk-frontend=$GOVUK_VERSION
sass=$SASS_VERSION
axe-core=$AXE_VERSION
built=$BUILD_DATE
inputs-sha256=$INPUTS_SHA
EOF

(cd "$STAGE/out" && find . -type f ! -name SHA256SUMS | sed 's|^\./||' | sort | xargs sha256sum >SHA256SUMS)

# --- 5. Put the output in place -----------------------------------------------
mkdir -p "$OUT_DIR" "$AXE_DIR"
rm -rf "$OUT_DIR/css" "$OUT_DIR/js" "$OUT_DIR/assets"
cp -R "$STAGE/out/." "$OUT_DIR/"
install -m 0644 "$STAGE/axe/axe.min.js" "$STAGE/axe/AXE_VERSION" "$AXE_DIR/"

echo "build.sh: govuk-frontend $GOVUK_VERSION, sass $SASS_VERSION, axe-core $AXE_VERSION -> ${OUT_DIR#"$REPO_DIR"/}"
