#!/usr/bin/env bash
# Install the Debian packages the portal needs, or say in one line what is missing.
#   scripts/system_deps.sh run    gettext and WeasyPrint's libraries
#   scripts/system_deps.sh test   the same, plus Chromium and poppler (pdftotext/pdftoppm)
set -euo pipefail
need=(gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)
if [ "${1:-run}" = "test" ]; then
  need+=(chromium poppler-utils)
fi
missing=()
for pkg in "${need[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Missing system packages; run: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
