"""Revoke an API key, given the key itself (argument or stdin) or the credential id."""

import sys

from django.core.management.base import BaseCommand, CommandError

from dashboards.access.keys import revoke_key


class Command(BaseCommand):
    help = "Revoke an API key: pass the key ('-' reads it from stdin) or --id."

    def add_arguments(self, parser):
        parser.add_argument("key", nargs="?", help="the key; '-' reads it from stdin")
        parser.add_argument("--id", type=int, dest="credential_id", help="the credential id")

    def handle(self, *args, key, credential_id, **options):
        if key == "-":
            key = sys.stdin.readline()
        try:
            revoked = revoke_key(key=key, credential_id=credential_id)
        except ValueError as error:
            raise CommandError(f"{error} (a key, '-' for stdin, or --id)") from None
        if revoked == 0:
            raise CommandError("No such active key.")
        self.stdout.write("Revoked.")
