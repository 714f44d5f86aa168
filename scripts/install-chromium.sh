#!/usr/bin/env bash
# Installs Debian's headless-capable Chromium for the report rendering test. Idempotent and quick when
# /usr/bin/chromium is already there. Needs root (or passwordless sudo) the first time.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else
    echo "install-chromium.sh: /usr/bin/chromium is missing and this is not root; run: apt-get install -y chromium" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
# A lock held by another installer (a parallel session) is waited for, not treated as failure.
$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends chromium \
  || { $SUDO apt-get -o DPkg::Lock::Timeout=600 update && \
       $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends chromium; }
test -x /usr/bin/chromium
