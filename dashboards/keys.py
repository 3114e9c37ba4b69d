"""Issue and revoke API keys: the key is shown once, only its SHA-256 is stored."""

import secrets

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
    """Create a credential and return (credential, key); the key is not kept anywhere."""
    key = new_key()
    credential = Credential(kind=kind, user=user, container=container, expires_at=expires_at)
    credential.set_key(key)
    credential.full_clean(exclude=["key_hash"])
    credential.save()
    return credential, key


def revoke_key(*, key=None, credential_id=None):
    """Revoke the credential of a key (or of an id); return how many were revoked (0 or 1)."""
    credentials = Credential.objects.all()
    if key is not None:
        credentials = credentials.filter(key_hash=Credential.hash_key(key.strip()))
    if credential_id is not None:
        credentials = credentials.filter(pk=credential_id)
    return credentials.filter(revoked=False).update(revoked=True)
