"""manage.py dump_dataset FILE"""

import sys

from django.core.management.base import BaseCommand, CommandError

from dashboards.dataset.dump import dump_dataset


class Command(BaseCommand):
    help = (
        "Write users, orgs, org roles, courses and course members to FILE in the dataset "
        "format (.json, or .json.gz by suffix; - for stdout). Credentials and passwords are "
        "never written."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="where to write: a .json or .json.gz path, or -")

    def handle(self, *args, file, **options):
        if file == "-":
            counts = dump_dataset(sys.stdout)
            sys.stdout.flush()
            report = sys.stderr
        else:
            try:
                counts = dump_dataset(file)
            except OSError as error:
                raise CommandError(f"Cannot write {file}: {error.strerror or error}") from None
            report = self.stdout
        written = ", ".join(f"{count} {name}" for name, count in counts.items())
        report.write(f"Wrote {written} to {file}.\n")
