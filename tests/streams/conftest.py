"""Fixtures of the stream tests: the chDB engine on both client paths, as in tests/sinks (replay_support.py)."""

from tests.streams.replay_support import chdb_dir, chdb_front, client, database

__all__ = ["chdb_dir", "chdb_front", "client", "database"]
