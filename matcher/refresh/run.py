"""The refresh as a whole: check options, download into a staged copy, check it, then swap it in."""
from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import requests

from ..dataset import MANIFEST, Dataset, load_dataset, read_manifest
from ..errors import BuddyingError, InputError
from ..ingest import register
from ..pipeline import classify_dataset
from ..settings import load_settings
from . import cqc, ods, segmentation, staging
from .fetch import USER_AGENT, RefreshError
from .table import Converted

#: The sources, in the order they are fetched (the register first: the CQC step asks about its trusts).
SOURCES = ("ods", "segmentation", "cqc")
#: A new file with fewer than this share of the current file's rows is taken to be cut off.
MIN_ROW_SHARE = 0.5


@dataclass(frozen=True)
class RefreshOptions:
    """What to refresh and from where (see ``python -m matcher refresh --help``)."""

    data_dir: Path
    sources: tuple[str, ...] = SOURCES
    cqc_url: str = cqc.DEFAULT_URL
    cqc_key: str | None = None
    ods_url: str = ods.DEFAULT_URL
    segmentation_url: str | None = None
    segmentation_release: str = segmentation.DEFAULT_RELEASE
    timeout: float = 30.0
    dry_run: bool = False
    today: date = field(default_factory=date.today)
    config: Path | None = None


@dataclass(frozen=True)
class RefreshResult:
    """The new files (dataset key, file name), what was learnt on the way, and whether they were written."""

    files: tuple[tuple[str, str], ...]
    notes: tuple[str, ...]
    trusts: int
    written: bool


Echo = Callable[[str], None]
Progress = Callable[[Iterable[str], str], Iterable[str]]


def check_options(options: RefreshOptions) -> None:
    """Refuse a refresh that cannot work before anything is downloaded.

    Raises:
        RefreshError: no CQC key in the environment, or no segmentation URL, when those are asked for.
    """
    unknown = [s for s in options.sources if s not in SOURCES]
    if unknown:
        raise RefreshError("refresh", f"unknown source(s) {', '.join(unknown)}; use {', '.join(SOURCES)} or all")
    if "cqc" in options.sources and not options.cqc_key:
        raise RefreshError("cqc", f"no API key: set {cqc.KEY_ENV} to your CQC API subscription key "
                                  "(https://api-portal.service.cqc.org.uk)")
    if "segmentation" in options.sources and not options.segmentation_url:
        raise RefreshError("segmentation", "no URL: NHS England publishes each quarter's CSV files at a new address; "
                                           "pass --segmentation-url (or set BUDDYING_SEGMENTATION_URL) to the folder "
                                           "that holds them, and --segmentation-release")
    if options.timeout <= 0:
        raise RefreshError("refresh", "--timeout must be more than 0 seconds")


def refresh(options: RefreshOptions, echo: Echo = lambda line: None,
            progress: Progress = lambda items, label: items) -> RefreshResult:
    """Fetch the chosen sources, check them on a staged copy, and only then add them to the data folder.

    The staged copy of the data folder is checked with ``load_dataset`` and a classification;
    only then are the new dated files and the new manifest added.

    Raises:
        RefreshError, InputError: what failed and where; the data folder is unchanged.
    """
    check_options(options)
    data_dir = options.data_dir
    read_manifest(data_dir)
    manifest_before = (data_dir / MANIFEST).read_bytes()
    current = _load_current(data_dir)
    with tempfile.TemporaryDirectory(prefix="buddying-refresh-") as tmp:
        staged = staging.stage(data_dir, Path(tmp))
        downloads = Path(tmp) / "downloads"
        downloads.mkdir()
        converted = _fetch_all(options, staged, downloads, echo, progress)
        files, manifest_text = _write_staged(staged, converted, options.today, set(os.listdir(data_dir)),
                                             manifest_before.decode("utf-8"))
        dataset = _check_staged(staged, files, converted, current)
        trusts = _check_classifies(dataset, options)
        echo(f"Checked the staged data folder: every file loads; {trusts} open English trusts classified.")
        notes = tuple(note for c in converted for note in c.notes)
        if options.dry_run:
            return RefreshResult(tuple((c.key, n) for n, c in files.items()), notes, trusts, written=False)
        staging.promote(data_dir, {n: (staged / n).read_bytes() for n in files}, manifest_text, manifest_before)
    return RefreshResult(tuple((c.key, n) for n, c in files.items()), notes, trusts, written=True)


def _load_current(data_dir: Path) -> Dataset | None:
    """The current data, for the row-count check (``None`` when it does not load: a refresh may be the fix)."""
    try:
        return load_dataset(data_dir)
    except InputError:
        return None


def _fetch_all(options: RefreshOptions, staged: Path, downloads: Path, echo: Echo,
               progress: Progress) -> list[Converted]:
    """Download and convert each chosen source, in ``SOURCES`` order."""
    done: list[Converted] = []
    with requests.Session() as session:
        session.headers["User-Agent"] = USER_AGENT
        for name in SOURCES:
            if name not in options.sources:
                continue
            if name == "ods":
                echo(f"ods: fetching the trust register from {options.ods_url}")
                entry = _manifest_entry(staged, "register")
                current = ods.read_current(staged / entry.file, entry.layout)
                result = ods.fetch_register(session, options.ods_url, current, downloads, timeout=options.timeout)
            elif name == "segmentation":
                echo(f"segmentation: fetching release {options.segmentation_release} from {options.segmentation_url}")
                result = segmentation.fetch_segmentation(session, str(options.segmentation_url),
                                                         options.segmentation_release, timeout=options.timeout,
                                                         progress=progress)
            else:
                codes = _open_english_codes(staged, done)
                echo(f"cqc: fetching current ratings of {len(codes)} trusts from {options.cqc_url}")
                result = cqc.fetch_ratings(session, options.cqc_url, str(options.cqc_key), codes,
                                           timeout=options.timeout, progress=progress)
            echo(f"{name}: downloaded and converted ({'; '.join(result.notes)})")
            done.append(result)
    return done


def _manifest_entry(folder: Path, key: str):
    """The manifest entry of one dataset in ``folder``."""
    return next(s for s in read_manifest(folder) if s.key == key)


def _open_english_codes(staged: Path, done: list[Converted]) -> list[str]:
    """The open English trusts of the register the refresh will end with (the new one, if fetched)."""
    new = next((c for c in done if c.key == "register"), None)
    if new is not None:
        path, layout, label = staged.parent / "downloads" / "register_new.csv", new.layout, new.url
        path.write_text(new.text, encoding="utf-8")
    else:
        entry = _manifest_entry(staged, "register")
        path, layout, label = staged / entry.file, entry.layout, entry.file
    try:
        frame = register.load_register(path, layout)
    except InputError as exc:
        raise RefreshError("cqc", "cannot list the trusts to ask about: the register does not load", label,
                           [str(p) for p in exc.problems]) from None
    return sorted(frame.loc[frame["is_open"] & frame["country"].eq("England"), "code"])


def _write_staged(staged: Path, converted: list[Converted], today: date, taken: set[str],
                  manifest_text: str) -> tuple[dict[str, Converted], str]:
    """Write each new file into the staged folder under its dated name, and point the staged manifest at it."""
    files: dict[str, Converted] = {}
    taken = set(taken)
    for result in converted:
        name = staging.dated_name(result.stem, today, taken)
        taken.add(name)
        (staged / name).write_text(result.text, encoding="utf-8")
        manifest_text = staging.set_manifest_entry(
            manifest_text, result.key, staging.manifest_values(name, result.layout, today, result.source))
        files[name] = result
    (staged / MANIFEST).write_text(manifest_text, encoding="utf-8")
    return files, manifest_text


def _check_staged(staged: Path, files: dict[str, Converted], converted: list[Converted],
                  current: Dataset | None) -> Dataset:
    """``load_dataset`` on the staged folder, with each problem traced back to its download.

    Raises:
        RefreshError: the loaders' problems, or a new file much shorter than the current one.
    """
    try:
        dataset = load_dataset(staged)
    except InputError as exc:
        owners = {files[p.file].key for p in exc.problems if p.file in files}
        source = _source_name(files, owners)
        details = [_traced(p, files) for p in exc.problems]
        raise RefreshError(source, "the downloaded data did not pass the loaders' checks", None, details) from None
    if current is not None:
        for name, result in files.items():
            new_rows, old_rows = len(dataset[result.key]), len(current[result.key])
            if old_rows and new_rows < MIN_ROW_SHARE * old_rows:
                raise RefreshError(_source_name(files, {result.key}),
                                   f"{name} has {new_rows} records where the current file has {old_rows}; "
                                   "a download that shrank by more than half is taken to be cut off", result.url)
    return dataset


def _check_classifies(dataset: Dataset, options: RefreshOptions) -> int:
    """Classify the staged data as the service would; return the number of trusts."""
    try:
        return len(classify_dataset(dataset, load_settings(options.config), options.today).classifications)
    except BuddyingError as exc:
        raise RefreshError("refresh", "the new data loads but the trusts cannot be classified", None,
                           str(exc).splitlines()) from None


_KEY_SOURCE = {"register": "ods", "oversight": "segmentation", "ratings": "cqc"}


def _source_name(files: dict[str, Converted], keys: set[str]) -> str:
    """The source name(s) behind dataset keys, e.g. ``cqc``."""
    return " and ".join(sorted(_KEY_SOURCE.get(k, k) for k in keys)) or "refresh"


def _traced(problem, files: dict[str, Converted]) -> str:
    """The loader's problem, plus where its row came from when it is in a new file."""
    result = files.get(problem.file)
    origin = result.origins.get(problem.row) if result is not None and problem.row is not None else None
    return f"{problem}; from {origin}" if origin else str(problem)
