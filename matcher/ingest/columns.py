"""Declarative column specifications: what each input file must contain.

A ``TableSpec`` lists the columns of one file layout with their kind, range and whether
blanks are allowed; ``readers.read_table`` checks a whole file against it.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    """One column of an input file.

    Attributes:
        name: the column's name in the loaded table.
        kind: how cells are read: ``text``, ``code`` (an ODS code), ``int``, ``float``,
            ``date``, ``partial_date`` (YYYY, YYYY-MM or YYYY-MM-DD, kept as text), ``rating`` (a CQC
            rating word), ``choice`` or ``flag`` (0 or 1).
        header: the column's heading in the file, when it differs from ``name``.
        required: whether the file must have the column at all.
        nullable: whether cells may be blank.
        low, high: inclusive bounds for numbers.
        choices: allowed values for ``choice`` columns.
        aliases: other headings the same column has had in earlier releases of the file.
    """

    name: str
    kind: str = "text"
    header: str | None = None
    required: bool = True
    nullable: bool = True
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()

    @property
    def heading(self) -> str:
        """The column's heading as it appears in the file."""
        return self.header or self.name


@dataclass(frozen=True)
class TableSpec:
    """The layout of one kind of input file.

    Attributes:
        title: what the file is, for messages ("trust register").
        columns: the columns the reader checks and keeps.
        key: a column whose values must be unique (reported as a duplicate).
        key_label: what a key value is called in messages ("trust code").
        headerless: the file has no heading row; ``positions`` says which column is which.
        positions: for headerless files, the 0-based position of each column name.
    """

    title: str
    columns: tuple[Column, ...]
    key: str | None = None
    key_label: str = "code"
    headerless: bool = False
    positions: dict[str, int] = field(default_factory=dict)

    def column(self, name: str) -> Column:
        """The column called ``name``."""
        return next(c for c in self.columns if c.name == name)
