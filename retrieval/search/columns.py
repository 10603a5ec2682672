"""Lists of flat dataclass records stored as columns, read back lazily one record at a time.

Any frozen dataclass whose fields are ``int``, ``float``, ``bool``, ``str``, a ``StrEnum``,
``datetime.date``, a ``tuple``/``frozenset`` of ``str`` or a ``tuple`` of ``int``, each
optionally ``| None``, becomes one array per field: numbers as they are, strings as a UTF-8
blob plus offsets (or codes into a dictionary of distinct values when they repeat), dates as
ordinals, enums as codes, optional values with a presence mask, sequences as offsets into a
flat column of their items. A field added to the record needs no code here; the table's
schema travels with the columns, so a changed record type makes old columns unreadable
rather than wrong.

Columns come from an untrusted file: opening a table checks its schema and row count, its
first record read the names, dtypes and lengths of its columns (constant time); every
offset, code and byte sequence is checked when its record is read, and anything out of
range raises `ColumnError`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import types
import typing
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

import numpy as np

T = TypeVar("T")

_DICTIONARY_MIN_ROWS = 64
_DICTIONARY_RATIO = 4
_MAX_ORDINAL = dt.date.max.toordinal()


class ColumnError(ValueError):
    """Stored columns do not fit their schema or hold values out of range."""


@dataclasses.dataclass(frozen=True, slots=True)
class _Field:
    name: str
    kind: str
    optional: bool
    enum_type: type[enum.Enum] | None = None
    container: type | None = None

    def describe(self) -> list[Any]:
        members = [str(m.value) for m in self.enum_type] if self.enum_type else []
        container = self.container.__name__ if self.container else ""
        return [self.name, self.kind, self.optional, container, members]


def schema(cls: type, exclude: Sequence[str] = ()) -> list[list[Any]]:
    """A JSON-able description of how ``cls`` is stored; equal schemas read each other."""
    return [field.describe() for field in _fields(cls, exclude)]


def encode(records: Sequence[Any], cls: type, exclude: Sequence[str] = ()) -> dict[str, np.ndarray]:
    """The columns of ``records`` (all of type ``cls``), without the ``exclude``d fields."""
    columns: dict[str, np.ndarray] = {"#rows": np.array([len(records)], dtype=np.int64)}
    for field in _fields(cls, exclude):
        values = [getattr(record, field.name) for record in records]
        if field.optional:
            mask = np.array([value is not None for value in values], dtype=bool)
            columns[f"{field.name}.mask"] = mask
            values = [_placeholder(field) if value is None else value for value in values]
        _encode_values(columns, field.name, field, values)
    return columns


class Table(Generic[T]):
    """Records of one dataclass read from its columns on demand.

    ``fixed`` names fields the owner supplies per record (such as a document ID that all rows
    of a document share) instead of storing them.
    """

    def __init__(
        self,
        columns: dict[str, np.ndarray],
        cls: type[T],
        stored_schema: Any,
        exclude: Sequence[str] = (),
        held: bool = False,
    ) -> None:
        """``held`` copies the numeric columns into Python lists at once, for a small table
        every record of which is read when it is opened (one row per document): a list is
        several times quicker to index than a mapped array."""
        fields = _fields(cls, exclude)
        if stored_schema != [field.describe() for field in fields]:
            raise ColumnError(f"stored {cls.__name__} columns have another schema")
        rows = columns.get("#rows")
        if rows is None or rows.shape != (1,) or rows.dtype.kind not in "iu" or rows[0] < 0:
            raise ColumnError(f"stored {cls.__name__} columns have no row count")
        self._cls = cls
        self._columns = columns
        self._held = held
        self._length = int(rows[0])
        self._fields = fields
        self._readers: list[tuple[str, Callable[[int], Any]]] | None = None

    def __len__(self) -> int:
        return self._length

    def record(self, row: int, **fixed: Any) -> T:
        """The record at ``row``, with the owner's ``fixed`` fields filled in.

        The columns are checked and their readers made at the first record read, so a
        table nobody reads costs nothing but its schema and row count.
        """
        if not 0 <= row < self._length:
            raise IndexError(row)
        readers = self._readers
        if readers is None:
            readers = self._readers = [(field.name, self._reader(field)) for field in self._fields]
        values = {name: read(row) for name, read in readers}
        return self._cls(**values, **fixed)

    def _array(self, name: str, length: int, kinds: str) -> np.ndarray | list[Any]:
        array = self._columns.get(name)
        if array is None or array.ndim != 1 or array.shape[0] != length:
            raise ColumnError(f"column {name!r} is missing or has the wrong length")
        if array.dtype.kind not in kinds:
            raise ColumnError(f"column {name!r} has dtype {array.dtype}")
        return array.tolist() if self._held else array

    def _bytes(self, name: str) -> memoryview:
        """A column of UTF-8 bytes, as a view that slices and decodes without copies."""
        array = self._columns.get(name)
        if array is None or array.ndim != 1 or array.dtype != np.uint8:
            raise ColumnError(f"column {name!r} is missing or is not bytes")
        return array.data

    def _reader(self, field: _Field) -> Callable[[int], Any]:
        read = self._value_reader(field.name, field, self._length)
        if not field.optional:
            return read
        mask = self._array(f"{field.name}.mask", self._length, "b?")
        return lambda row: read(row) if mask[row] else None

    def _value_reader(self, name: str, field: _Field, length: int) -> Callable[[int], Any]:
        if field.kind in ("str", "strs", "ints"):
            return _sequence_reader(self, name, field, length)
        if field.kind == "float":
            floats = self._array(name, length, "f")
            return lambda row: float(floats[row])
        values = self._array(name, length, "iub?")
        if field.kind == "bool":
            return lambda row: bool(values[row])
        if field.kind == "date":
            return lambda row: _date(int(values[row]))
        if field.enum_type is not None:
            members = list(field.enum_type)
            return lambda row: _member(members, int(values[row]))
        return lambda row: int(values[row])


def _sequence_reader(table: Table[Any], name: str, field: _Field, length: int) -> Any:
    if field.kind == "str":
        return _string_reader(table, name, length)
    rows = _offsets(table, f"{name}.rows", length)
    n_items = int(rows[-1]) if length else 0
    container = field.container or tuple
    if field.kind == "ints":
        items = table._array(f"{name}.items", max(n_items, 0), "iu")
    else:
        strings = _string_reader(table, f"{name}.items", max(n_items, 0))

    def read(row: int) -> Any:
        start, end = int(rows[row]), int(rows[row + 1])
        if not 0 <= start <= end <= n_items:
            raise ColumnError(f"column {name!r} row {row} points outside its items")
        if field.kind == "ints":
            return container(int(v) for v in items[start:end])
        return container(strings(i) for i in range(start, end))

    return read


def _string_reader(table: Table[Any], name: str, length: int) -> Callable[[int], str]:
    if f"{name}.codes" in table._columns:
        codes = table._array(f"{name}.codes", length, "iu")
        n_values = _string_count(table, f"{name}.values")
        values = _string_reader(table, f"{name}.values", n_values)

        def lookup(row: int) -> str:
            code = int(codes[row])
            if not 0 <= code < n_values:
                raise ColumnError(f"column {name!r} row {row} has a code out of range")
            return values(code)

        return lookup
    offsets = _offsets(table, f"{name}.offsets", length)
    blob = table._bytes(f"{name}.utf8")
    size = len(blob)

    def read(row: int) -> str:
        start, end = int(offsets[row]), int(offsets[row + 1])
        if not 0 <= start <= end <= size:
            raise ColumnError(f"column {name!r} row {row} points outside its text")
        try:
            return str(blob[start:end], "utf-8")
        except UnicodeDecodeError as error:
            raise ColumnError(f"column {name!r} row {row} is not UTF-8") from error

    return read


def _string_count(table: Table[Any], name: str) -> int:
    """How many strings a nested column holds, from its codes or its offsets."""
    if f"{name}.codes" in table._columns:
        return len(table._columns[f"{name}.codes"])
    return max(len(table._columns.get(f"{name}.offsets", ())) - 1, 0)


def _offsets(table: Table[Any], name: str, length: int) -> np.ndarray | list[Any]:
    return table._array(name, length + 1, "iu")


def _encode_values(columns: dict[str, np.ndarray], name: str, field: _Field, values: list) -> None:
    if field.kind == "str":
        _encode_strings(columns, name, values)
    elif field.kind in ("strs", "ints"):
        items = [item for value in values for item in _ordered(value)]
        columns[f"{name}.rows"] = _smallest(np.cumsum([0, *map(len, values)], dtype=np.int64))
        if field.kind == "strs":
            _encode_strings(columns, f"{name}.items", items)
        else:
            columns[f"{name}.items"] = _smallest(np.array(items, dtype=np.int64))
    elif field.kind == "float":
        columns[name] = np.array(values, dtype=np.float64)
    elif field.kind == "bool":
        columns[name] = np.array(values, dtype=bool)
    elif field.kind == "date":
        columns[name] = np.array([value.toordinal() for value in values], dtype=np.int32)
    elif field.enum_type is not None:
        members = {member: code for code, member in enumerate(field.enum_type)}
        columns[name] = np.array([members[value] for value in values], dtype=np.int16)
    else:
        columns[name] = _smallest(np.array(values, dtype=np.int64))


def _encode_strings(columns: dict[str, np.ndarray], name: str, values: list[str]) -> None:
    """Plain UTF-8 with offsets, or codes into the distinct values when they repeat a lot."""
    distinct = dict.fromkeys(values)
    if len(values) >= _DICTIONARY_MIN_ROWS and len(distinct) * _DICTIONARY_RATIO <= len(values):
        code_of = {value: code for code, value in enumerate(distinct)}
        columns[f"{name}.codes"] = _smallest(np.array([code_of[v] for v in values], np.int64))
        _encode_strings(columns, f"{name}.values", list(distinct))
        return
    encoded = [value.encode() for value in values]
    columns[f"{name}.utf8"] = np.frombuffer(b"".join(encoded), dtype=np.uint8)
    columns[f"{name}.offsets"] = _smallest(np.cumsum([0, *map(len, encoded)], dtype=np.int64))


def _smallest(values: np.ndarray) -> np.ndarray:
    """int32 when every value fits, else int64: halves most columns."""
    info = np.iinfo(np.int32)
    if values.size == 0 or (values.min() >= info.min and values.max() <= info.max):
        return values.astype(np.int32)
    return values


def _ordered(value: Any) -> list[Any]:
    return sorted(value) if isinstance(value, frozenset) else list(value)


def _date(ordinal: int) -> dt.date:
    if not 1 <= ordinal <= _MAX_ORDINAL:
        raise ColumnError(f"date ordinal {ordinal} is out of range")
    return dt.date.fromordinal(ordinal)


def _member(members: list[Any], code: int) -> Any:
    if not 0 <= code < len(members):
        raise ColumnError(f"enum code {code} is out of range")
    return members[code]


def _placeholder(field: _Field) -> Any:
    """A stand-in stored under a cleared mask bit."""
    if field.enum_type is not None:
        return next(iter(field.enum_type))
    return {
        "int": 0,
        "float": 0.0,
        "bool": False,
        "str": "",
        "date": dt.date.min,
        "strs": (),
        "ints": (),
    }[field.kind]


def _fields(cls: type, exclude: Sequence[str]) -> list[_Field]:
    return list(_cached_fields(cls, tuple(exclude)))


@functools.cache
def _cached_fields(cls: type, exclude: tuple[str, ...]) -> tuple[_Field, ...]:
    hints = typing.get_type_hints(cls)
    return tuple(
        _field(field.name, hints[field.name])
        for field in dataclasses.fields(cls)
        if field.name not in exclude
    )


def _field(name: str, hint: Any) -> _Field:
    optional = False
    args = typing.get_args(hint)
    if _is_union(hint) and type(None) in args:
        (hint,) = [arg for arg in args if arg is not type(None)]
        optional = True
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return _Field(name, "enum", optional, enum_type=hint)
    simple = {int: "int", float: "float", bool: "bool", str: "str", dt.date: "date"}
    if hint in simple:
        return _Field(name, simple[hint], optional)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (tuple, frozenset) and args and args[0] in (str, int):
        if origin is tuple and args[1:] not in ((...,), ()):
            raise TypeError(f"field {name}: only variable-length tuples are stored")
        kind = "strs" if args[0] is str else "ints"
        if kind == "ints" and origin is frozenset:
            raise TypeError(f"field {name}: frozenset[int] is not stored")
        return _Field(name, kind, optional, container=origin)
    raise TypeError(f"field {name}: type {hint!r} cannot be stored as columns")


def _is_union(hint: Any) -> bool:
    return typing.get_origin(hint) in (typing.Union, types.UnionType)
