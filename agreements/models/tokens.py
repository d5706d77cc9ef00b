"""Personal API tokens: a user makes one on their profile page, sees it once, and revokes it.

Only the SHA-256 of a token is stored, so a copy of the database hands out no working token.
"""

import contextvars
from contextlib import contextmanager

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# What a token starts with, so a leaked one is recognisable (and secret scanners can match it).
TOKEN_PREFIX = "avt_"  # noqa: S105 - a public marker, not a secret


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, now=None):
        """Tokens neither revoked nor expired at ``now``, of active users."""
        return self.filter(
            revoked_at__isnull=True,
            expires_at__gt=now or timezone.now(),
            user__is_active=True,
        )


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bruker"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("navn"), max_length=100)
    digest = models.CharField(_("SHA-256"), max_length=64, unique=True, editable=False)
    # The first characters after the prefix, shown in the list so the user can tell tokens apart.
    hint = models.CharField(_("begynner med"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)
    expires_at = models.DateTimeField(_("utløper"))
    last_used_at = models.DateTimeField(_("sist brukt"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("trukket tilbake"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API-nøkkel")
        verbose_name_plural = _("API-nøkler")

    def __str__(self):
        return self.name

    def is_usable(self, now=None) -> bool:
        return self.revoked_at is None and self.expires_at > (now or timezone.now())


_acting_token = contextvars.ContextVar("acting_token", default=None)


@contextmanager
def acting_through(token: ApiToken | None):
    """Within the block, audit events say they were written through ``token`` (None: nothing)."""
    reset = _acting_token.set(token)
    try:
        yield
    finally:
        _acting_token.reset(reset)


def acting_token() -> ApiToken | None:
    """The API token the current request acts through, or None (a page, a worker, a command)."""
    return _acting_token.get()
