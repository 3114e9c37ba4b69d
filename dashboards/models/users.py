"""Users: profile fields, the display-name rule in SQL, and normalized sorting keys."""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Concat, Length, Trim
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from dashboards import text
from dashboards.models.fields import CodePointTextField


def _non_blank(field):
    return Q(GreaterThan(Length(Trim(field)), 0))


def real_name_expression():
    """The display-name rule of org-dashboard-api.md in SQL, with "" for a user without a name."""
    return Case(
        When(_non_blank("full_name"), then=F("full_name")),
        When(_non_blank("fn"), then=F("fn")),
        When(
            _non_blank("first_name") & _non_blank("last_name"),
            then=Concat(
                F("first_name"), Value(" "), F("last_name"), output_field=models.TextField()
            ),
        ),
        When(_non_blank("first_name"), then=F("first_name")),
        When(_non_blank("last_name"), then=F("last_name")),
        default=Value(""),
        output_field=models.TextField(),
    )


def unnamed_rank(path=""):
    """1 for a user without a real name, else 0 (`path`: the lookup to the user, "user__"):
    the by-name order puts them after every named user, in both directions."""
    return Case(
        When(**{f"{path}real_name": ""}, then=Value(1)),
        default=Value(0),
        output_field=models.IntegerField(),
    )


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, username, password=None, **fields):
        user = self.model(username=username, **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, username, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(username, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    PROFILE_FIELDS = (
        "username",
        "email",
        "first_name",
        "last_name",
        "fn",
        "full_name",
        "location",
        "short_desc",
        "long_desc",
        "website",
        "avatar",
    )

    username = models.CharField(max_length=150, unique=True, null=True, blank=True)
    email = models.CharField(max_length=254, unique=True, null=True, blank=True)
    first_name = models.CharField(max_length=255, null=True, blank=True)
    last_name = models.CharField(max_length=255, null=True, blank=True)
    fn = models.CharField(max_length=255, null=True, blank=True)
    full_name = models.CharField(max_length=255, null=True, blank=True)
    location = models.CharField(max_length=255, null=True, blank=True)
    short_desc = models.TextField(null=True, blank=True)
    long_desc = models.TextField(null=True, blank=True)
    website = models.CharField(max_length=1000, null=True, blank=True)
    avatar = models.CharField(max_length=1000, null=True, blank=True)
    last_seen = models.DateTimeField(null=True, blank=True)
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    real_name = models.GeneratedField(
        expression=real_name_expression(), output_field=models.TextField(), db_persist=True
    )
    display_name = models.GeneratedField(
        expression=Case(
            When(GreaterThan(Length(real_name_expression()), 0), then=real_name_expression()),
            default=Value("Unknown"),
            output_field=models.TextField(),
        ),
        output_field=models.TextField(),
        db_persist=True,
    )
    # Normalized copies (text.normalize) for accent- and case-blind sorting and matching,
    # which SQLite cannot compute itself. Kept in step by save() and the dataset loader.
    name_key = CodePointTextField(default="", editable=False)
    search_key = CodePointTextField(default="", editable=False)
    roster_search_key = CodePointTextField(default="", editable=False)
    # The columns chosen per listing page ({listing: [column names]}), read with the user the
    # request already loads, so remembering costs a page no query (dashboards/tables/columns.py).
    listing_columns = models.JSONField(null=True, blank=True, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["email"]

    class Meta:
        indexes = [
            models.Index(fields=["name_key", "id"], name="user_name_key_idx"),
            # The course roster's by-name order (filters/course_progress.py), in each
            # direction: its first page walks the users by name, not a sort of every user.
            models.Index(unnamed_rank(), F("name_key"), F("id"), name="user_by_name_idx"),
            models.Index(
                unnamed_rank(),
                models.OrderBy(F("name_key"), descending=True),
                F("id"),
                name="user_by_name_desc_idx",
            ),
            models.Index(fields=["last_seen", "id"], name="user_last_seen_idx"),
            # PostgreSQL also has user_last_seen_desc_idx (migration 0002): SQLite has no
            # NULLS LAST in an index.
        ]

    def __str__(self):
        return self.username or self.display_name_now()

    def display_name_now(self):
        return text.display_name(**self._names())

    def _names(self):
        return {
            "full_name": self.full_name,
            "fn": self.fn,
            "first_name": self.first_name,
            "last_name": self.last_name,
        }

    def refresh_keys(self):
        """Recompute the normalized columns from the profile fields."""
        for field in self.PROFILE_FIELDS:
            setattr(self, field, text.blank_to_none(getattr(self, field)))
        self.name_key, self.search_key, self.roster_search_key = user_keys(
            username=self.username, email=self.email, **self._names()
        )

    def save(self, *args, **kwargs):
        self.refresh_keys()
        super().save(*args, **kwargs)


def user_keys(*, username, email, first_name, last_name, fn, full_name):
    """(name_key, search_key, roster_search_key) of a profile whose blank fields are None."""
    real_name = text.real_name(
        full_name=full_name, fn=fn, first_name=first_name, last_name=last_name
    )
    search_key = "\n".join(
        text.normalize(value)
        for value in (first_name, last_name, full_name, fn, username, email)
        if value
    )
    roster_search_key = "\n".join(text.normalize(value) for value in (username, real_name) if value)
    return text.normalize(real_name or "Unknown"), search_key, roster_search_key
