#!/usr/bin/env bash
# Installs Helm (built from source with `go install`, the Go module proxy being the registry this project can
# reach) into ~/.cache/ticketstream/bin and prints the binary's path. Idempotent: returns at once when the
# pinned version is already there. Override the location with TICKETSTREAM_TOOLS_BIN, the version with HELM_VERSION.
set -euo pipefail
HELM_VERSION="${HELM_VERSION:-v3.22.0}"
BIN_DIR="${TICKETSTREAM_TOOLS_BIN:-${XDG_CACHE_HOME:-$HOME/.cache}/ticketstream/bin}"
HELM="$BIN_DIR/helm"
STAMP="$BIN_DIR/.helm-$HELM_VERSION"

if [ -x "$HELM" ] && [ -f "$STAMP" ]; then
  echo "$HELM"
  exit 0
fi
if ! command -v go >/dev/null 2>&1; then
  for candidate in /usr/local/go/bin/go /usr/lib/go/bin/go; do
    [ -x "$candidate" ] && PATH="$(dirname "$candidate"):$PATH" && break
  done
fi
command -v go >/dev/null 2>&1 || { echo "install-helm.sh: Go is needed to build Helm (https://go.dev/dl/)" >&2; exit 1; }

mkdir -p "$BIN_DIR"
echo "install-helm.sh: building helm $HELM_VERSION with go install (a few minutes, once)" >&2
GOBIN="$BIN_DIR" CGO_ENABLED=0 GOFLAGS="-trimpath" go install "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" >&2
"$HELM" version --short >&2
rm -f "$BIN_DIR"/.helm-v* && touch "$STAMP"
echo "$HELM"
