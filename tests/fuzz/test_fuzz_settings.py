"""Hostile config files: ``parse_settings`` and ``load_settings`` return settings or one ``ConfigError``.

Whatever the text, every problem of the error is located (a key path, or a line and column).
"""
from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from matcher.errors import ConfigError, excerpt
from matcher.settings import DEFAULT_CONFIG_PATH, Settings, load_settings, parse_settings
from tests.fuzz.mutate import JUNK, YAML_DATA, mutate, typo
from tests.fuzz.support import count, fuzz, text

SHIPPED_TEXT = DEFAULT_CONFIG_PATH.read_text(encoding="utf-8")
SHIPPED = yaml.safe_load(SHIPPED_TEXT)
_LINE_COLUMN = re.compile(r"^line \d+, column \d+: \S")
#: Problems with the document as a whole (its key is the empty root path).
_WHOLE_FILE = ("the file must be a mapping of keys to values", "cannot read the file")


def parsed(source: str) -> object:
    """What YAML makes of ``source`` (None if it is not YAML), to check problem keys against."""
    try:
        return yaml.safe_load(source)
    except yaml.YAMLError:
        return None


def check(run, raw: object = None) -> Settings | None:
    """Call ``run()``; it must return Settings or raise one located ConfigError, nothing else."""
    try:
        result = run()
    except ConfigError as exc:
        assert exc.problems, "a ConfigError must list at least one problem"
        for problem in exc.problems:
            assert problem.message.strip(), problem
            if problem.key:
                given_keys = {f(k) for k in raw for f in (str, repr, excerpt)} if isinstance(raw, dict) else set()
                known = set(Settings.model_fields) | given_keys
                # a long key is quoted as an excerpt, and a long key path is cut short with "..."
                cut = problem.key.endswith("...") and any(
                    top.startswith(problem.key[:-3]) or problem.key[:-3].startswith(top) for top in known)
                under = any(problem.key == top or problem.key.startswith((top + ".", top + "[")) for top in known)
                assert cut or under, f"{problem.key!r} is not a key path of the input"
            else:
                assert _LINE_COLUMN.match(problem.message) or problem.message.startswith(_WHOLE_FILE), \
                    f"problem without a location: {problem.message!r}"
        assert exc.render().startswith("There ")
        return None
    assert isinstance(result, Settings)
    return result


@fuzz(150)
@given(text)
def test_any_text(source):
    count("settings: random text")
    check(lambda: parse_settings(source, "fuzz.yaml"), parsed(source))


@fuzz(150)
@given(YAML_DATA)
def test_any_yaml_document(document):
    count("settings: random YAML document")
    check(lambda: parse_settings(yaml.safe_dump(document), "fuzz.yaml"), document)


@fuzz(150)
@given(st.data())
def test_mutations_of_the_shipped_config(data):
    document = mutate(SHIPPED, data)
    count("settings: mutated config.yaml")
    check(lambda: parse_settings(yaml.safe_dump(document, sort_keys=False), "config.yaml"), document)


@fuzz(80)
@given(st.data())
def test_section_replaced_by_junk_or_typo_at_the_top(data):
    document = dict(SHIPPED)
    key = data.draw(st.sampled_from(sorted(document)))
    if data.draw(st.booleans()):
        document[typo(key, data)] = document.pop(key)
    else:
        document[key] = data.draw(JUNK)
    count("settings: top-level junk / typos")
    settings = check(lambda: parse_settings(yaml.safe_dump(document, sort_keys=False), "config.yaml"), document)
    assert settings is None or key in document


@fuzz(100)
@given(st.data())
def test_text_edits_of_the_shipped_config(data):
    lines = SHIPPED_TEXT.splitlines(keepends=True)
    for _ in range(data.draw(st.integers(1, 3))):
        i = data.draw(st.integers(0, len(lines) - 1))
        how = data.draw(st.sampled_from(["delete", "indent", "dedent", "insert", "duplicate", "tab"]))
        if how == "delete":
            del lines[i]
        elif how == "indent":
            lines[i] = "  " + lines[i]
        elif how == "dedent":
            lines[i] = lines[i].lstrip()
        elif how == "duplicate":
            lines.insert(i, lines[i])
        elif how == "tab":
            lines[i] = "\t" + lines[i]
        else:
            at = data.draw(st.integers(0, len(lines[i])))
            junk = data.draw(st.sampled_from([":", "- ", "[", "{", "&a ", "*b", "!!", "'", '"', "%", "@",
                                              "\x00", "\ufeff", "\x85"]))
            lines[i] = lines[i][:at] + junk + lines[i][at:]
        if not lines:
            break
    source = "".join(lines)
    count("settings: edited config.yaml text")
    check(lambda: parse_settings(source, "config.yaml"), parsed(source))


@fuzz(100)
@given(st.one_of(st.binary(max_size=300),
                 st.builds(lambda head, tail: head + tail, st.just(SHIPPED_TEXT.encode()),
                           st.sampled_from([b"\xff\xfe", b"\x80", b"\xc3(", b"\x00", b"\xef\xbb\xbf"]))))
def test_load_settings_on_a_file_of_any_bytes(content):
    count("settings: load_settings on any bytes")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "config.yaml"
        path.write_bytes(content)
        check(lambda: load_settings(path), parsed(content.decode("utf-8", "replace")))


def test_the_shipped_config_loads():
    assert check(lambda: load_settings(None)) == Settings()


def test_a_missing_or_unreadable_file_is_one_located_error(tmp_path):
    with pytest.raises(ConfigError) as missing:
        load_settings(tmp_path / "nope.yaml")
    assert str(missing.value.problems[0]).startswith("cannot read the file")
    with pytest.raises(ConfigError) as folder:
        load_settings(tmp_path)
    assert str(folder.value.problems[0]).startswith("cannot read the file")


@pytest.mark.parametrize("tag", ["!!python/object:os.system {}", "!!python/object/apply:os.system ['echo hi']",
                                 "!!python/name:os.system", "solver: !!python/object/new:int [1]",
                                 "!!binary aGVsbG8="])
def test_yaml_is_loaded_safely(tag, tmp_path):
    """Python tags are refused (yaml.safe_load), never constructed, and the problem has a line and column."""
    with pytest.raises(ConfigError) as exc:
        parse_settings(tag, "evil.yaml")
    (problem,) = exc.value.problems
    assert _LINE_COLUMN.match(problem.message) or problem.message.startswith(_WHOLE_FILE), problem
    if "python" in tag:
        assert "could not determine a constructor for the tag" in problem.message
    path = tmp_path / "evil.yaml"
    path.write_text(tag, encoding="utf-8")
    with pytest.raises(ConfigError):
        load_settings(path)


@pytest.mark.parametrize("source, expected", [
    ("\x1f", "line 1, column 1: special characters are not allowed (found '\\x1f')"),
    ("solver:\n  seed: 1\x00", "line 2, column 10: special characters are not allowed (found '\\x00')"),
    ("0: 1", "0 is not a known key"),
    ("'': 1", "'' is not a known key"),
    ("solver: {1: 2}", "solver.1 is not a known key"),
    ("metrics: {1: {higher_is_better: true}}", "metrics.1 must be named with text, got 1"),
    ("incentives: {annual_budget_gbp_m: .inf}", "incentives.annual_budget_gbp_m must be a finite number, got inf"),
    ("solver: {seed: 99999999999999999999}", "solver.seed must be 2,147,483,647 or less, got 99999999999999999999"),
])
def test_problems_found_by_fuzzing_are_located(source, expected):
    """Each of these was once a problem without a location, or a config the solver later crashed on."""
    with pytest.raises(ConfigError) as exc:
        parse_settings(source, "config.yaml")
    assert [str(p) for p in exc.value.problems] == [expected]


def test_a_file_that_is_not_utf8_is_one_located_error(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_bytes(b"solver:\n  seed: \xff\n")
    with pytest.raises(ConfigError) as exc:
        load_settings(path)
    assert [str(p) for p in exc.value.problems] == ["cannot read the file: it is not UTF-8 text (byte 17 is b'\\xff')"]
