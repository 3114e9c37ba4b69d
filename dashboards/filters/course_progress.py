"""Who is behind, who has gone quiet: the course members' progress and activity parameters
(`completion_min`, `completion_max`, `active_within`, `inactive_for`, `never_active`) and the
orders beyond the contract's (`real_name`, `user_completion_rate`, `join_status`).

An additive extension of course-users-api.md, worded as that family words its 400s (DRF's
messages, keyed by parameter name). docs/api-course.md documents them.
"""

import django_filters
from django import forms
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from dashboards.filters.params import ParameterField, WholeNumberField, text_or_none
from dashboards.models import CourseMember
from dashboards.models.users import unnamed_rank

# Far enough for any learner's history, near enough that `now - days` stays a datetime.
MAX_DAYS = 36500
JOIN_STATUS_RANK = [status for status, _ in CourseMember.JOIN_STATUSES]
TRUE_WORDS, FALSE_WORDS = ("true", "1"), ("false", "0")


class BoundedNumberField(WholeNumberField):
    """An integer within [minimum, maximum], with DRF's message for the bound it crosses."""

    def __init__(self, **kwargs):
        kwargs.setdefault("default", None)
        super().__init__(**kwargs)

    def to_python(self, value):
        text = text_or_none(value)
        if text is not None and self.maximum is not None:
            try:
                if int(text) > self.maximum:
                    raise forms.ValidationError(
                        _("Ensure this value is less than or equal to %(limit)s.")
                        % {"limit": self.maximum}
                    )
            except ValueError:
                pass  # not an integer: the base class words it
        return super().to_python(value)


class BooleanParameterField(ParameterField):
    """`true`/`false` (or 1/0, any case); blank is absent (None)."""

    def to_python(self, value):
        text = text_or_none(value)
        if text is None:
            return None
        if text.lower() in TRUE_WORDS:
            return True
        if text.lower() in FALSE_WORDS:
            return False
        raise forms.ValidationError(_("Must be a valid boolean."))


class CompletionFilter(django_filters.Filter):
    """completion_min / completion_max: the completion rate within the bound, inclusive."""

    field_class = BoundedNumberField

    def filter(self, qs, value):
        if value is None:
            return qs
        return qs.filter(**{f"completion_rate__{self.lookup_expr}": value})


class DaysFilter(django_filters.Filter):
    """active_within (last active in the past N days) or inactive_for (last active more than N
    days ago, or never)."""

    field_class = BoundedNumberField

    def filter(self, qs, value):
        if value is None:
            return qs
        since = timezone.now() - timezone.timedelta(days=value)
        if self.lookup_expr == "gte":
            return qs.filter(last_active_at__gte=since)
        return qs.filter(Q(last_active_at__lt=since) | Q(last_active_at__isnull=True))


class NeverActiveFilter(django_filters.Filter):
    field_class = BooleanParameterField

    def filter(self, qs, value):
        return qs if value is None else qs.filter(last_active_at__isnull=value)


class ProgressBoundsForm(forms.Form):
    """A completion minimum above the maximum is refused, not answered with nothing."""

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("completion_min"), cleaned.get("completion_max")
        if low is not None and high is not None and low > high:
            self.add_error(
                "completion_min",
                _("Ensure completion_min is less than or equal to completion_max."),
            )
        return cleaned


class ProgressFilters(django_filters.FilterSet):
    """The progress and activity filters, declared once for CourseMemberFilterSet."""

    PROGRESS_PARAMETERS = [
        "completion_min",
        "completion_max",
        "active_within",
        "inactive_for",
        "never_active",
    ]

    completion_min = CompletionFilter(lookup_expr="gte", minimum=0, maximum=100)
    completion_max = CompletionFilter(lookup_expr="lte", minimum=0, maximum=100)
    active_within = DaysFilter(lookup_expr="gte", minimum=0, maximum=MAX_DAYS)
    inactive_for = DaysFilter(lookup_expr="lt", minimum=0, maximum=MAX_DAYS)
    never_active = NeverActiveFilter()


def order_expressions(key):
    """The ORDER BY of one `ordering` key (with `-` for descending): nulls and nameless last in
    both directions, as the contract sorts a null time."""
    descending = key.startswith("-")
    name = key.lstrip("-")

    def directed(expression):
        return expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)

    if name == "real_name":
        # Members without a name after every named one, whichever the direction; name_key is
        # never null, so plain ASC/DESC, as the users' by-name indexes are built.
        name_key = F("user__name_key")
        return [
            unnamed_rank("user__").asc(),
            name_key.desc() if descending else name_key.asc(),
        ]
    if name == "join_status":
        rank = Case(
            *[When(join_status=status, then=Value(i)) for i, status in enumerate(JOIN_STATUS_RANK)],
            output_field=IntegerField(),
        )
        return [directed(rank)]
    if name == "user_completion_rate":
        return [directed(F("completion_rate"))]
    return [directed(F(name))]
