#!/usr/bin/env bash
# Vendor the NHS.UK frontend (CSS, JS, images) from the npm registry into web/static.
# The service never fetches assets at run time; run this only to change the version, then commit.
# The version must match nhsuk-frontend-jinja in requirements.txt (its README has the table).
set -euo pipefail
VERSION="${1:-10.6.1}"
AXE_VERSION="${AXE_VERSION:-4.14.1}"   # axe-core, for the browser tests' accessibility checks (MPL-2.0)
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "nhsuk-frontend@${VERSION}" >/dev/null && tar xzf "nhsuk-frontend-${VERSION}.tgz")
dist="$work/package/dist/nhsuk"
out="web/static"
rm -rf "$out/nhsuk" "$out/images" "$out/manifest.json"
mkdir -p "$out/nhsuk" "$out/images"
cp "$dist/nhsuk-frontend.min.css" "$dist/nhsuk-frontend.min.js" "$out/nhsuk/"
cp "$dist/assets/images/"* "$out/images/"
cp "$dist/assets/manifest.json" "$out/manifest.json"
cp "$work/package/package.json" "$out/nhsuk/package.json"
echo "nhsuk-frontend ${VERSION} vendored into $out (served at /assets/)"

(cd "$work" && npm pack --silent "axe-core@${AXE_VERSION}" >/dev/null && mkdir axe && tar xzf "axe-core-${AXE_VERSION}.tgz" -C axe)
mkdir -p tests/browser/vendor
cp "$work/axe/package/axe.min.js" tests/browser/vendor/axe.min.js
cp "$work/axe/package/LICENSE" tests/browser/vendor/axe-core-LICENSE
echo "axe-core ${AXE_VERSION} vendored into tests/browser/vendor (used by the browser tests only)"
