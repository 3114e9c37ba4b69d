"""Orgs: a tree per tenant (the container at its root), and the roles users hold in them."""

from django.db import models
from django.db.models import Q

from dashboards.models.users import User


class Org(models.Model):
    class Type(models.TextChoices):
        CONTAINER = "container", "container"
        BASE = "base", "base"
        PORTAL = "portal", "portal"
        TOPIC = "topic", "topic"

    CONTAINER, BASE, PORTAL, TOPIC = Type.CONTAINER, Type.BASE, Type.PORTAL, Type.TOPIC

    title = models.CharField(max_length=255)
    org_type = models.CharField(max_length=16, choices=Type, default=Type.BASE)
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
    class Role(models.TextChoices):
        ADMIN = "admin", "admin"
        INSTRUCTOR = "instructor", "instructor"
        LEARNER = "learner", "learner"

    ADMIN, INSTRUCTOR, LEARNER = Role.ADMIN, Role.INSTRUCTOR, Role.LEARNER

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="org_roles")
    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=16, choices=Role)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "org", "role"], name="org_role_unique"),
        ]
        indexes = [models.Index(fields=["org", "role", "user"], name="org_role_org_idx")]

    def __str__(self):
        return f"{self.user_id} {self.role} of {self.org_id}"
