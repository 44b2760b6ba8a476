"""The UK Algorithmic Transparency Recording Standard record of this tool, made from what is running (DOMAIN §8).

``build_record`` reads the configuration in force, the data manifest and the classified data, so the
record cannot go stale: change a weight, refresh a file or run another scenario and the record says so.
``to_markdown`` and ``Record.to_dict`` are its two forms (``python -m matcher transparency``, the
``/transparency`` page).
"""
from __future__ import annotations

from .record import Field, Owner, Record, Section, build_record
from .render import to_markdown

__all__ = ["Field", "Owner", "Record", "Section", "build_record", "to_markdown"]
