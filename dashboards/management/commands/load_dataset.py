"""manage.py load_dataset FILE [--replace] [--progress/--no-progress]"""

import argparse
import sys
import time

from django.core.management.base import BaseCommand, CommandError

from dashboards.dataset.load import DatasetError, load_dataset_file


class Command(BaseCommand):
    help = (
        "Load a dataset file (.json or .json.gz, see docs/dataset.md): upsert by id in one "
        "transaction. On any problem nothing is written, every problem (up to 50) is printed "
        "and the exit status is 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the dataset, .json or .json.gz")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="first delete every row of the kinds (lists) the file has",
        )
        parser.add_argument(
            "--progress",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="show progress bars on stderr (default: when stderr is a terminal)",
        )

    def handle(self, *args, file, replace, progress, **options):
        if progress is None:
            progress = sys.stderr.isatty()
        started = time.monotonic()
        try:
            counts = load_dataset_file(file, replace=replace, progress=progress)
        except DatasetError as error:
            for line in error.report_lines():
                self.stderr.write(line)
            raise CommandError(
                f"Nothing was loaded: {error.total} problem{'s' * (error.total != 1)} in {file}.",
                returncode=1,
            ) from None
        loaded = ", ".join(f"{count} {name}" for name, count in counts.items() if count)
        seconds = time.monotonic() - started
        self.stdout.write(f"Loaded {loaded or 'nothing'} from {file} in {seconds:.1f} s.")
