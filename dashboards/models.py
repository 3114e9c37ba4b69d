"""The domain: users, org trees and roles, courses shared with orgs, course members, credentials."""

import hashlib

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Concat, Length, Trim
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from dashboards import text

SESSION_IDLE_LIFETIME = timezone.timedelta(hours=24)


class CodePointTextField(models.TextField):
    """Text compared by code point on every engine (PostgreSQL's "C" collation, SQLite's BINARY)."""

    def db_parameters(self, connection):
        params = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            params["collation"] = "C"
        return params


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

    objects = UserManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["email"]

    class Meta:
        indexes = [
            models.Index(fields=["name_key", "id"], name="user_name_key_idx"),
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
        real_name = text.real_name(**self._names())
        self.name_key = text.normalize(real_name or "Unknown")
        self.search_key = "\n".join(
            text.normalize(value)
            for value in (
                self.first_name,
                self.last_name,
                self.full_name,
                self.fn,
                self.username,
                self.email,
            )
            if value
        )
        self.roster_search_key = "\n".join(
            text.normalize(value) for value in (self.username, real_name) if value
        )

    def save(self, *args, **kwargs):
        self.refresh_keys()
        super().save(*args, **kwargs)


class Org(models.Model):
    CONTAINER, BASE, PORTAL, TOPIC = "container", "base", "portal", "topic"
    TYPES = [(CONTAINER, "container"), (BASE, "base"), (PORTAL, "portal"), (TOPIC, "topic")]

    title = models.CharField(max_length=255)
    org_type = models.CharField(max_length=16, choices=TYPES, default=BASE)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    # Materialized tree: path is "/<root id>/…/<own id>/", container the root (itself for a
    # container). Ancestor questions become a prefix test or a list of ids, with no recursion.
    path = models.CharField(max_length=1000, editable=False, default="", db_index=True)
    container = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.CASCADE,
        related_name="tree",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(org_type="container", parent__isnull=True)
                | (~Q(org_type="container") & Q(parent__isnull=False)),
                name="org_container_is_root",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.org_type} {self.pk})"

    def save(self, *args, **kwargs):
        old_path = self.path
        if self.pk is None:
            super().save(*args, **kwargs)
            kwargs = {**kwargs, "force_insert": False, "force_update": True}
        self._place_in_tree()
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            self._move_descendants(old_path)

    @property
    def ancestor_ids(self):
        """Ids from the container down to this org, this org included."""
        return [int(part) for part in self.path.strip("/").split("/") if part]

    def is_ancestor_of(self, other):
        """True when self is other or lies above it in the tree."""
        return other.path.startswith(self.path)

    def _place_in_tree(self):
        if self.parent_id is None:
            self.path, self.container_id = f"/{self.pk}/", self.pk
        else:
            parent = Org.objects.only("path", "container_id").get(pk=self.parent_id)
            if f"/{self.pk}/" in parent.path:
                raise ValueError(f"Org {self.pk} cannot be placed under its own descendant.")
            self.path, self.container_id = f"{parent.path}{self.pk}/", parent.container_id

    def _move_descendants(self, old_path):
        for org in Org.objects.filter(path__startswith=old_path).exclude(pk=self.pk):
            org.path = self.path + org.path[len(old_path) :]
            org.container_id = self.container_id
            org.save(update_fields=["path", "container"])


class OrgRole(models.Model):
    ADMIN, INSTRUCTOR, LEARNER = "admin", "instructor", "learner"
    ROLES = [(ADMIN, "admin"), (INSTRUCTOR, "instructor"), (LEARNER, "learner")]

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="org_roles")
    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=16, choices=ROLES)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "org", "role"], name="org_role_unique"),
        ]
        indexes = [models.Index(fields=["org", "role", "user"], name="org_role_org_idx")]

    def __str__(self):
        return f"{self.user_id} {self.role} of {self.org_id}"


class Course(models.Model):
    TYPES = [(t, t) for t in ("self-paced", "structured", "scheduled")]
    PRIVACIES = [("", "(none)"), ("open", "open"), ("private", "private"), ("secret", "secret")]

    title = models.CharField(max_length=255)
    slug = models.CharField(max_length=255, blank=True, default="")
    container = models.ForeignKey(
        Org,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="courses",
        limit_choices_to={"org_type": Org.CONTAINER},
    )
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="created_courses"
    )
    created_at = models.DateTimeField(null=True, blank=True)
    course_type = models.CharField(max_length=16, choices=TYPES, default="self-paced")
    privacy = models.CharField(max_length=16, choices=PRIVACIES, blank=True, default="")
    shared_with = models.ManyToManyField(
        Org, through="CourseShare", related_name="shared_courses", blank=True
    )
    title_key = CodePointTextField(default="", editable=False)

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.title_key = text.normalize(self.title)
        super().save(*args, **kwargs)


class CourseShare(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="shares")
    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="shares")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["course", "org"], name="course_share_unique"),
        ]
        indexes = [models.Index(fields=["org", "course"], name="course_share_org_idx")]

    def __str__(self):
        return f"course {self.course_id} shared with org {self.org_id}"


class CourseMember(models.Model):
    CREATOR, MANAGER, JOINED, INVITED, REQUESTED = (
        "creator",
        "manager",
        "joined",
        "invited",
        "requested",
    )
    JOIN_STATUSES = [(s, s) for s in (CREATOR, MANAGER, JOINED, INVITED, REQUESTED)]

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="course_links")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="members")
    join_status = models.CharField(max_length=16, choices=JOIN_STATUSES)
    joined_at = models.DateTimeField(null=True, blank=True)
    last_active_at = models.DateTimeField(null=True, blank=True)
    completion_rate = models.PositiveSmallIntegerField(
        default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    start_date = models.DateTimeField(null=True, blank=True)
    finish_date = models.DateTimeField(null=True, blank=True)
    score = models.FloatField(
        null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(1)]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["course", "user"], name="course_member_unique"),
            models.CheckConstraint(
                condition=Q(completion_rate__gte=0, completion_rate__lte=100),
                name="course_member_completion_range",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=1),
                name="course_member_score_range",
            ),
        ]
        indexes = [
            models.Index(
                fields=["course", "join_status", "joined_at"], name="cm_course_joined_idx"
            ),
            models.Index(
                fields=["course", "join_status", "last_active_at"], name="cm_course_active_idx"
            ),
            models.Index(fields=["user", "join_status"], name="cm_user_idx"),
            # Covers "the users joined in these courses" (org members): an index-only scan.
            models.Index(fields=["course", "join_status", "user"], name="cm_course_users_idx"),
        ]

    def __str__(self):
        return f"{self.user_id} {self.join_status} in {self.course_id}"


class OrgMember(models.Model):
    """A user in an org's listings, with their role ranks and counts against it: the roster.

    Written only by the database (dashboards/roster.py): triggers on roles, shares, course
    members, orgs and users keep it equal to what those tables say. Ranks: 0 admin,
    1 instructor, 2 org-learner, 3 course-learner. role_rank is the rank in the org's member
    listing, NULL for a portal's row of a container admin or instructor who is no member of
    the portal itself; portal_rank is the rank in the portal listing (every row of a portal
    counts). anonymous, name_key and last_seen copy the user's, so that a listing filters,
    sorts and counts within the roster's indexes.
    """

    pk = models.CompositePrimaryKey("org", "user")
    # The primary key (org, user) and org_member_user_idx index both columns already.
    org = models.ForeignKey(Org, on_delete=models.DO_NOTHING, related_name="roster", db_index=False)
    user = models.ForeignKey(
        User, on_delete=models.DO_NOTHING, related_name="roster_rows", db_index=False
    )
    role_rank = models.PositiveSmallIntegerField(null=True)
    portal_rank = models.PositiveSmallIntegerField()
    enrolled_count = models.PositiveIntegerField()
    completed_count = models.PositiveIntegerField()
    anonymous = models.BooleanField()
    name_key = CodePointTextField()
    last_seen = models.DateTimeField(null=True)

    class Meta:
        indexes = [
            # The default order; with the flags every listing filters on, it also counts.
            models.Index(
                fields=["org", "name_key", "user", "anonymous", "role_rank"],
                name="org_member_name_idx",
            ),
            models.Index(fields=["org", "role_rank", "user"], name="org_member_role_idx"),
            models.Index(fields=["org", "portal_rank", "user"], name="org_member_portal_idx"),
            models.Index(fields=["org", "last_seen", "user"], name="org_member_seen_idx"),
            models.Index(fields=["user", "org"], name="org_member_user_idx"),
        ]

    def __str__(self):
        return f"{self.user_id} in the roster of {self.org_id}"


class OrgMemberTally(models.Model):
    """How many roster rows of an org have each (role rank, portal rank, anonymous): the
    counts of the listings that filter on nothing else, without counting rows one by one.

    Kept by triggers on the roster (dashboards/roster.py). role_key is the row's role_rank,
    or NOT_A_MEMBER for a portal's row of a container admin or instructor.
    """

    NOT_A_MEMBER = 9

    org = models.ForeignKey(Org, on_delete=models.DO_NOTHING, related_name="+", db_index=False)
    role_key = models.PositiveSmallIntegerField()
    portal_rank = models.PositiveSmallIntegerField()
    anonymous = models.BooleanField()
    members = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["org", "role_key", "portal_rank", "anonymous"], name="org_member_tally_key"
            )
        ]

    def __str__(self):
        return f"{self.members} rows of the roster of {self.org_id}"


class RosterPause(models.Model):
    """Present (one row, inside a bulk write's transaction) while the roster triggers wait
    for that write's rebuild (roster.paused_for_bulk_write)."""

    def __str__(self):
        return "roster triggers paused"


class Credential(models.Model):
    PARTNER, SESSION, TOKEN = "partner", "session", "token"
    KINDS = [(PARTNER, "partner key"), (SESSION, "session"), (TOKEN, "user token")]

    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    kind = models.CharField(max_length=16, choices=KINDS)
    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="credentials"
    )
    container = models.ForeignKey(
        Org,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to={"org_type": Org.CONTAINER},
    )
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="partner") | Q(user__isnull=False),
                name="credential_user_required",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.key_hash[:8]}…"

    @staticmethod
    def hash_key(key):
        """The stored form of a key: keys are random secrets, so a plain SHA-256 suffices."""
        return hashlib.sha256(key.encode("utf-8")).hexdigest()

    def set_key(self, key):
        self.key_hash = self.hash_key(key)

    def is_valid(self, now=None):
        """False when revoked, at or past its expiry, or a session idle for 24 hours."""
        now = now or timezone.now()
        if self.revoked:
            return False
        if self.expires_at is not None:
            return now < self.expires_at
        if self.kind == self.SESSION:
            last_use = self.last_used_at or self.created_at
            return now < last_use + SESSION_IDLE_LIFETIME
        return True
