"""The org dashboard's query parameters, bound by the org pages, their CSV and the /vfo API.

Each FilterSet validates every parameter of its listing with the exact messages of
org-dashboard-api.md; the API answers with the first invalid one in the order of PARAMETERS.
A blank value counts as an absent parameter.
"""

import django_filters
from django import forms
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dashboards.filters.params import (
    INTEGER,
    MAX_LIST_ITEMS,
    FreeTextFilter,
    ListParameterField,
    ParameterField,
    ParameterFilterSet,
    WholeNumberField,
    from_unix_seconds,
    text_or_none,
)
from dashboards.models import User
from dashboards.models.roles import COURSE_STATUSES, ROLES
from dashboards.text import normalize, search_terms

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100

# Columns of the listing's roster rows (selectors.orgs): the copies of the user's keys, the rank.
SORTS = {
    "fullName": "name_key",
    "lastSeen": "last_seen",
    "role": "rank",
    # Beyond the contract (docs/api-org.md): the per-org counts, never null.
    "enrolledCount": "enrolled_count",
    "completedCount": "completed_count",
}
NEVER_NULL_SORTS = {"enrolledCount", "completedCount"}
# Without sort and order: by full name, ascending (org-dashboard-api.md).
DEFAULT_SORT = "fullName"
ORDERS = ["ascending", "descending"]
# The contracts' messages, in English for the APIs (which activate English) and translated on
# the pages: gettext when raised, gettext_lazy for these constants.
BOTH_SORT_AND_ORDER = gettext_lazy("Both sort and order are mandatory if one of them is supplied")
PARAM_NUMBER_EXPECTED = gettext_lazy("Param number expected")


def invalid(param, value):
    return _("Invalid %(param)s: '%(value)s'") % {"param": param, "value": value}


class ItemListField(ListParameterField):
    """A comma-separated (or repeated) list of names; blanks around commas and empty items are
    ignored; the first unknown item is named in `Invalid <param>: '<item>'`."""

    def __init__(self, *, choices, **kwargs):
        super().__init__(**kwargs)
        self.choices = choices

    def too_many(self, items):
        return _("Invalid %(param)s: '%(value)s' (at most %(limit)s items)") % {
            "param": self.param,
            "value": items[MAX_LIST_ITEMS],
            "limit": MAX_LIST_ITEMS,
        }

    def to_python(self, value):
        items = self.items(value)
        for item in items:
            if item not in self.choices:
                raise forms.ValidationError(invalid(self.param, item))
        return list(dict.fromkeys(items))


class FlagField(ParameterField):
    """`true` or `false` in any case; absent means false."""

    def to_python(self, value):
        text = text_or_none(value)
        if text is None:
            return False
        if text.lower() not in ("true", "false"):
            raise forms.ValidationError(invalid(self.param, value))
        return text.lower() == "true"


class UnixTimeField(ParameterField):
    """Unix seconds (an integer) as an aware datetime; out of the datetime range is invalid."""

    def to_python(self, value):
        text = text_or_none(value)
        if text is None:
            return None
        # Past 20 digits no value is in datetime's range; int() of a huge string is slow.
        if INTEGER.fullmatch(text) and len(text.lstrip("+-0")) <= 20:
            moment = from_unix_seconds(int(text))
            if moment is not None:
                return moment
        raise forms.ValidationError(invalid(self.param, value))


class PageNumberField(WholeNumberField):
    """A strict integer within [minimum, maximum], worded as the org family words it."""

    def not_a_number(self, text):
        return PARAM_NUMBER_EXPECTED

    def out_of_range(self, text):
        if self.maximum is None:
            message = _("Invalid %(param)s: '%(value)s' (expected %(minimum)s or more)")
        else:
            message = _("Invalid %(param)s: '%(value)s' (expected %(minimum)s to %(maximum)s)")
        return message % {
            "param": self.param,
            "value": text,
            "minimum": self.minimum,
            "maximum": self.maximum,
        }


class PageWindowForm(forms.Form):
    """The window onto a listing of the org family: page `page` of `perPage` entries."""

    page = PageNumberField(param="page", minimum=1, default=1)
    perPage = PageNumberField(  # (the API's parameter name)
        param="perPage", minimum=1, maximum=MAX_PER_PAGE, default=DEFAULT_PER_PAGE
    )


class MemberListForm(PageWindowForm):
    """sort and order (checked together), and the page."""

    sort = ParameterField(param="sort")
    order = ParameterField(param="order")

    def clean(self):
        cleaned = super().clean()
        sort, order = cleaned.get("sort"), cleaned.get("order")
        if (sort is None) != (order is None):
            self.add_error("sort", BOTH_SORT_AND_ORDER)
        elif sort is not None:
            if sort not in SORTS:
                self.add_error(
                    "sort", _("Bad sort criterion - %(sort)s") % {"sort": self.data.get("sort")}
                )
            if order not in ORDERS:
                self.add_error(
                    "order", _("Bad sort order - %(order)s") % {"order": self.data.get("order")}
                )
        if cleaned.get("neverSeen"):
            bounds = [name for name in ("since", "until") if self.data.get(name, "").strip()]
            if bounds:
                self.add_error("neverSeen", never_seen_conflict(bounds))
        return cleaned


def never_seen_conflict(bounds):
    """neverSeen keeps members without a lastSeen; since/until keep only those with one."""
    return _("neverSeen cannot be combined with %(bounds)s") % {"bounds": " or ".join(bounds)}


class RoleFilter(django_filters.Filter):
    field_class = ItemListField

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(rank__in=[ROLES.index(role) for role in value])


class AnonymousUsersFilter(django_filters.Filter):
    field_class = FlagField

    def filter(self, qs, value):
        if value:
            return qs
        return qs.filter(anonymous=False)


class LastSeenFilter(django_filters.Filter):
    """since (lastSeen ≥ since) or until (lastSeen < until); a NULL lastSeen never matches."""

    field_class = UnixTimeField

    def filter(self, qs, value):
        if value is None:
            return qs
        return qs.filter(**{f"last_seen__{self.lookup_expr}": value})


class NeverSeenFilter(django_filters.Filter):
    """neverSeen=true keeps members never seen (a NULL lastSeen); false is no filter."""

    field_class = FlagField

    def filter(self, qs, value):
        return qs.filter(last_seen__isnull=True) if value else qs


class OrgMemberFilterSet(ParameterFilterSet):
    """Filter and order the members of an org or a portal (org_members / portal_members)."""

    PARAMETERS = [
        "includeAnonymousUsers",
        "role",
        "filter",
        "sort",
        "order",
        "since",
        "until",
        "neverSeen",
        "page",
        "perPage",
    ]
    ORDER_PARAMETERS = ("sort", "order")
    # The filters a tally (selectors.orgs.member_tally: rows by rank and anonymity) answers as
    # well; any other filter in use counts the rows (ParameterFilterSet.filtered_tally).
    TALLIED = ["includeAnonymousUsers", "role"]

    includeAnonymousUsers = AnonymousUsersFilter(param="includeAnonymousUsers")
    role = RoleFilter(param="role", choices=ROLES)
    filter = FreeTextFilter(method="filter_terms")
    since = LastSeenFilter(param="since", lookup_expr="gte")
    until = LastSeenFilter(param="until", lookup_expr="lt")
    neverSeen = NeverSeenFilter(param="neverSeen")

    class Meta:
        form = MemberListForm

    def filter_terms(self, queryset, name, value):
        # search_key holds the normalized name fields, username and email joined by "\n",
        # and a term has no whitespace: a term found in it lies within ONE of them.
        terms = search_terms(value)
        if not terms:
            return queryset
        matching = User.objects.all()
        for term in terms:
            matching = matching.filter(search_key__contains=term)
        # IN (the matching users), not a join: both engines find the matching users in one
        # pass over the users (PostgreSQL: its trigram index) and probe the roster's range.
        return queryset.filter(user__in=matching)

    def order_queryset(self, queryset):
        sort = self.form.cleaned_data.get("sort")
        descending = self.form.cleaned_data.get("order") == "descending"
        column = F(SORTS.get(sort, SORTS[DEFAULT_SORT]))
        # A count is never null: a plain ASC/DESC matches its roster index on both engines.
        nulls_last = None if sort in NEVER_NULL_SORTS else True
        order = (
            column.desc(nulls_last=nulls_last) if descending else column.asc(nulls_last=nulls_last)
        )
        return queryset.order_by(order, "user_id")

    @property
    def sort(self):
        return self.form.cleaned_data.get("sort")

    @property
    def table_order(self):
        sort = self.form.cleaned_data.get("sort") or DEFAULT_SORT
        return f"-{sort}" if self.form.cleaned_data.get("order") == "descending" else sort

    @property
    def order(self):
        return self.form.cleaned_data.get("order")


class StatusFilter(django_filters.Filter):
    field_class = ItemListField

    def filter(self, qs, value):
        return qs.filter(status__in=value) if value else qs


class MemberCourseFilterSet(ParameterFilterSet):
    """Filter a member's courses in an org (member_courses): title and status."""

    PARAMETERS = ["title", "status", "page", "perPage"]

    title = FreeTextFilter(method="filter_title")
    status = StatusFilter(param="status", choices=COURSE_STATUSES)

    class Meta:
        form = PageWindowForm

    def filter_title(self, queryset, name, value):
        key = normalize(value.strip())
        return queryset.filter(course__title_key__contains=key) if key else queryset

    def order_queryset(self, queryset):
        return queryset.order_by(F("started_at").asc(nulls_last=True), "course_id")
