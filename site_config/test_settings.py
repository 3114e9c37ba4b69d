"""Settings for the test suite: the real settings with a fixed key and fast hashing."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-for-the-suite-not-for-production-use")

from site_config.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
SECURE_SSL_REDIRECT = False
# The suite's scratch database may hold the demo (seed_demo refuses without DEBUG otherwise).
DEMO_HOST = True
# The suite serves static files from the finders; there is no collectstatic output to point at.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
# A replica alias mirroring the test database, for the read-replica routing tests (the router
# itself is switched on per test; DATABASE_REPLICA_URL is not needed).
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
# The org overview counts on every page (a test writes, then reads the page again).
ORG_OVERVIEW_CACHE_SECONDS = 0
# Credentials are looked up on every request (tests revoke keys with plain UPDATEs too).
CREDENTIAL_CACHE_SECONDS = 0
