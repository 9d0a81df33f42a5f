"""Reading input files (scenarios, trials, targets) so that no file, however hostile, gets past
without a clear error: limits before parsing, a YAML loader with limits, strict typing.

Why each guard exists:
- a file must be a regular file under `MAX_FILE_BYTES`: `/dev/zero`, a FIFO or a huge file would
  otherwise hang or exhaust memory before YAML sees a byte (opened non-blocking, then checked);
- YAML aliases are counted as the values they expand to (`MAX_VALUES`), nesting is bounded
  (`MAX_DEPTH`) and an alias may not contain itself: a few lines can otherwise expand to
  gigabytes or recurse without end;
- keys are scalars; timestamps, `!!binary`, `!!set` are refused rather than silently turned into
  objects no field expects; numbers longer than `MAX_NUMBER_CHARS` are refused (Python refuses
  to convert more than 4300 digits anyway);
- merge keys (`<<: *defaults`) and a tab after a colon are valid YAML and accepted;
- validation is strict (pydantic strict mode, in JSON mode so that a list may fill a tuple): a
  quoted `"500"` is not a number and `true` is not 1; NaN and infinities are refused everywhere.

Every refusal is an `InputError` naming the file, the field (dotted path) or the line, and what
is allowed, quoting at most `EXCERPT_CHARS` of an offending value.
"""

from __future__ import annotations

import errno
import json
import math
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

MAX_FILE_BYTES = 1_000_000  # a scenario, trial or targets file; the shipped ones are under 10 kB
MAX_DEPTH = 32  # nesting of lists and mappings; the schema needs 6
MAX_VALUES = 100_000  # values after alias expansion
MAX_NUMBER_CHARS = 100  # characters of one number as written
MAX_PROBLEMS = 10  # problems listed in one message
EXCERPT_CHARS = 60  # characters of an offending value quoted in a message

_MERGE_TAG = "tag:yaml.org,2002:merge"


class InputError(ValueError):
    """A file or value that cannot be used; the message names the file, the field and what is allowed."""


def excerpt(value: Any, limit: int = EXCERPT_CHARS) -> str:
    """`repr(value)`, cut to `limit` characters with the full length said, so that a message stays short."""
    if isinstance(value, str) and len(value) > 4 * limit:
        value = value[: 4 * limit]  # never repr a megabyte to show 60 characters
        text = repr(value)[:limit] + "..."
    else:
        text = repr(value)
    if len(text) > limit:
        text = text[:limit] + "..."
    return text


def join_problems(problems: list[str]) -> str:
    """At most `MAX_PROBLEMS` problems, then how many more."""
    shown = "; ".join(problems[:MAX_PROBLEMS])
    more = len(problems) - MAX_PROBLEMS
    return shown + (f"; and {more} more problem{'s' if more > 1 else ''}" if more > 0 else "")


# ---------------------------------------------------------------------------------------------
# Files


def short_path(path: str | Path, limit: int = 200) -> str:
    """A path as messages show it: whole unless absurdly long."""
    text = str(path)
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text):,} characters)"


def read_text(path: str | Path, kind: str = "scenario", limit: int | None = None) -> str:
    """The text of a `kind` file (scenario, trial, targets), or an `InputError` saying why not."""
    limit = MAX_FILE_BYTES if limit is None else limit
    shown = short_path(path)
    what = f"{shown}: cannot read the {kind} file"
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputError(f"{shown}: {kind} file not found. Give the path of a YAML {kind} file.") from None
    except NotADirectoryError:
        raise InputError(f"{shown}: {kind} file not found (a folder in the path is a file).") from None
    except PermissionError:
        raise InputError(f"{what}: permission denied.") from None
    except ValueError:
        raise InputError(f"{what}: the path contains a NUL character.") from None
    except OSError as exc:
        reason = {
            errno.ELOOP: "the path is a loop of symbolic links",
            errno.ENAMETOOLONG: "the path, or a name in it, is too long",
        }.get(exc.errno, exc.strerror or type(exc).__name__)
        raise InputError(f"{what}: {reason}.") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind_of = (
                "a folder"
                if stat.S_ISDIR(info.st_mode)
                else "a FIFO (named pipe)"
                if stat.S_ISFIFO(info.st_mode)
                else "a device"
                if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode)
                else "a socket"
                if stat.S_ISSOCK(info.st_mode)
                else "not a regular file"
            )
            raise InputError(f"{what}: it is {kind_of}; a {kind} file is a regular YAML text file.")
        if info.st_size > limit:
            raise InputError(f"{what}: it has {info.st_size:,} bytes; at most {limit:,} are allowed.")
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=True) as handle:
            fd = -1
            data = handle.read(limit + 1)
    except OSError as exc:
        raise InputError(f"{what}: {exc.strerror or type(exc).__name__}.") from None
    finally:
        if fd >= 0:
            os.close(fd)
    if len(data) > limit:
        raise InputError(f"{what}: it has more than {limit:,} bytes.")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{what}: byte {exc.start} is not UTF-8; a {kind} file is UTF-8 text.") from None


# ---------------------------------------------------------------------------------------------
# YAML with limits


class Refused:
    """A value the loader will not turn into an object (a timestamp, binary data, a huge number);
    reported with its field by `check_values`."""

    def __init__(self, why: str):
        self.why = why

    def __repr__(self) -> str:
        return f"<{self.why}>"


class _LimitExceeded(yaml.MarkedYAMLError):
    """A YAML document beyond the loader's limits (depth, expanded size, recursive alias)."""


class LimitedLoader(yaml.SafeLoader):
    """SafeLoader with limits on nesting and alias expansion, scalar keys only, no duplicate keys,
    merge keys, tabs as separation inside a line, and no implicit timestamps."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0
        self._sizes: dict[int, int] = {}

    def compose_document(self):
        """Start counting expanded values afresh for each document."""
        self._sizes = {}
        return super().compose_document()

    def compose_node(self, parent, index):
        """Compose a node as PyYAML does, counting what an alias expands to against the limits."""
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            node = super().compose_node(parent, index)
            if id(node) not in self._sizes:
                raise _LimitExceeded(None, None, "an alias refers to a value that contains it", mark)
            return node
        mark = self.peek_event().start_mark
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _LimitExceeded(None, None, f"lists and mappings are nested more than {MAX_DEPTH} deep", mark)
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        if isinstance(node, SequenceNode):
            size = 1 + sum(self._sizes[id(child)] for child in node.value)
        elif isinstance(node, MappingNode):
            size = 1 + sum(self._sizes[id(k)] + self._sizes[id(v)] for k, v in node.value)
        else:
            size = 1
        if size > MAX_VALUES:
            raise _LimitExceeded(
                None, None, f"the document expands to more than {MAX_VALUES:,} values (aliases count in full)", mark
            )
        self._sizes[id(node)] = size
        return node

    def scan_to_next_token(self):
        """Skip whitespace and comments as PyYAML does, but take a tab inside a line as whitespace."""
        # PyYAML's own loop, except that a tab inside a line (after a colon, a dash or a value) is
        # whitespace as YAML allows; a tab in the indentation of a block is still an error.
        if self.index == 0 and self.peek() == "\ufeff":
            self.forward()
        found = False
        while not found:
            while self.peek() == " " or (self.peek() == "\t" and self._tab_separates()):
                self.forward()
            if self.peek() == "#":
                while self.peek() not in "\0\r\n\x85\u2028\u2029":
                    self.forward()
            if self.scan_line_break():
                if not self.flow_level:
                    self.allow_simple_key = True
            else:
                found = True

    def _tab_separates(self) -> bool:
        if self.flow_level:
            return True
        start = self.pointer - self.column
        return start >= 0 and self.buffer[start : self.pointer].strip(" \t") != ""


LimitedLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: LimitedLoader, node: MappingNode, deep: bool = False) -> dict:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        if key_node.tag == _MERGE_TAG:
            continue
        if not isinstance(key_node, ScalarNode):
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be a name (a list or mapping cannot be a key)", key_node.start_mark
            )
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {excerpt(key)}", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


def _number(parse: Callable[[Any, Any], Any]):
    def construct(loader: LimitedLoader, node: ScalarNode):
        if len(node.value) > MAX_NUMBER_CHARS:
            return Refused(f"a number written with {len(node.value):,} characters (at most {MAX_NUMBER_CHARS})")
        return parse(loader, node)

    return construct


def _refuse(why: str):
    return lambda loader, node: Refused(why)


LimitedLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
LimitedLoader.add_constructor("tag:yaml.org,2002:int", _number(yaml.SafeLoader.construct_yaml_int))
LimitedLoader.add_constructor("tag:yaml.org,2002:float", _number(yaml.SafeLoader.construct_yaml_float))
for _tag, _why in {
    "binary": "binary data (`!!binary`) is not allowed; write the number or text itself",
    "timestamp": "a `!!timestamp` is not allowed; write a date as text",
    "set": "a `!!set` is not allowed; use a list",
    "omap": "an `!!omap` is not allowed; use a mapping",
    "pairs": "`!!pairs` are not allowed; use a mapping",
}.items():
    LimitedLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _refuse(_why))


def parse_yaml(text: str, source: str, what: str = "a YAML mapping of `key: value` lines") -> Any:
    """Parse `text` with the limited loader; errors name `source` and the line."""
    try:
        return yaml.load(text, Loader=LimitedLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or type(exc).__name__
        if isinstance(exc, _LimitExceeded):
            raise InputError(f"{source}: YAML beyond the limits{where}: {problem}.") from None
        raise InputError(f"{source}: malformed YAML{where}: {problem}. Fix the syntax; {what}.") from None
    except RecursionError:  # pragma: no cover - the depth limit comes first
        raise InputError(f"{source}: YAML nested too deeply.") from None


def parse_value(text: str, source: str) -> Any:
    """A `--set` value read as YAML (0.5, true, [1, 2]); text that is not YAML stays text."""
    try:
        return yaml.load(text, Loader=LimitedLoader)  # noqa: S506 - a SafeLoader subclass
    except _LimitExceeded as exc:
        raise InputError(f"{source}: the value is beyond the limits: {exc.problem}.") from None
    except yaml.YAMLError:
        return text


def read_yaml(path: str | Path, kind: str = "scenario") -> dict[str, Any]:
    """A `kind` file read within limits and parsed into a mapping (empty file: empty mapping)."""
    data = parse_yaml(read_text(path, kind), str(path), f"a {kind} is a YAML mapping of `key: value` lines")
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError(
            f"{path}: the top level must be a mapping of fields (`name: value` lines), not a {type(data).__name__}."
        )
    return data


# ---------------------------------------------------------------------------------------------
# Values


def dotted(loc: tuple[Any, ...]) -> str:
    """A validation error location as a dotted field path (`interventions.0.coverage`)."""
    return ".".join(str(p) for p in loc) or "(top level)"


def check_values(data: Any, source: str) -> None:
    """Refuse what no field accepts before validation: non-name keys, refused values, NaN and
    infinities, objects that are not YAML's plain data, nesting beyond `MAX_DEPTH`."""
    problems: list[str] = []

    def visit(node: Any, loc: tuple[Any, ...]) -> None:
        if len(problems) > MAX_PROBLEMS:
            return
        if len(loc) > MAX_DEPTH:
            problems.append(f"field `{excerpt(dotted(loc[:MAX_DEPTH]))[1:-1]}...` is nested more than {MAX_DEPTH} deep")
        elif isinstance(node, dict):
            for key, value in node.items():
                if isinstance(key, str):
                    visit(value, (*loc, key))
                else:
                    problems.append(f"field `{dotted(loc)}`: key {excerpt(key)} is not a field name")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                visit(value, (*loc, i))
        elif isinstance(node, Refused):
            problems.append(f"field `{dotted(loc)}`: {node.why}")
        elif isinstance(node, float) and not math.isfinite(node):
            problems.append(f"field `{dotted(loc)}`: must be a finite number (got {node})")
        elif node is not None and not isinstance(node, str | int | float | bool):
            problems.append(f"field `{dotted(loc)}`: a {type(node).__name__} is not allowed here")

    visit(data, ())
    if problems:
        raise InputError(f"{source}: " + join_problems(problems) + ".")


def validate_strict(
    model: type[BaseModel],
    data: dict[str, Any],
    source: str,
    kind: str,
    describe: Callable[[dict[str, Any]], str],
    hint: str = "",
) -> Any:
    """`model` validated from plain data with no coercion (no "500" for 500, no true for 1), or an
    `InputError` naming `source`, each field and what is allowed (`describe` words one error)."""
    check_values(data, source)
    try:
        return model.model_validate_json(json.dumps(data), strict=True)
    except ValidationError as exc:
        problems = [describe(e) for e in exc.errors()]
        head = f"{source}: {len(problems)} problem{'s' if len(problems) > 1 else ''} in the {kind}: "
        raise InputError(head + join_problems(problems) + "." + (f" {hint}" if hint else "")) from None


_WORDS = {
    "int_type": "must be a whole number, written without quotes",
    "int_from_float": "must be a whole number",
    "float_type": "must be a valid number, written without quotes",
    "bool_type": "must be true or false",
    "string_type": "must be text",
    "dict_type": "must be a mapping of fields",
    "model_type": "must be a mapping of fields",
    "model_attributes_type": "must be a mapping of fields",
    "list_type": "must be a list",
    "tuple_type": "must be a list",
    "missing": "is required",
    "finite_number": "must be a finite number",
}


def error_words(error: dict[str, Any]) -> str:
    """One pydantic error in the project's words (never pydantic's own sentence when we know better)."""
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind in _WORDS:
        return _WORDS[kind]
    bound = {
        "greater_than_equal": "greater than or equal to",
        "greater_than": "greater than",
        "less_than_equal": "less than or equal to",
        "less_than": "less than",
    }
    if kind in bound:
        return f"must be {bound[kind]} {next(iter(ctx.values()), '')}"
    if kind == "literal_error":
        return f"must be one of: {ctx.get('expected', '')}"
    if kind == "union_tag_invalid":
        return f"{ctx.get('discriminator', 'type')} {excerpt(ctx.get('tag'))} is not one of: {ctx.get('expected_tags')}"
    if kind == "union_tag_not_found":
        return f"needs a field {ctx.get('discriminator', 'type')} (which kind of item it is)"
    if kind == "string_pattern_mismatch":
        return f"may hold only letters, digits, `_`, `.` and `-` (pattern {ctx.get('pattern')})"
    if kind in ("string_too_short", "string_too_long"):
        side = "at least" if kind.endswith("short") else "at most"
        return f"must have {side} {ctx.get('min_length', ctx.get('max_length'))} characters"
    if kind in ("too_short", "too_long"):
        side = "at least" if kind == "too_short" else "at most"
        return f"must have {side} {ctx.get('min_length', ctx.get('max_length'))} items"
    if kind in ("value_error", "assertion_error"):
        return str(ctx.get("error", error["msg"]))
    return error["msg"]
