"""Credentials: API keys (partner keys, user tokens, sessions), stored as their hash."""

import hashlib

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from dashboards.models.orgs import Org
from dashboards.models.users import User

SESSION_IDLE_LIFETIME = timezone.timedelta(hours=24)


class Credential(models.Model):
    class Kind(models.TextChoices):
        PARTNER = "partner", "partner key"
        SESSION = "session", "session"
        TOKEN = "token", "user token"

    PARTNER, SESSION, TOKEN = Kind.PARTNER, Kind.SESSION, Kind.TOKEN

    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    kind = models.CharField(max_length=16, choices=Kind)
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

    def clean(self):
        """The rules of a credential: a partner key has no user, a token or a session has
        one, only a session is bound to a container, and a new key is not born expired."""
        errors = {}
        if self.kind == self.PARTNER and self.user_id is not None:
            errors["user"] = "A partner key belongs to no user."
        if self.kind in (self.SESSION, self.TOKEN) and self.user_id is None:
            errors["user"] = f"A {self.get_kind_display()} needs a user."
        if self.kind != self.SESSION and self.container_id is not None:
            errors["container"] = "Only a session can be bound to a container."
        if self._state.adding and self.expires_at and self.expires_at <= timezone.now():
            errors["expires_at"] = "The expiry of a new key must be in the future."
        if errors:
            raise ValidationError(errors)

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
