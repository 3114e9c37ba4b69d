"""Write a large, realistic dataset file for measuring load_dataset (docs/dataset.md).

    python bench/make_dataset.py --users 100000 OUT.json.gz

The records are seed_demo's (dashboards/demo/records.py, no Django) on a fixed day,
so --users 100000 writes the data of the benchmark's tier M before bench/tiers.py shapes it,
and the same arguments always give the same bytes. --containers, --orgs, --courses and
--members resize the demo's shape (orgs and members approximately: the org trees come from
the demo's word lists, a learner's courses are drawn at random).
"""

import argparse
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dashboards.dataset.format import open_output, write_dataset  # noqa: E402
from dashboards.demo.records import (  # noqa: E402 (after the path is set)
    CONTAINERS,
    MAX_UNITS,
    MIN_USERS,
    DemoDataset,
    demo_dataset,
)

AS_OF = date(2026, 11, 23)  # the benchmark tiers' day (bench/tiers.py)


def units_for(orgs, users, seed, now, containers):
    """The fewest units per container that give at least `orgs` orgs (all of them if none)."""
    for units in range(1, MAX_UNITS + 1):
        shape = DemoDataset(users, seed, now=now, containers=containers, units=units)
        if len(shape.orgs) >= orgs:
            return units
    return MAX_UNITS


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", help="the file to write, .json or .json.gz")
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--as-of", type=date.fromisoformat, default=AS_OF, help="the demo's day (YYYY-MM-DD)"
    )
    parser.add_argument("--containers", type=int, help=f"1 to {len(CONTAINERS)}")
    parser.add_argument("--orgs", type=int, help="at least this many orgs, as far as they go")
    parser.add_argument("--courses", type=int, help="at least 2 per container")
    parser.add_argument("--members", type=int, help="about this many course members")
    args = parser.parse_args(argv)
    if args.users < MIN_USERS:
        parser.error(f"--users must be at least {MIN_USERS}")
    started = time.monotonic()
    now = datetime.combine(args.as_of, datetime.min.time(), tzinfo=UTC)
    shape = {"containers": args.containers, "courses": args.courses}
    if args.orgs is not None:
        shape["units"] = units_for(args.orgs, args.users, args.seed, now, args.containers)
    if args.members is not None:
        shape["mean_courses"] = round(args.members / args.users)
    try:
        data = demo_dataset(args.users, args.seed, now=now, **shape)
    except ValueError as error:
        parser.error(str(error))
    with open_output(args.out) as out:
        counts = write_dataset(out, data)
    summary = ", ".join(f"{count} {name}" for name, count in counts.items())
    print(f"Wrote {summary} to {args.out} in {time.monotonic() - started:.1f} s.", file=sys.stderr)


if __name__ == "__main__":
    main()
