"""Test-only helpers: real services served locally (no mocks)."""
