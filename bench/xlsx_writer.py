"""The spreadsheet writer alone, on generated rows: time and peak Python memory growth.

    .venv/bin/python bench/xlsx_writer.py [--rows 200000]

Rows shaped like the org members' spreadsheet (a name, an email, a role, two counts, a
time) go through dashboards.exports.spreadsheet.write_workbook into a temporary file, with no
database, so the figure is the writer's own: constant_memory keeps it flat in the row count.
"""

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_config.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from dashboards.exports.spreadsheet import SheetColumn, write_workbook  # noqa: E402

COLUMNS = [
    SheetColumn("Name", "name", width=30),
    SheetColumn("Email", "email", width=30),
    SheetColumn("Role", "rank", words={0: "Admin", 1: "Instructor", 2: "Org learner"}),
    SheetColumn("Enrolled", "enrolled"),
    SheetColumn("Completed", "completed"),
    SheetColumn("Last seen (UTC)", "last_seen", kind="time", width=20),
]
START = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


def generated_rows(count):
    for n in range(count):
        yield (
            f"Émilie Lefèvre {n}",
            f"member{n}@example.org",
            n % 3,
            n % 17,
            n % 5,
            None if n % 9 == 0 else START + dt.timedelta(minutes=n),
        )


def write(path, rows, *, traced):
    if traced:
        tracemalloc.start()
    start = time.perf_counter()
    written = write_workbook(path, COLUMNS, generated_rows(rows))
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] / 2**20 if traced else None
    tracemalloc.stop()
    return written, seconds, peak


def measure(rows):
    """{rows, seconds, peak_mb, file_mb} for `rows` generated rows: timed without tracing
    (tracemalloc slows Python several times over), then written again traced."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "bench.xlsx")
        written, seconds, _ = write(path, rows, traced=False)
        size = os.path.getsize(path) / 2**20
        _, _, peak = write(path, rows, traced=True)
    return {"rows": written, "seconds": seconds, "peak_mb": peak, "file_mb": size}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=200_000)
    args = parser.parse_args(argv)
    for rows in (args.rows // 10, args.rows):
        result = measure(rows)
        print(
            f"{result['rows']:>9,} rows: {result['seconds']:.1f} s, peak Python memory growth "
            f"{result['peak_mb']:.1f} MB, file {result['file_mb']:.1f} MB"
        )


if __name__ == "__main__":
    main()
