"""Issue and revoke API keys: the key is shown once, only its SHA-256 is stored."""

import secrets

from dashboards.access.authentication import forget_credentials
from dashboards.models import Credential

KEY_BYTES = 32  # 256 bits of randomness, well above the 128 the issue asks for


def new_key():
    """A random URL-safe key that does not start with "-", so a shell command can take it as an
    argument without it being read as an option."""
    while True:
        key = secrets.token_urlsafe(KEY_BYTES)
        if not key.startswith("-"):
            return key


def issue_key(kind, *, user=None, container=None, expires_at=None):
    """Create a credential and return (credential, key); the key is not kept anywhere.

    Raise ValidationError when the credential breaks a rule of Credential.clean()."""
    key = new_key()
    credential = Credential(kind=kind, user=user, container=container, expires_at=expires_at)
    credential.set_key(key)
    credential.full_clean(exclude=["key_hash"])
    credential.save()
    return credential, key


def revoke_key(*, key=None, credential_id=None):
    """Revoke the credential of a key, or of an id; return how many were revoked (0 or 1).

    Raise ValueError unless exactly one of a non-blank key and an id is given: a call that
    names no credential must never reach every credential."""
    key = (key or "").strip()
    if bool(key) == (credential_id is not None):
        raise ValueError("Give either a key or a credential id.")
    credentials = Credential.objects.filter(revoked=False)
    if key:
        credentials = credentials.filter(key_hash=Credential.hash_key(key))
    else:
        credentials = credentials.filter(pk=credential_id)
    revoked = credentials.update(revoked=True)
    forget_credentials()
    return revoked
