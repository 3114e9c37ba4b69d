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
from dashboards.access.keys import new_key
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
    # search_fields serve autocomplete; a search runs them only when this is True.
    search_fields_match = False

    def search_match(self, search_term):
        """Q of the rows a search finds (besides search_fields' when search_fields_match)."""
        return Q(pk__in=[])

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        found, duplicates = queryset.none(), False
        if self.search_fields_match:
            found, duplicates = super().get_search_results(request, queryset, search_term)
        return found | queryset.filter(self.search_match(search_term)), duplicates


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
        (_("Profile"), {"fields": tuple(f for f in User.PROFILE_FIELDS if f != "username")}),
        (
            _("Derived (computed from the profile)"),
            {"fields": ("display_name", "real_name", "search_key")},
        ),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
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
    # Declared for autocomplete; search_match does the matching.
    search_fields = ("username", "email")
    ordering = ("id",)

    def search_match(self, search_term):
        """Accent- and case-blind on names, username and email (search_key), or an exact
        username, email or id."""
        return user_match(search_term)


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

    search_fields_match = True

    def search_match(self, search_term):
        """Titles (search_fields), or an org id."""
        return id_match(search_term)


@admin.register(OrgRole)
class OrgRoleAdmin(LargeTableAdmin):
    list_display = ("id", "user", "role", "org")
    list_select_related = ("user", "org")
    list_filter = ("role", OrgContainerFilter)
    search_fields = ("org__title",)
    raw_id_fields = ("user",)
    autocomplete_fields = ("org",)
    ordering = ("-id",)

    search_fields_match = True

    def search_match(self, search_term):
        """A user by name, username or email (accent-blind), or an org by title."""
        return of_matching_users(search_term)


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

    def search_match(self, search_term):
        """Accent- and case-blind on the title (title_key), or an exact slug or id."""
        return course_match(search_term)


class ProgressFilter(admin.SimpleListFilter):
    """A learner's stage: not started (0 %), in progress, completed (has a finish date)."""

    title = _("progress")
    parameter_name = "progress"
    STAGES = {
        "not-started": (_("not started"), Q(completion_rate=0, finish_date__isnull=True)),
        "in-progress": (_("in progress"), Q(completion_rate__gt=0, finish_date__isnull=True)),
        "completed": (_("completed"), Q(finish_date__isnull=False)),
    }

    def lookups(self, request, model_admin):
        return [(value, label) for value, (label, _match) in self.STAGES.items()]

    def queryset(self, request, queryset):
        _label, match = self.STAGES.get(self.value(), (None, Q()))
        return queryset.filter(match)


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

    def search_match(self, search_term):
        """A user by name (accent-blind), username or email, or a course by title; or an id."""
        courses = Course.objects.filter(course_match(search_term)).values("pk")
        return of_matching_users(search_term) | Q(course__in=courses)


# --- credentials ---------------------------------------------------------------------------


class CredentialForm(forms.ModelForm):
    """The rules are Credential.clean()'s. Kind and user are fixed once the key exists:
    disabled (not read-only) fields, so that a rule's error still has a field to name."""

    class Meta:
        model = Credential
        fields = ("kind", "user", "container", "expires_at", "revoked")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["kind"].disabled = self.fields["user"].disabled = True


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
        return self.readonly_fields if obj else ()  # nothing to show before the key exists

    def search_match(self, search_term):
        """A user by name, username or email (accent-blind), or the credential of a pasted key
        (found by its hash; the key is not kept)."""
        return of_matching_users(search_term) | Q(key_hash=Credential.hash_key(search_term.strip()))

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
