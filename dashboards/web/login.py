"""Log-in with limits, by django-axes: failures are counted in the database (shared by every
worker and host) per username AND client address, with a cap per client address over all
usernames; a locked pair or client is not even asked for its password. The same limits guard
this form and the admin's (settings: AUTHENTICATION_BACKENDS, AXES_*; docs/reliability.md)."""

from datetime import timedelta

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db.models import Sum

# One address may fail this many times the per-username limit, over all usernames (several
# people behind a NAT).
ADDRESS_FACTOR = 4
THROTTLED = "throttled"


def attempted_username(request, credentials=None):
    """The username a failure counts against: stripped and casefolded, as it was typed."""
    if credentials and credentials.get("username") is not None:
        username = credentials["username"]
    else:
        username = getattr(request, "POST", {}).get("username")
    return str(username or "").strip().casefold()


def failure_limit(request, credentials=None):
    return settings.LOGIN_FAILURE_LIMIT


def failure_window(request=None):
    return timedelta(seconds=settings.LOGIN_FAILURE_WINDOW)


class LoginLimitBackend(AxesStandaloneBackend):
    """Refuse a locked (username, address) or address before any password is checked.
    authenticate() without a request (a shell, a command, the test client's login) is no web
    log-in and is not limited."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class LoginAttempts(AxesDatabaseHandler):
    """Axes' database handler with two limits instead of one. AXES_LOCKOUT_PARAMETERS lists
    (username, address) first and the address second; a pair locks at the limit, an address
    at ADDRESS_FACTOR × the limit, so a stranger's failures never lock the owner out."""

    def get_failures(self, request, credentials=None):
        by_pair, by_address = (
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        return max(by_pair, by_address // ADDRESS_FACTOR)

    def user_logged_in(self, sender, request, user, **kwargs):
        super().user_logged_in(sender, request, user, **kwargs)
        # The user's own earlier typos from this address are forgiven; the address's
        # failures for other usernames still count.
        AccessAttempt.objects.filter(
            username=attempted_username(request, {"username": user.get_username()}),
            ip_address=request.axes_ip_address,
        ).delete()


def locked_out(request, original_response, credentials=None):
    """Axes' lockout answer: the log-in page as rendered (it says why), as 429."""
    original_response.status_code = settings.AXES_HTTP_RESPONSE_CODE
    return original_response


class LockoutMessageMixin:
    """Say "too many attempts" instead of "wrong password" when axes refused the attempt."""

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            if getattr(self.request, "axes_locked_out", False):
                minutes = max(1, settings.LOGIN_FAILURE_WINDOW // 60)
                raise ValidationError(
                    f"Too many failed log-in attempts. Try again in {minutes} minutes.",
                    code=THROTTLED,
                ) from None
            raise


class LimitedAuthenticationForm(LockoutMessageMixin, AuthenticationForm):
    pass


class LimitedAdminAuthenticationForm(LockoutMessageMixin, AdminAuthenticationForm):
    pass


class LoginView(auth_views.LoginView):
    """Django's LoginView (CSRF-protected) with the limits' message; a locked attempt
    answers 429 (AxesMiddleware, through locked_out)."""

    form_class = LimitedAuthenticationForm
    redirect_authenticated_user = True
