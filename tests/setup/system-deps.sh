#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages the tests need, when they are missing. Safe to run again.
# Later features add their packages to PACKAGES (Kamailio, rtpengine, baresip, ffmpeg ...).
set -euo pipefail

PACKAGES=(chromium fonts-noto-cjk ffmpeg kamailio kamailio-websocket-modules kamailio-utils-modules rtpengine-daemon baresip-core kannel ceph-mon ceph-osd radosgw)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "system-deps: these packages are needed and this is not a Debian/Ubuntu machine: ${missing[*]}" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then SUDO="sudo"; else
    echo "system-deps: need root (or sudo) to install: ${missing[*]}" >&2
    exit 1
  fi
fi
echo "system-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
