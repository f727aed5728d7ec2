#!/usr/bin/env bash
# Installs what WeasyPrint and the translations need from Debian/Ubuntu when run as root;
# otherwise prints the one apt-get line to run and stops.
set -euo pipefail
missing=()
for pkg in "$@"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null; then
  echo "Missing system libraries: ${missing[*]} (install them with your package manager)." >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "CoopSupport needs these system packages. Run this once, then 'make run' again:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
