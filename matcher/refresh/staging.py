"""Stage a copy of the data folder, name new files by date, edit the manifest, and swap atomically.

Nothing here writes into the real data folder except ``promote``, which runs only after every
check passed: it adds each new file under a name no file has yet (temp file + ``os.replace``),
then replaces ``manifest.yaml`` the same way. A reader sees either the old manifest (old files)
or the new one (new files, all present), never a mix. Old files are left where they are.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import stat
import tempfile
from datetime import date
from pathlib import Path

from .. import safe_yaml
from ..dataset import MANIFEST
from .fetch import RefreshError

_FIELDS = ("file", "layout", "as_of", "source")


def dated_name(stem: str, day: date, taken: set[str]) -> str:
    """``cqc_ratings_2026-11-23.csv``, or ``..._2.csv`` and so on when that name is taken."""
    name, n = f"{stem}_{day.isoformat()}.csv", 1
    while name in taken:
        n += 1
        name = f"{stem}_{day.isoformat()}_{n}.csv"
    return name


def set_manifest_entry(text: str, key: str, values: dict[str, str]) -> str:
    """The manifest text with ``key``'s fields set to ``values``; every other line and comment kept.

    Raises:
        RefreshError: when the edited text does not read back with exactly these values.
    """
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if re.match(rf"^{re.escape(key)}:\s*(#.*)?$", line)), None)
    if start is None:
        lines += [f"{key}:", *(f"  {f}: {json.dumps(v)}" for f, v in values.items())]
    else:
        end = start + 1
        while end < len(lines) and (not lines[end].strip() or lines[end][:1] in (" ", "\t")):
            end += 1
        while end > start + 1 and not lines[end - 1].strip():
            end -= 1
        block = lines[start + 1:end]
        indent = next((m.group(0) for b in block if b.strip() and (m := re.match(r"^\s+", b))), "  ")
        for field, value in values.items():
            line = f"{indent}{field}: {json.dumps(value)}"
            at = next((i for i, b in enumerate(block) if re.match(rf"^\s+{re.escape(field)}\s*:", b)), None)
            if at is None:
                block.append(line)
            else:
                block[at] = line
        lines[start + 1:end] = block
    result = "\n".join(lines) + "\n"
    entry = (safe_yaml.load(result) or {}).get(key) or {}
    if any(str(entry.get(f)) != v for f, v in values.items()):
        raise RefreshError("manifest", f"could not set the '{key}' entry of {MANIFEST} (it reads back as {entry})")
    return result


def manifest_values(file: str, layout: str, as_of: date, source: str) -> dict[str, str]:
    """The manifest fields of a refreshed dataset: its file, layout, refresh date and source."""
    return {"file": file, "layout": layout, "as_of": as_of.isoformat(), "source": source}


def stage(data_dir: Path, root: Path) -> Path:
    """A full copy of the data folder under ``root`` to write new files into and check."""
    staged = root / "data"
    shutil.copytree(data_dir, staged)
    return staged


def atomic_write(path: Path, data: bytes, mode: int) -> None:
    """Write ``data`` to a temp file beside ``path``, flush it to disk, then rename it over ``path``."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def promote(data_dir: Path, new_files: dict[str, bytes], manifest_text: str, manifest_before: bytes) -> None:
    """Add the new files to the data folder, then replace its manifest, all or nothing.

    Raises:
        RefreshError: the manifest changed while the refresh ran, a new name is already taken, or a
            write failed (the files already added are removed again; the manifest is unchanged).
    """
    manifest = data_dir / MANIFEST
    if manifest.read_bytes() != manifest_before:
        raise RefreshError("data", f"{MANIFEST} changed while the refresh ran; run the refresh again")
    taken = [name for name in new_files if (data_dir / name).exists()]
    if taken:
        raise RefreshError("data", f"{', '.join(taken)} appeared in the data folder while the refresh ran")
    mode = stat.S_IMODE(manifest.stat().st_mode)
    written: list[Path] = []
    try:
        for name, data in new_files.items():
            atomic_write(data_dir / name, data, mode)
            written.append(data_dir / name)
        atomic_write(manifest, manifest_text.encode("utf-8"), mode)
    except OSError as exc:
        for path in written:
            path.unlink(missing_ok=True)
        raise RefreshError("data", f"could not write into {data_dir} ({exc})") from None
