"""Read a dataset file (.json or .json.gz) into Python objects, or say where it is broken."""

import gzip
import json
import zlib

from dashboards.dataset.errors import DatasetError

GZIP_MAGIC = b"\x1f\x8b"


def read_dataset_file(path):
    """Parse a .json or .json.gz dataset file; any fault becomes a DatasetError."""
    name = str(path)
    try:
        with open(path, "rb") as file:
            raw = file.read()
    except OSError as error:
        raise DatasetError([f"{name}: cannot read the file ({error.strerror or error})"]) from None
    if raw.startswith(GZIP_MAGIC):
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as error:
            raise DatasetError([f"{name}: not a readable gzip file ({error})"]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line, column = _line_and_column(raw, error.start)
        raise DatasetError(
            [f"{name}: line {line} column {column}: not UTF-8 text ({error.reason})"]
        ) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise DatasetError(
            [f"{name}: line {error.lineno} column {error.colno}: malformed JSON ({error.msg})"]
        ) from None
    except RecursionError:
        raise DatasetError([f"{name}: malformed JSON (nested too deeply)"]) from None
    if not isinstance(data, dict):
        raise DatasetError([f"{name}: expected a JSON object at the top, got {json_type(data)}"])
    return data


def json_type(value):
    """The JSON name of a parsed value's type, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    return "object"


def _line_and_column(raw, offset):
    line = raw.count(b"\n", 0, offset) + 1
    column = offset - (raw.rfind(b"\n", 0, offset) + 1) + 1
    return line, column
