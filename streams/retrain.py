"""`ticketstream train classifier --from-clickhouse`: the pipeline's history, human labels only, a new artifact.

The glue between settings, the ClickHouse reader (sinks/clickhouse/history.py) and the pure label and training
logic (processors/classification/history_labels.py, training.py), kept out of the CLI module.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from streams.settings import Settings


def train_classifier_from_clickhouse(settings: Settings, fields: Sequence[str], label_tags: Sequence[str] = (), *,
                                     out_dir: Path, tenant: str | None = None, since: datetime | None = None,
                                     until: datetime | None = None) -> dict[str, Any]:
    """Read redacted tickets and their agents' label tags, train, save to `out_dir`; return the metrics.

    Raises ValueError for bad label tags and `NotEnoughLabels` (a ValueError) when the selection is too small;
    nothing is written then, so a working artifact is never replaced by a worse one trained on a handful.
    """
    from processors.classification.history_labels import label_prefixes, labelled_tickets, pipeline_tag_prefixes
    from processors.classification.training import train_classifier_from_labelled
    from sinks.clickhouse.factory import open_client
    from sinks.clickhouse.history import labelled_ticket_history

    own = pipeline_tag_prefixes(settings.load_tenants())
    prefixes = label_prefixes(fields, label_tags, own)
    client = open_client(settings.clickhouse_url, settings.chdb_path)
    try:
        rows = labelled_ticket_history(client, settings.clickhouse_database, prefixes, exclude_prefixes=sorted(own),
                                       tenant=tenant, since=since, until=until)
    finally:
        client.close()
    chosen = labelled_tickets(rows, prefixes)
    selection = {"tenant": tenant, "from": since.isoformat() if since else None,
                 "to": until.isoformat() if until else None}
    dataset = "clickhouse:" + settings.clickhouse_database + "".join(
        f" {k}={v}" for k, v in selection.items() if v is not None)
    report = {"source": "ClickHouse ticket_events: first redacted text, labels from helpdesk tags",
              "selection": selection, **chosen.stats}
    return train_classifier_from_labelled(chosen.texts, chosen.labels, out_dir, dataset=dataset, report=report)
