#!/usr/bin/env bash
# Installs what Almanac needs to build and run, on Debian, if it is missing.
# Usage: scripts/setup.sh [EXTRA-PACKAGE...]
set -euo pipefail
packages=(build-essential cmake pkg-config libgsl-dev libcsv-dev libjansson-dev nettle-dev libxlsxwriter-dev zlib1g-dev gnuplot-nox fonts-noto-cjk "$@")
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=
[ "$(id -u)" -ne 0 ] && sudo=sudo
echo "setup: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
