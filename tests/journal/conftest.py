"""Fixtures for the scripted-journaling tests (helpers are in journal_helpers.py)."""

from __future__ import annotations
