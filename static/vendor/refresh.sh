#!/usr/bin/env bash
# Re-fetch the vendored front-end files from the npm registry at their pinned
# versions and copy them into this directory. See README.md.
#
# Usage:  bash static/vendor/refresh.sh        (from any working directory)
#
# Needs: bash, npm (with node), tar, openssl, base64, sha256sum.
# No CDN is involved: tarballs come from the npm registry via `npm pack`,
# and each one is checked against the pinned sha512 integrity below.
set -euo pipefail

VENDOR_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# --- pinned versions and tarball integrities (npm `dist.integrity`) ---------
ECHARTS_VERSION="6.1.0"
ECHARTS_INTEGRITY="sha512-q0yaFPggC9FUdsWH4blavRWFmxdrIodbkoKNAjJudAI6CA9gNPxHtV2RcZNEepZVlk4yvBYkOkbk6HIVpIyHZA=="
ECHARTS_MAP_VERSION="4.9.0"   # last echarts release that shipped map/json/*
ECHARTS_MAP_INTEGRITY="sha512-+ugizgtJ+KmsJyyDPxaw2Br5FqzuBnyOWwcxPKO6y0gc5caYcfnEUIlNStx02necw8jmKmTafmpHhGo4XDtEIA=="
HTMX_VERSION="2.0.11"
HTMX_INTEGRITY="sha512-Thx/WtpeOQqSrqBCw/A1cwGJGg4UrVa3+sW0GmrM3p4gJgO89ecH4qtbnyzDDWFvBTqjnIMCgELTNt636dtamA=="
PICO_VERSION="2.1.1"
PICO_INTEGRITY="sha512-kIDugA7Ps4U+2BHxiNHmvgPIQDWPDU4IeU6TNRdvXQM1uZX+FibqDQT2xUOnnO2yq/LUHcwnGlu1hvf4KfXnMg=="
# -----------------------------------------------------------------------------

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# fetch SPEC INTEGRITY DIRNAME -> unpacks the tarball into $WORK/DIRNAME/package
fetch() {
    local spec="$1" integrity="$2" name="$3" tgz actual
    mkdir -p "$WORK/$name"
    tgz="$(cd "$WORK/$name" && npm pack --silent "$spec" | tail -n 1)"
    actual="sha512-$(openssl dgst -sha512 -binary "$WORK/$name/$tgz" | base64 -w 0)"
    if [[ "$actual" != "$integrity" ]]; then
        echo "integrity mismatch for $spec: got $actual, want $integrity" >&2
        exit 1
    fi
    tar -xzf "$WORK/$name/$tgz" -C "$WORK/$name"
    echo "fetched $spec ($tgz)"
}

# put SRC DEST (DEST relative to VENDOR_DIR)
put() {
    local src="$1" dest="$VENDOR_DIR/$2"
    [[ -f "$src" ]] || { echo "missing in package: $src" >&2; exit 1; }
    mkdir -p "$(dirname "$dest")"
    install -m 0644 "$src" "$dest"
}

fetch "echarts@$ECHARTS_VERSION"      "$ECHARTS_INTEGRITY"     echarts
fetch "echarts@$ECHARTS_MAP_VERSION"  "$ECHARTS_MAP_INTEGRITY" echarts4
fetch "htmx.org@$HTMX_VERSION"        "$HTMX_INTEGRITY"        htmx
fetch "@picocss/pico@$PICO_VERSION"   "$PICO_INTEGRITY"        pico

E="$WORK/echarts/package"
put "$E/dist/echarts.min.js"     echarts/echarts.min.js
put "$E/LICENSE"                 echarts/LICENSE
put "$E/NOTICE"                  echarts/NOTICE
put "$E/licenses/LICENSE-d3"     echarts/licenses/LICENSE-d3

E4="$WORK/echarts4/package"
put "$E4/map/json/province/chongqing.json" echarts-map/chongqing.json
put "$E4/LICENSE"                          echarts-map/LICENSE
put "$E4/NOTICE"                           echarts-map/NOTICE

put "$WORK/htmx/package/dist/htmx.min.js"  htmx/htmx.min.js
put "$WORK/htmx/package/LICENSE"           htmx/LICENSE

put "$WORK/pico/package/css/pico.min.css"  pico/pico.min.css
put "$WORK/pico/package/LICENSE.md"        pico/LICENSE

# Sanity check of the map: 38 features, 6-digit Chongqing codes, compressed.
node -e '
const g = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const ids = g.features.map(f => f.id);
if (g.type !== "FeatureCollection" || g.UTF8Encoding !== true ||
    ids.length !== 38 || !ids.every(i => /^500\d{3}$/.test(i)))
  { console.error("unexpected chongqing.json content"); process.exit(1); }
' "$VENDOR_DIR/echarts-map/chongqing.json"

echo "done; sha256 of vendored files:"
(cd "$VENDOR_DIR" && find echarts echarts-map htmx pico -type f | LC_ALL=C sort | xargs sha256sum)
