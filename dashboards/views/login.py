"""Log-in with throttling: repeated failures for one username, or from one address, lock the
form for a while (the counts live in Django's cache; REDIS_URL shares them between workers)."""

import hashlib

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.core.exceptions import ValidationError

# One address may fail this many times the per-username limit (several people behind a NAT).
ADDRESS_FACTOR = 4
THROTTLED = "throttled"


def _cache_key(kind, value):
    digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()
    return f"login-failures:{kind}:{digest}"


def failure_keys(request, username):
    """The cache keys counting failures for this username and this client address, with the
    limit each one may reach."""
    limit = settings.LOGIN_FAILURE_LIMIT
    return [
        (_cache_key("user", (username or "").strip().casefold()), limit),
        (_cache_key("address", request.META.get("REMOTE_ADDR", "")), limit * ADDRESS_FACTOR),
    ]


def is_locked(request, username):
    counts = cache.get_many([key for key, _ in failure_keys(request, username)])
    return any(counts.get(key, 0) >= limit for key, limit in failure_keys(request, username))


def record_failure(request, username):
    for key, _ in failure_keys(request, username):
        # add() starts the window; incr() keeps its expiry.
        cache.add(key, 0, timeout=settings.LOGIN_FAILURE_WINDOW)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW)


def clear_failures(request, username):
    cache.delete(failure_keys(request, username)[0][0])


class ThrottledAuthenticationForm(AuthenticationForm):
    """The password is not even checked while the username or the address is locked."""

    def clean(self):
        username = self.cleaned_data.get("username")
        if self.request is not None and is_locked(self.request, username):
            minutes = max(1, settings.LOGIN_FAILURE_WINDOW // 60)
            raise ValidationError(
                f"Too many failed log-in attempts. Try again in {minutes} minutes.",
                code=THROTTLED,
            )
        try:
            return super().clean()
        except ValidationError:
            if self.request is not None:
                record_failure(self.request, username)
            raise


class LoginView(auth_views.LoginView):
    """Django's LoginView (CSRF-protected) with ThrottledAuthenticationForm; a locked attempt
    answers 429."""

    form_class = ThrottledAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        clear_failures(self.request, form.cleaned_data.get("username"))
        return super().form_valid(form)

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.has_error("__all__", THROTTLED):
            response.status_code = 429
        return response
