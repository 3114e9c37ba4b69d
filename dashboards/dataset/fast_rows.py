"""The fast path of the long lists' checks: a record in the usual shape checked in one go,
anything else left to the field-by-field checks of validate.py (which report on it)."""

from dashboards.dataset import fields as f
from dashboards.dataset.format import JOIN_STATUSES

MEMBER_TIMESTAMPS = ("joinedAt", "lastActiveAt", "startDate", "finishDate")


def member_row_checker(stored_timestamp):
    """A course member's staged row, checked in one go, for a record in the usual shape
    (ids, a status, timestamps in UTC to the second, numbers in range); None for any other,
    which the field-by-field check then takes (and reports on). The same rules as
    SPECS["courseMembers"], for the million records of a large file."""
    statuses = frozenset(JOIN_STATUSES)

    def row(index, record):
        get = record.get
        user, course, status = get("userId"), get("courseId"), get("joinStatus")
        rate, score = get("completionRate", 0), get("score")
        if not (
            type(user) is int
            and 0 < user <= f.MAX_ID
            and type(course) is int
            and 0 < course <= f.MAX_ID
            and type(status) is str
            and status in statuses
            and (rate is None or (type(rate) is int and 0 <= rate <= 100))
            and (score is None or (type(score) in (int, float) and 0 <= score <= 1))
        ):
            return None
        times = []
        for name in MEMBER_TIMESTAMPS:
            value = get(name)
            if value is not None:
                value = stored_timestamp(value) if type(value) is str else None
                if value is None:
                    return None
            times.append(value)
        joined, active, start, finish = times
        return (
            index,
            user,
            course,
            status,
            joined,
            active,
            rate or 0,
            start,
            finish,
            None if score is None else float(score),
        )

    return row
