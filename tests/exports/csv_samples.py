"""What the CSV tests share: texts the two CSV writers (PostgreSQL's COPY and csv.writer) could
write differently, and csv.writer's bytes of rows as the export writes them."""

import csv
import datetime as dt
import io

from dashboards.exports.csv import csv_cell

# Texts the two writers could write differently.
HOSTILE = [
    "=1+1",
    "+1",
    "-1",
    "@SUM(A1)",
    "\tx",
    "\rx",
    "a,b",
    'say "hi"',
    "two\nlines",
    "cr\ronly",
    "",
    " ",
    "\\.",
    "'quoted",
    "Émile Ünïcødé",
    None,
]
PROFILE = ["first_name", "last_name", "fn", "full_name", "location", "short_desc", "long_desc"]
SEEN = [
    dt.datetime(2025, 3, 1, 9, 30, tzinfo=dt.UTC),
    dt.datetime(2025, 3, 1, 9, 30, 0, 250000, tzinfo=dt.UTC),
    dt.datetime(2024, 12, 31, 23, 59, 59, 999999, tzinfo=dt.UTC),
    None,
]


def written(header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([csv_cell(value) for value in row] for row in rows)
    return buffer.getvalue().encode()
