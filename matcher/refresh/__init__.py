"""``python -m matcher refresh``: fetch newer public data, check it with the loaders, then swap it in.

One module per source turns a download into a data file in a layout the loaders accept:

- ``cqc``: the CQC public API (``/providers/{id}``, current provider-level ratings), key from
  ``CQC_API_KEY``, written in the official "Latest ratings" providers layout;
- ``segmentation``: NHS England's NHS Oversight Framework data and league-table CSVs, written in
  the shipped segmentation layout;
- ``ods``: NHS Digital's ODS ``etr`` trust register (zip or CSV), written in the shipped register
  layout with the locations and trust types carried over from the current register.

``staging`` copies the data folder, writes the new dated files and the new manifest into the
copy, and only after ``load_dataset`` (and a classification) passed on the copy moves the new
files into the real folder and replaces ``manifest.yaml`` atomically. ``run`` ties them together.
"""
from __future__ import annotations

from .fetch import RefreshError
from .run import SOURCES, RefreshOptions, RefreshResult, refresh

__all__ = ["SOURCES", "RefreshError", "RefreshOptions", "RefreshResult", "refresh"]
