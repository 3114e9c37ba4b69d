"""Saved views: a user's named listing query (page, filters, order, columns), never its rows."""

import secrets

from django.db import models

from dashboards.models.users import User


def share_key():
    return secrets.token_urlsafe(12)


class SavedView(models.Model):
    """A listing's path and query string under a name. Opening it (by its share key, by
    anyone logged in) goes to that address, where the viewer's own rights apply."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="saved_views")
    name = models.CharField(max_length=100)
    path = models.CharField(max_length=300)
    query = models.CharField(max_length=2000, blank=True, default="")
    # The shareable link's key: not the id, so that views cannot be listed by counting.
    key = models.CharField(max_length=32, unique=True, default=share_key, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="saved_view_name_per_user")
        ]

    def __str__(self):
        return self.name

    @property
    def address(self):
        return f"{self.path}?{self.query}" if self.query else self.path
