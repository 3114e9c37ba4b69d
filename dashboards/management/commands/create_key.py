"""Issue an API key: print it once (stdout), store only its hash."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from dashboards.access.keys import issue_key
from dashboards.models import Credential, Org, User

DEFAULT_EXPIRY_DAYS = 90


class Command(BaseCommand):
    help = "Issue an API key (partner, user token or session); the key is printed once."

    def add_arguments(self, parser):
        parser.add_argument("--kind", choices=Credential.Kind.values, default=Credential.TOKEN)
        parser.add_argument("--user", help="user id or username (token and session keys)")
        parser.add_argument("--container", type=int, help="container org id (session keys)")
        expiry = parser.add_mutually_exclusive_group()
        expiry.add_argument("--expires-at", help="ISO 8601 instant, e.g. 2027-01-01T00:00:00Z")
        expiry.add_argument(
            "--expires-in-days", type=int, help=f"default {DEFAULT_EXPIRY_DAYS} days"
        )
        expiry.add_argument("--no-expiry", action="store_true", help="a key that never expires")

    def handle(self, *args, kind, user, container, expires_at, expires_in_days, **options):
        if expires_at is None and expires_in_days is None and not options["no_expiry"]:
            expires_in_days = DEFAULT_EXPIRY_DAYS
        owner = None
        if user:
            lookup = {"pk": int(user)} if user.isdigit() else {"username": user}
            owner = User.objects.filter(**lookup).first()
            if owner is None:
                raise CommandError(f"No user {user!r}.")
        org = None
        if container is not None:
            org = Org.objects.filter(pk=container).first()
            if org is None:
                raise CommandError(f"No org {container}.")
        expiry = None
        if expires_at:
            try:
                expiry = parse_datetime(expires_at)
            except ValueError:  # well formed, but no such day or time
                expiry = None
            if expiry is None or timezone.is_naive(expiry):
                raise CommandError("--expires-at needs an ISO 8601 instant with a time zone.")
        elif expires_in_days is not None:
            expiry = timezone.now() + timedelta(days=expires_in_days)
        try:
            credential, key = issue_key(kind, user=owner, container=org, expires_at=expiry)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stderr.write(
            f"Credential {credential.pk} ({credential.get_kind_display()}) issued. "
            "The key below is shown only now; only its hash is stored."
        )
        self.stdout.write(key)
