"""Courses: a container's course, the orgs it is shared with, and its members."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from dashboards import text
from dashboards.models.fields import CodePointTextField
from dashboards.models.orgs import Org
from dashboards.models.users import User


class Course(models.Model):
    class Type(models.TextChoices):
        SELF_PACED = "self-paced", "self-paced"
        STRUCTURED = "structured", "structured"
        SCHEDULED = "scheduled", "scheduled"

    class Privacy(models.TextChoices):
        NONE = "", "(none)"
        OPEN = "open", "open"
        PRIVATE = "private", "private"
        SECRET = "secret", "secret"

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
    course_type = models.CharField(max_length=16, choices=Type, default=Type.SELF_PACED)
    privacy = models.CharField(max_length=16, choices=Privacy, blank=True, default=Privacy.NONE)
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
    class JoinStatus(models.TextChoices):
        CREATOR = "creator", "creator"
        MANAGER = "manager", "manager"
        JOINED = "joined", "joined"
        INVITED = "invited", "invited"
        REQUESTED = "requested", "requested"

    CREATOR, MANAGER, JOINED = JoinStatus.CREATOR, JoinStatus.MANAGER, JoinStatus.JOINED
    INVITED, REQUESTED = JoinStatus.INVITED, JoinStatus.REQUESTED
    JOIN_STATUSES = JoinStatus.choices

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="course_links")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="members")
    join_status = models.CharField(max_length=16, choices=JoinStatus)
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
            # The roster's completion filters and order (completion_min/max,
            # ordering=user_completion_rate): a range of the index, ties by user.
            models.Index(
                fields=["course", "join_status", "completion_rate", "user"],
                name="cm_course_completion_idx",
            ),
        ]

    def __str__(self):
        return f"{self.user_id} {self.join_status} in {self.course_id}"
