"""Django admin for every model, fit for large tables (1M users, 10M course members).

Every changelist selects its foreign keys in the same query (no per-row queries), skips the
second "full result" count, and on PostgreSQL takes the planner's row estimate instead of
counting a large unfiltered table. Foreign keys to big tables are raw ids; orgs use
autocomplete. A credential's plaintext key exists only in the response that creates it.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from dashboards import text
from dashboards.keys import new_key
from dashboards.models import Course, CourseMember, CourseShare, Credential, Org, OrgRole, User

# Below this many rows an exact count is cheap enough.
ESTIMATE_COUNT_ABOVE = 100_000


class LargeTablePaginator(Paginator):
    """Count exactly, except an unfiltered PostgreSQL table the planner thinks is large."""

    @cached_property
    def count(self):
        queryset = self.object_list
        connection = connections[queryset.db]
        if connection.vendor == "postgresql" and not queryset.query.where:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                    [queryset.model._meta.db_table],
                )
                row = cursor.fetchone()
            if row and row[0] > ESTIMATE_COUNT_ABOVE:
                return row[0]
        return super().count


class LargeTableAdmin(admin.ModelAdmin):
    paginator = LargeTablePaginator
    show_full_result_count = False
    list_per_page = 50


class ContainerFilter(admin.SimpleListFilter):
    """Filter by container, offering containers only (not every org of every tree)."""

    title = _("container")
    parameter_name = "container"
    field = "container_id"

    def lookups(self, request, model_admin):
        containers = Org.objects.filter(org_type=Org.CONTAINER).order_by("title", "id")
        return [(str(org.pk), org.title) for org in containers.only("id", "title")]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if not value.isdigit():
            return queryset.none()
        return queryset.filter(**{self.field: int(value)})


class OrgContainerFilter(ContainerFilter):
    field = "org__container_id"


class CourseContainerFilter(ContainerFilter):
    field = "course__container_id"


def normalized_terms_match(field, search_term):
    """Q: every normalized term of search_term is a substring of field (a normalized column)."""
    match = Q()
    for term in text.search_terms(search_term):
        match &= Q(**{f"{field}__contains": term})
    return match


def id_match(search_term, field="pk"):
    """Q for an id typed into the search box; matches nothing for other text."""
    value = search_term.strip()
    if value.isdigit() and len(value) < 19:
        return Q(**{field: int(value)})
    return Q(pk__in=[])


def user_match(search_term):
    """Q on users: normalized terms in name, username or email; or exact username, email, id."""
    exact = search_term.strip()
    return (
        normalized_terms_match("search_key", search_term)
        | Q(username=exact)
        | Q(email=exact)
        | id_match(search_term)
    )


def course_match(search_term):
    """Q on courses: normalized terms in the title; or an exact slug or id."""
    return (
        normalized_terms_match("title_key", search_term)
        | Q(slug=search_term.strip())
        | id_match(search_term)
    )


def of_matching_users(search_term):
    """Q on rows with a `user` key: the user matches user_match. A subquery rather than a
    join, so the database finds the few users first, then their rows by the user index."""
    return Q(user__in=User.objects.filter(user_match(search_term)).values("pk"))


# --- users --------------------------------------------------------------------------------


class UserCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "email")


class UserEditForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User


@admin.register(User)
class UserAdmin(BaseUserAdmin, LargeTableAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("Profile"),
            {
                "fields": tuple(f for f in User.PROFILE_FIELDS if f != "username"),
            },
        ),
        (
            _("Derived (computed from the profile)"),
            {"fields": ("display_name", "real_name", "search_key")},
        ),
        (
            _("Permissions"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                )
            },
        ),
        (_("Dates"), {"fields": ("last_seen", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "email", "usable_password", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ("display_name", "real_name", "search_key", "last_login")
    list_display = ("id", "username", "email", "display_name", "last_seen", "is_staff")
    list_display_links = ("id", "username")
    list_filter = ("is_superuser", "is_staff", "is_active", "last_seen")
    # Declared for the search box and for autocomplete; get_search_results does the matching.
    search_fields = ("username", "email")
    ordering = ("id",)

    def get_search_results(self, request, queryset, search_term):
        """Accent- and case-blind on names, username and email (search_key), or an exact
        username, email or id."""
        if not search_term.strip():
            return queryset, False
        return queryset.filter(user_match(search_term)), False


# --- orgs and roles ------------------------------------------------------------------------


@admin.register(Org)
class OrgAdmin(LargeTableAdmin):
    list_display = ("id", "title", "org_type", "parent", "container", "path")
    list_display_links = ("id", "title")
    list_select_related = ("parent", "container")
    list_filter = ("org_type", ContainerFilter)
    search_fields = ("title",)
    autocomplete_fields = ("parent",)
    readonly_fields = ("path", "container")
    fields = ("title", "org_type", "parent", "path", "container")
    ordering = ("path",)

    def get_search_results(self, request, queryset, search_term):
        """Titles, or an org id."""
        found, duplicates = super().get_search_results(request, queryset, search_term)
        if not search_term.strip():
            return found, duplicates
        return found | queryset.filter(id_match(search_term)), duplicates


@admin.register(OrgRole)
class OrgRoleAdmin(LargeTableAdmin):
    list_display = ("id", "user", "role", "org")
    list_select_related = ("user", "org")
    list_filter = ("role", OrgContainerFilter)
    search_fields = ("org__title",)
    raw_id_fields = ("user",)
    autocomplete_fields = ("org",)
    ordering = ("-id",)

    def get_search_results(self, request, queryset, search_term):
        """A user by name, username or email (accent-blind), or an org by title."""
        found, duplicates = super().get_search_results(request, queryset, search_term)
        if not search_term.strip():
            return found, duplicates
        return found | queryset.filter(of_matching_users(search_term)), duplicates


# --- courses -------------------------------------------------------------------------------


class CourseShareFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        container_id = self.instance.container_id
        for form in self.forms:
            org = form.cleaned_data.get("org")
            if org is None or form.cleaned_data.get("DELETE"):
                continue
            if org.container_id != container_id:
                form.add_error("org", _("A course can only be shared with orgs of its container."))


class CourseShareInline(admin.TabularInline):
    model = CourseShare
    formset = CourseShareFormSet
    autocomplete_fields = ("org",)
    extra = 0
    verbose_name = _("shared with org")
    verbose_name_plural = _("shared with orgs")


@admin.register(Course)
class CourseAdmin(LargeTableAdmin):
    list_display = (
        "id",
        "title",
        "container",
        "course_type",
        "privacy",
        "created_by",
        "created_at",
    )
    list_display_links = ("id", "title")
    list_select_related = ("container", "created_by")
    list_filter = ("course_type", "privacy", ContainerFilter)
    search_fields = ("title", "slug")
    autocomplete_fields = ("container",)
    raw_id_fields = ("created_by",)
    readonly_fields = ("title_key",)
    inlines = (CourseShareInline,)
    ordering = ("-id",)

    def get_search_results(self, request, queryset, search_term):
        """Accent- and case-blind on the title (title_key), or an exact slug or id."""
        if not search_term.strip():
            return queryset, False
        return queryset.filter(course_match(search_term)), False


class ProgressFilter(admin.SimpleListFilter):
    """A learner's stage: not started (0 %), in progress, completed (has a finish date)."""

    title = _("progress")
    parameter_name = "progress"

    def lookups(self, request, model_admin):
        return [
            ("not-started", _("not started")),
            ("in-progress", _("in progress")),
            ("completed", _("completed")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "not-started":
            return queryset.filter(completion_rate=0, finish_date__isnull=True)
        if value == "in-progress":
            return queryset.filter(completion_rate__gt=0, finish_date__isnull=True)
        if value == "completed":
            return queryset.filter(finish_date__isnull=False)
        return queryset


@admin.register(CourseMember)
class CourseMemberAdmin(LargeTableAdmin):
    list_display = (
        "id",
        "user",
        "course",
        "join_status",
        "completion_rate",
        "score",
        "joined_at",
        "last_active_at",
        "finish_date",
    )
    list_select_related = ("user", "course")
    list_filter = ("join_status", ProgressFilter, CourseContainerFilter)
    search_fields = ("user__username", "user__email", "course__title")
    raw_id_fields = ("user", "course")
    ordering = ("-id",)

    def get_search_results(self, request, queryset, search_term):
        """A user by name (accent-blind), username or email, or a course by title; or an id."""
        if not search_term.strip():
            return queryset, False
        match = of_matching_users(search_term) | Q(
            course__in=Course.objects.filter(course_match(search_term)).values("pk")
        )
        return queryset.filter(match), False


# --- credentials ---------------------------------------------------------------------------


class CredentialForm(forms.ModelForm):
    class Meta:
        model = Credential
        fields = ("kind", "user", "container", "expires_at", "revoked")

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind", getattr(self.instance, "kind", None))
        user = cleaned.get("user", getattr(self.instance, "user", None))
        if kind in (Credential.SESSION, Credential.TOKEN) and user is None:
            self.add_error("user", _("A session or a token needs a user."))
        if kind == Credential.PARTNER and user is not None:
            self.add_error("user", _("A partner key belongs to no user."))
        if kind != Credential.SESSION and cleaned.get("container") is not None:
            self.add_error("container", _("Only a session can be bound to a container."))
        return cleaned


@admin.register(Credential)
class CredentialAdmin(LargeTableAdmin):
    """Keys are generated here, shown once in a message, and stored only as their hash."""

    form = CredentialForm
    list_display = (
        "id",
        "kind",
        "user",
        "container",
        "key_prefix",
        "valid",
        "revoked",
        "expires_at",
        "last_used_at",
        "created_at",
    )
    list_select_related = ("user", "container")
    list_filter = ("kind", "revoked", ContainerFilter)
    search_fields = ("user__username",)
    raw_id_fields = ("user",)
    autocomplete_fields = ("container",)
    readonly_fields = ("key_hash", "created_at", "last_used_at")
    ordering = ("-id",)

    @admin.display(description=_("key hash"))
    def key_prefix(self, credential):
        return f"{credential.key_hash[:12]}…"

    @admin.display(description=_("valid"), boolean=True)
    def valid(self, credential):
        return credential.is_valid()

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("kind", "user", *self.readonly_fields)

    def get_fields(self, request, obj=None):
        fields = ["kind", "user", "container", "expires_at", "revoked"]
        return fields if obj is None else [*fields, *self.readonly_fields]

    def get_search_results(self, request, queryset, search_term):
        """A user by name, username or email (accent-blind), or the credential of a pasted key
        (found by its hash; the key is not kept)."""
        if not search_term.strip():
            return queryset, False
        match = of_matching_users(search_term) | Q(
            key_hash=Credential.hash_key(search_term.strip())
        )
        return queryset.filter(match), False

    def save_model(self, request, obj, form, change):
        if not change:
            key = new_key()
            obj.set_key(key)
            messages.warning(
                request,
                _(
                    "The new key is %(key)s — copy it now: only its hash is stored, "
                    "it will not be shown again."
                )
                % {"key": key},
            )
        super().save_model(request, obj, form, change)
