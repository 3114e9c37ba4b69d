"""Read a dataset file (.json or .json.gz) list by list and record by record, in constant
memory, or say where it is broken.

The records are parsed by the standard library's own JSON scanner, one at a time, over a
window of the decoded text; the top-level object and its lists are walked here the way
`json.loads` walks them. So a broken file gets the very message `json.loads` would give
(same reason, line and column), and the window only ever holds a record or so.
"""

import codecs
import gzip
import json
import re
import zlib
from json.decoder import WHITESPACE, JSONDecodeError, scanstring

from dashboards.dataset.errors import DatasetError

GZIP_MAGIC = b"\x1f\x8b"
UTF8_BOM = codecs.BOM_UTF8
CHUNK = 1 << 20  # bytes read at a time
# An error this close to the end of the window may come from a value cut by the window's end
# (a literal such as `tru|e`, an escape such as `\u00|e9`): read on and try again.
CUT_MARGIN = 16
_scan_once = json.scanner.make_scanner(json.JSONDecoder())
_whitespace = WHITESPACE.match
_comma = re.compile(r"[ \t\n\r]*,[ \t\n\r]*").match  # json's whitespace around a comma


def read_dataset_file(path):
    """Parse a whole .json or .json.gz dataset file into a dict; any fault becomes a
    DatasetError. Small files only: `iter_dataset_file` streams."""
    data = {}
    for name, value in iter_dataset_file(path):
        data[name] = list(value) if isinstance(value, Records) else value
    return data


def iter_dataset_file(path, progress=None):
    """Yield (name, value) for each key of the file's top-level object, in file order; a
    list comes as Records (an iterator over its items, read as they are asked for).

    `progress` (a tqdm bar) advances by the bytes read from disk. Any fault of the file
    raises DatasetError with one line, as `json.loads` would have found it.
    """
    with _Text(path, progress) as text:
        yield from text.top_level()


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
    if isinstance(value, list | Records):
        return "list"
    return "object"


class Records:
    """The items of one list of the file, parsed one by one as they are asked for."""

    def __init__(self, items):
        self._items = items

    def __iter__(self):
        return self._items

    def drain(self):
        for _ in self._items:
            pass


class _Bytes:
    """The file's bytes, unzipped when gzip; read errors become the file's one problem."""

    def __init__(self, path, progress):
        self.name = str(path)
        self.progress = progress
        try:
            self.raw = open(path, "rb")  # noqa: SIM115 (closed by close())
        except OSError as error:
            raise self.fault(f"cannot read the file ({error.strerror or error})") from None
        self.stream = self.raw
        if self.raw.read(2) == GZIP_MAGIC:
            self.stream = gzip.GzipFile(fileobj=self.raw, mode="rb")
        self.raw.seek(0)
        self.read_so_far = 0

    def fault(self, reason):
        return DatasetError([f"{self.name}: {reason}"])

    def read(self):
        try:
            chunk = self.stream.read(CHUNK)
        except OSError as error:
            if self.stream is self.raw:
                raise self.fault(f"cannot read the file ({error.strerror or error})") from None
            raise self.fault(f"not a readable gzip file ({error})") from None
        except (EOFError, zlib.error) as error:
            raise self.fault(f"not a readable gzip file ({error})") from None
        if self.progress is not None:
            position = self.raw.tell()
            self.progress.update(position - self.read_so_far)
            self.read_so_far = position
        return chunk

    def close(self):
        self.stream.close()
        self.raw.close()


class _Text:
    """A window on the file's decoded text, with the bookkeeping that turns a position in it
    into the line and column of the whole text."""

    def __init__(self, path, progress):
        self.bytes = _Bytes(path, progress)
        self.name = self.bytes.name
        self.buf, self.pos, self.eof = "", 0, False
        self.dropped_chars = 0  # text before the window
        self.dropped_lines = 0  # newlines in it
        self.last_dropped_newline = -1  # its last newline's position in the whole text
        self.pending = b""  # the start of a character cut by the chunk's end
        self.bytes_before = 0  # bytes decoded before `pending`
        self.byte_lines = 0  # newlines in those bytes
        self.byte_last_newline = -1
        self.bom = 0

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.bytes.close()

    # Reading

    def count_byte_lines(self, data):
        newlines = data.count(b"\n")
        if newlines:
            self.byte_lines += newlines
            self.byte_last_newline = self.bytes_before + data.rfind(b"\n")
        self.bytes_before += len(data)

    def fail_utf8(self, data, error):
        # As bytes.decode("utf-8-sig") reports it: after a BOM, the offset it gives is
        # counted from the BOM's end but read as an offset into the whole file.
        at = error.start - self.bom
        before = data[: max(at, 0)]
        line = self.byte_lines + before.count(b"\n") + 1
        newline = before.rfind(b"\n")
        last = self.bytes_before + newline if newline >= 0 else self.byte_last_newline
        column = self.bytes_before + at - last
        self.check_rest_of_file(decode=False)
        raise DatasetError(
            [f"{self.name}: line {line} column {column}: not UTF-8 text ({error.reason})"]
        )

    def check_rest_of_file(self, decode=True):
        """Read to the end: a broken gzip stream, then text that is not UTF-8, is the problem
        to report rather than the JSON's."""
        if decode:
            while self.more(keep=False):
                pass
        while self.bytes.read():
            pass

    def compact(self):
        """Slide the window past what has been parsed (when that is worth the copy)."""
        if self.pos > CHUNK:
            dropped = self.buf[: self.pos]
            newlines = dropped.count("\n")
            if newlines:
                self.dropped_lines += newlines
                self.last_dropped_newline = self.dropped_chars + dropped.rfind("\n")
            self.dropped_chars += self.pos
            self.buf, self.pos = self.buf[self.pos :], 0

    def more(self, keep=True):
        """Append the next chunk's text to the window without moving it (positions into it
        stay valid); False at the end of the file. With keep=False, only decode it."""
        while not self.eof:
            text = self.decode(self.bytes.read())
            if text:
                if keep:
                    self.buf += text
                return True
        return False

    def decode(self, chunk):
        final = not chunk
        data = self.pending + chunk
        if not self.bytes_before:  # the file's start: skip a BOM, as utf-8-sig does
            if len(data) < len(UTF8_BOM) and not final and UTF8_BOM.startswith(data):
                self.pending = data
                return ""
            if data.startswith(UTF8_BOM):
                data, self.bom, self.bytes_before = data[3:], 3, 3
        try:
            text, used = codecs.utf_8_decode(data, "strict", final)
        except UnicodeDecodeError as error:
            self.fail_utf8(data, error)
        self.count_byte_lines(data[:used])
        self.pending = data[used:]
        self.eof = final
        return text

    # Failing

    def fail(self, message, pos):
        """Raise the DatasetError json.loads would give for `message` at window position pos."""
        self.check_rest_of_file()
        before = self.buf[:pos]
        line = self.dropped_lines + before.count("\n") + 1
        newline = before.rfind("\n")
        if newline >= 0:
            column = pos - newline
        else:
            column = self.dropped_chars + pos - self.last_dropped_newline
        raise DatasetError(
            [f"{self.name}: line {line} column {column}: malformed JSON ({message})"]
        )

    # Parsing

    def skip_whitespace(self):
        while True:
            self.pos = _whitespace(self.buf, self.pos).end()
            if self.pos < len(self.buf) or not self.more():
                return

    def char(self):
        """The character at the position ('' at the end of the text)."""
        while self.pos >= len(self.buf) and self.more():
            pass
        return self.buf[self.pos : self.pos + 1]

    def value(self):
        """Parse the JSON value at the position and step past it."""
        # No exception object outlives its except clause: one holds the whole window (its
        # `doc`) in a reference cycle with this frame, which only a full collection frees.
        while True:
            try:
                value, end = _scan_once(self.buf, self.pos)
            except StopIteration as stop:
                message, pos = "Expecting value", stop.value
            except JSONDecodeError as error:
                message, pos = error.msg, error.pos
            except RecursionError:
                self.check_rest_of_file()
                raise DatasetError([f"{self.name}: malformed JSON (nested too deeply)"]) from None
            else:
                if end < len(self.buf) or not self.more():
                    self.pos = end
                    return value
                continue
            self.more_or_fail(message, pos)

    def more_or_fail(self, message, pos):
        """Read on when the error may come from a value cut by the window's end, else fail."""
        cut = message.startswith("Unterminated string") or pos >= len(self.buf) - CUT_MARGIN
        if self.eof or not cut:
            self.fail(message, pos)
        self.more()

    def key(self):
        """Parse the object key whose opening quote is at the position."""
        while True:
            try:
                key, end = scanstring(self.buf, self.pos + 1, True)
            except JSONDecodeError as error:
                message, pos = error.msg, error.pos
            else:
                self.pos = end
                return key
            self.more_or_fail(message, pos)

    def top_level(self):
        self.skip_whitespace()
        first = self.char()
        if first == "{":
            self.pos += 1
            yield from self.object_items()
        elif first == "[":
            self.pos += 1
            for _ in self.array_items():
                pass
            self.end_of_text()
            raise DatasetError([f"{self.name}: expected a JSON object at the top, got list"])
        else:
            value = self.value()
            self.end_of_text()
            raise DatasetError(
                [f"{self.name}: expected a JSON object at the top, got {json_type(value)}"]
            )
        self.end_of_text()

    def end_of_text(self):
        self.skip_whitespace()
        if self.pos != len(self.buf):
            self.fail("Extra data", self.pos)

    def object_items(self):
        """The top-level object's (key, value) pairs, as json's object parser reads them."""
        self.skip_whitespace()
        if self.char() == "}":
            self.pos += 1
            return
        while True:
            if self.char() != '"':
                self.fail("Expecting property name enclosed in double quotes", self.pos)
            key = self.key()
            self.skip_whitespace()
            if self.char() != ":":
                self.fail("Expecting ':' delimiter", self.pos)
            self.pos += 1
            self.skip_whitespace()
            if self.char() == "[":
                self.pos += 1
                records = Records(self.array_items())
                yield key, records
                records.drain()
            else:
                yield key, self.value()
            if self.closed_after_item("}"):
                return

    def array_items(self):
        """The items of the list whose '[' was just read, as json's array parser reads them."""
        self.skip_whitespace()
        if self.char() == "]":
            self.pos += 1
            return
        while True:
            if self.pos > CHUNK:
                self.compact()
            yield self.value()
            # Most items are followed by a comma and the next item, all in the window: step
            # over them in one match (closed_after_item reads on, or fails, otherwise).
            comma = _comma(self.buf, self.pos)
            if comma and comma.end() < len(self.buf):
                self.pos = comma.end()
            elif self.closed_after_item("]"):
                return

    def closed_after_item(self, closer):
        """After an item of an object or a list: True past its closing bracket, False past
        the comma before the next item (json's own delimiter error otherwise)."""
        self.skip_whitespace()
        nextchar = self.char()
        if nextchar == closer:
            self.pos += 1
            return True
        if nextchar != ",":
            self.fail("Expecting ',' delimiter", self.pos)
        self.pos += 1
        self.skip_whitespace()
        return False
