"""Overlapping spans of one field merge into their union, in time linear in the number of spans."""

from __future__ import annotations

import time

from processors.pii.stage import _resolve_overlaps, _Span


def test_a_chain_of_overlapping_spans_becomes_one_span_of_the_widest_type() -> None:
    spans = [_Span("body", "PERSON", 0, 10, 0.6), _Span("body", "STREET_ADDRESS", 5, 30, 0.7),
             _Span("body", "PHONE_NUMBER", 40, 50, 0.6)]
    merged = _resolve_overlaps(spans)
    assert [(s.entity, s.start, s.end) for s in merged] == [("STREET_ADDRESS", 0, 30), ("PHONE_NUMBER", 40, 50)]


def test_one_long_cluster_resolves_in_linear_time() -> None:
    # one span over the whole body and 20,000 small ones inside it: a max over the cluster per span took seconds
    spans = [_Span("body", "STREET_ADDRESS", 0, 200_000, 0.6)]
    spans += [_Span("body", "STREET_ADDRESS", 10 * i, 10 * i + 8, 0.6) for i in range(20_000)]
    start = time.process_time()
    merged = _resolve_overlaps(spans)
    assert time.process_time() - start < 0.5
    assert [(s.start, s.end) for s in merged] == [(0, 200_000)]
