"""Human labels for retraining the local classifier from the pipeline's own history (ClickHouse).

What ClickHouse keeps per event: the helpdesk's fields as the connector mapped them (tags, priority, status,
queue; custom fields are not stored) and the pipeline's own predictions (category, intent, priority_pred,
sentiment). The predictions are not ground truth: a model retrained on them learns its own mistakes back.
No column holds an agent's final category — except the tags. Helpdesks put categories there: a Zendesk
drop-down ticket field adds its option's tag to the ticket, and agents, macros and triggers tag tickets in
every helpdesk. So a field's label is a tag with that field's prefix (`category_billing` → category
`billing`), read from the latest event of the ticket that carries one, so an agent's correction wins.

The pipeline writes tags back too (the outbound planner's `tag_prefix`, `ts_` by default: `ts_category_...`),
and they come back on the next helpdesk event: they echo the predictions and never count. A label prefix
that overlaps one of them is refused.

The text is the ticket's first redacted subject and body, as the classifier saw it live (PII placeholders
included), so training and inference see the same kind of text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

MIN_LABELLED_TICKETS = 50
"""Below this a retrained model is noise; the command refuses rather than overwrite a working artifact."""
MIN_EXAMPLES_PER_LABEL = 10
"""Calibration needs 3 examples of a label in the 80% training split; 10 keeps that safe. Rarer labels are left
out (and reported): the model cannot learn them from so few tickets anyway."""

_LABEL = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
"""`schemas.base.Label`: a label outside it would fail every ticket it is predicted for."""


class NotEnoughLabels(ValueError):
    """The selection has too few human-labelled tickets to train on; the message says what was found."""


def pipeline_tag_prefixes(tenants: Mapping[str, Any]) -> set[str]:
    """The tag prefixes the outbound planner writes with: the default and every tenant's own."""
    from processors.outbound_planner import PlannerConfig, planner_configs

    return {PlannerConfig().tag_prefix, *(cfg.tag_prefix for cfg in planner_configs(tenants).values())}


def label_prefixes(fields: Sequence[str], given: Iterable[str] = (),
                   pipeline_prefixes: Iterable[str] = ("ts_",)) -> dict[str, str]:
    """Each field's tag prefix from `FIELD=PREFIX` settings (default `<field>_`), checked.

    Refused: an unknown field, an empty prefix, two fields whose prefixes overlap (one tag would label both),
    and a prefix that overlaps a pipeline prefix (the pipeline's echoed predictions would become labels).
    """
    prefixes = {f: f"{f}_" for f in fields}
    for item in given:
        name, sep, prefix = item.partition("=")
        name = name.strip()
        if not sep or not prefix.strip():
            raise ValueError(f"label tag {item!r}: write FIELD=PREFIX, e.g. category=category_")
        if name not in prefixes:
            raise ValueError(f"label tag {item!r}: {name!r} is not one of the fields to train ({', '.join(fields)})")
        prefixes[name] = prefix.strip()
    ordered = sorted(prefixes.items(), key=lambda kv: kv[1])
    for (a, pa), (b, pb) in pairwise(ordered):
        if pb.startswith(pa):
            raise ValueError(f"tag prefixes of {a!r} ({pa!r}) and {b!r} ({pb!r}) overlap: one tag would label both")
    for name, prefix in prefixes.items():
        for own in pipeline_prefixes:
            if prefix.startswith(own) or own.startswith(prefix):
                raise ValueError(f"tag prefix {prefix!r} of {name!r} overlaps {own!r}, the prefix of the tags the "
                                 "pipeline writes back (its own predictions, not human labels)")
    return prefixes


@dataclass
class LabelledTickets:
    """Texts and aligned labels per field, with what was left out and why (for the training report)."""

    texts: list[str] = field(default_factory=list)
    labels: dict[str, list[str]] = field(default_factory=dict)
    stats: dict[str, Any] = field(default_factory=dict)


def labelled_tickets(rows: Sequence[Mapping[str, Any]], prefixes: Mapping[str, str], *,
                     min_tickets: int = MIN_LABELLED_TICKETS,
                     min_per_label: int = MIN_EXAMPLES_PER_LABEL) -> LabelledTickets:
    """Training examples from `sinks.clickhouse.history.labelled_ticket_history` rows.

    A ticket is kept when every field has exactly one label tag with a valid label; two different label tags
    for one field on the same event are ambiguous and left out. Raises `NotEnoughLabels` below `min_tickets`
    tickets, or when a field has fewer than two labels left.
    """
    fields = list(prefixes)
    labelled_per_field = dict.fromkeys(fields, 0)
    ambiguous = invalid = 0
    kept: list[tuple[str, dict[str, str]]] = []
    for row in rows:
        text = _text(str(row.get("first_subject") or ""), str(row.get("first_body") or ""))
        labels: dict[str, str] = {}
        for name, prefix in prefixes.items():
            found = sorted({str(t)[len(prefix):] for t in row.get(f"labels_{name}") or []})
            if len(found) > 1:
                ambiguous += 1
            elif found and not _LABEL.match(found[0]):
                invalid += 1
            elif found:
                labels[name] = found[0]
                labelled_per_field[name] += 1
        if text.strip() and len(labels) == len(fields):
            kept.append((text, labels))
    kept, rare = _drop_rare_labels(kept, fields, min_per_label)
    stats: dict[str, Any] = {
        "tickets": len(rows), "labelled_per_field": labelled_per_field, "ambiguous_labels": ambiguous,
        "invalid_labels": invalid, "rare_labels_left_out": rare, "used": len(kept),
        "label_tags": dict(prefixes),
    }
    if len(kept) < min_tickets:
        per_field = ", ".join(f"{n} ({prefixes[n]}*): {c}" for n, c in labelled_per_field.items())
        raise NotEnoughLabels(
            f"only {len(kept)} tickets with a human label for every field ({', '.join(fields)}) in this "
            f"selection, at least {min_tickets} are needed. Of {len(rows)} tickets, labelled by tag: {per_field}; "
            f"ambiguous: {ambiguous}; invalid labels: {invalid}; left out as rare labels (< {min_per_label} "
            "tickets): " + (", ".join(f"{n}={len(v)}" for n, v in rare.items() if v) or "none")
            + ". Labels are read from tags agents set, never from the pipeline's predictions")
    for name in fields:
        distinct = {labels[name] for _, labels in kept}
        if len(distinct) < 2:
            raise NotEnoughLabels(f"field {name!r} has {len(distinct)} distinct label(s) left "
                                  f"({', '.join(sorted(distinct))}): a classifier needs at least two")
    return LabelledTickets(texts=[t for t, _ in kept], labels={n: [lb[n] for _, lb in kept] for n in fields},
                           stats=stats)


def _text(subject: str, body: str) -> str:
    """The form the local model classifies live (`ClassifyInput.text`)."""
    return f"{subject}\n{body}" if subject and body else subject or body


def _drop_rare_labels(kept: list[tuple[str, dict[str, str]]], fields: Sequence[str], min_per_label: int
                      ) -> tuple[list[tuple[str, dict[str, str]]], dict[str, list[str]]]:
    """Leave out tickets with a label seen fewer than `min_per_label` times; repeat until stable, since
    leaving a ticket out lowers the counts of its other fields' labels."""
    rare: dict[str, set[str]] = {f: set() for f in fields}
    while True:
        counts = {f: Counter(labels[f] for _, labels in kept) for f in fields}
        now = {f: {lb for lb, c in counts[f].items() if c < min_per_label} for f in fields}
        if not any(now.values()):
            return kept, {f: sorted(v) for f, v in rare.items()}
        for f in fields:
            rare[f] |= now[f]
        kept = [(t, labels) for t, labels in kept if not any(labels[f] in now[f] for f in fields)]
