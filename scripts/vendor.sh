#!/usr/bin/env bash
# Refresh the pinned front-end files under static/vendor/ from the npm registry (npm pack).
# Run by a developer when a version changes; the files are committed, so neither Node nor
# the network is needed to run Houqin.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/static/vendor"
BOOTSTRAP=5.3.9
ICONS=1.13.2
HTMX=2.0.11
JSQR=1.4.0 # QR decoder for stocktake scanning where BarcodeDetector is missing (Apache-2.0)
ECHARTS=6.1.0 # charts of the dashboards and reports (Apache-2.0)

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
fetch() { npm pack --silent "$1@$2" >/dev/null && mkdir -p "$1" && tar -xzf "$1-$2.tgz" -C "$1"; }
fetch bootstrap "$BOOTSTRAP"
fetch bootstrap-icons "$ICONS"
fetch htmx.org "$HTMX"
fetch jsqr "$JSQR"
fetch echarts "$ECHARTS"

rm -rf "$DEST" && mkdir -p "$DEST"/{bootstrap,bootstrap-icons/fonts,htmx,jsqr,echarts}
cp bootstrap/package/dist/css/bootstrap.min.css "$DEST/bootstrap/"
cp bootstrap/package/dist/js/bootstrap.bundle.min.js "$DEST/bootstrap/"
cp bootstrap/package/LICENSE "$DEST/bootstrap/LICENSE"
cp bootstrap-icons/package/font/bootstrap-icons.min.css "$DEST/bootstrap-icons/"
cp bootstrap-icons/package/font/fonts/bootstrap-icons.woff2 "$DEST/bootstrap-icons/fonts/"
cp bootstrap-icons/package/font/fonts/bootstrap-icons.woff "$DEST/bootstrap-icons/fonts/"
cp bootstrap-icons/package/LICENSE "$DEST/bootstrap-icons/LICENSE"
cp htmx.org/package/dist/htmx.min.js "$DEST/htmx/"
cp htmx.org/package/LICENSE "$DEST/htmx/LICENSE"
cp jsqr/package/dist/jsQR.js "$DEST/jsqr/"
cp jsqr/package/LICENSE "$DEST/jsqr/LICENSE"
cp echarts/package/dist/echarts.min.js "$DEST/echarts/"
cp echarts/package/LICENSE echarts/package/NOTICE "$DEST/echarts/"
cat >"$DEST/VERSIONS" <<V
bootstrap $BOOTSTRAP
bootstrap-icons $ICONS
htmx.org $HTMX
jsqr $JSQR
echarts $ECHARTS
V
# Source maps are referenced but not shipped; drop the references.
sed -i '/sourceMappingURL/d' "$DEST/bootstrap/bootstrap.min.css" "$DEST/bootstrap/bootstrap.bundle.min.js"
echo "vendored into $DEST:"; cat "$DEST/VERSIONS"
