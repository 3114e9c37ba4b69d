"""Who is calling: credential lookup by hash (SID header, `Authorization: Bearer` or `Token`)
or the browser session."""

import copy
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication

from dashboards.models import Credential, User

# A session's idle clock is written at most this often, so reads do not all become writes.
LAST_USED_RESOLUTION = timezone.timedelta(minutes=1)


@dataclass(frozen=True)
class Principal:
    """An authenticated caller: a user (by session, token or cookie) or a partner key."""

    user: User | None
    is_partner: bool = False
    container_id: int | None = None  # set for a container-bound session

    @property
    def is_superuser(self):
        return bool(self.user and self.user.is_active and self.user.is_superuser)


# `Token` is Django REST framework's scheme, which SelfCommunity's client (an ApiClient built
# with an accessToken) sends; both name the same keys.
AUTHORIZATION_SCHEMES = ("bearer", "token")


class InvalidCredentials(Exception):
    """A key was presented but is unknown, expired, revoked, or its user is inactive."""


def presented_key(request):
    """The key from `Authorization: Bearer <key>` (or `Token <key>`) or `SID: <key>`; None when
    neither header is sent."""
    authorization = request.META.get("HTTP_AUTHORIZATION")
    if authorization is not None:
        scheme, _, key = authorization.strip().partition(" ")
        if scheme.lower() not in AUTHORIZATION_SCHEMES or not key.strip():
            raise InvalidCredentials
        return key.strip()
    sid = request.META.get("HTTP_SID")
    if sid is not None:
        if not sid.strip():
            raise InvalidCredentials
        return sid.strip()
    return None


class CredentialCache:
    """Recently looked-up partner keys and user tokens (with their users) by key hash, kept
    at most CREDENTIAL_CACHE_SECONDS and at most MAX_ENTRIES of them, in this process.

    Expiry is checked on every request. A change to a credential or a user made through the
    ORM in this process (revoke_key, the admin, a save or delete) empties the cache at once;
    other processes see it within CREDENTIAL_CACHE_SECONDS. Sessions are never kept (their
    idle clock is written as they are used)."""

    MAX_ENTRIES = 1024
    clock = staticmethod(time.monotonic)

    def __init__(self):
        self.entries = {}
        self.lock = threading.Lock()

    def credential(self, key_hash):
        seconds = settings.CREDENTIAL_CACHE_SECONDS
        if seconds > 0:
            kept = self.entries.get(key_hash)
            if kept is not None and self.clock() < kept[0]:
                return _detached(kept[1])
        credential = Credential.objects.select_related("user").filter(key_hash=key_hash).first()
        if seconds > 0 and credential is not None and credential.kind != Credential.SESSION:
            with self.lock:
                if len(self.entries) >= self.MAX_ENTRIES:
                    self.entries.pop(next(iter(self.entries)))
                self.entries[key_hash] = (self.clock() + seconds, _detached(credential))
        return credential

    def clear(self):
        with self.lock:
            self.entries.clear()


def _detached(credential):
    """A copy of the credential and its user: each request gets its own objects."""
    credential = copy.copy(credential)
    if credential.user is not None:
        credential.user = copy.copy(credential.user)
    return credential


credentials = CredentialCache()


@receiver(post_save, sender=Credential)
@receiver(post_delete, sender=Credential)
@receiver(post_save, sender=User)
@receiver(post_delete, sender=User)
def forget_credentials(**kwargs):
    credentials.clear()


def principal_for_key(key, now=None):
    """The principal a key stands for, or raise InvalidCredentials."""
    now = now or timezone.now()
    credential = credentials.credential(Credential.hash_key(key))
    if credential is None or not credential.is_valid(now):
        raise InvalidCredentials
    if credential.kind == Credential.PARTNER:
        return Principal(user=None, is_partner=True)
    if not credential.user.is_active:
        raise InvalidCredentials
    if credential.kind == Credential.SESSION and (
        credential.last_used_at is None or now - credential.last_used_at >= LAST_USED_RESOLUTION
    ):
        Credential.objects.filter(pk=credential.pk).update(last_used_at=now)
    container_id = credential.container_id if credential.kind == Credential.SESSION else None
    return Principal(user=credential.user, container_id=container_id)


def principal_for_request(request):
    """The caller of a request: a presented key wins over the cookie; None when anonymous.

    A request that presents a bad key is refused even when it also carries a valid cookie.
    """
    key = presented_key(request)
    if key is not None:
        return principal_for_key(key)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_active:
        return Principal(user=user)
    return None


class CredentialAuthentication(BaseAuthentication):
    """DRF wrapper: request.user is the caller's user (None for a partner key), request.auth
    the Principal. No credentials at all gives 401 through DRF's NotAuthenticated."""

    def authenticate(self, request):
        try:
            principal = principal_for_request(request._request)
        except InvalidCredentials as error:
            raise exceptions.AuthenticationFailed("Invalid credentials.") from error
        if principal is None:
            return None
        return (principal.user, principal)

    def authenticate_header(self, request):
        return 'Bearer realm="api"'
