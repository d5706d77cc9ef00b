"""Use cases of personal API tokens: create one (its text is shown once), revoke one, find the
token a request carries."""

from datetime import timedelta

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from ..models import ApiToken, User
from ..models.tokens import TOKEN_PREFIX
from ..secret_tokens import new_secret_token, token_digest

# The choices the token page offers; a token never lives longer than a year.
LIFETIMES_DAYS = (30, 90, 365)
# last_used_at is written at most this often per token, so a busy client does not write per call.
LAST_USED_RESOLUTION = timedelta(minutes=1)


@transaction.atomic
def do_create_api_token(actor: User, name: str, days: int) -> tuple[ApiToken, str]:
    """A new token for ``actor`` valid ``days`` days; returns the row and the token text, which
    is not stored anywhere and cannot be shown again."""
    raw = new_secret_token(TOKEN_PREFIX)
    token = ApiToken.objects.create(
        user=actor,
        name=name,
        digest=token_digest(raw),
        hint=raw[: len(TOKEN_PREFIX) + 6],
        expires_at=timezone.now() + timedelta(days=days),
    )
    return token, raw


@transaction.atomic
def do_revoke_api_token(actor: User, token_pk: int) -> ApiToken:
    """Revoke ``actor``'s own token ``token_pk`` (again is harmless); another's token is 404."""
    token = ApiToken.objects.select_for_update().filter(user=actor, pk=token_pk).first()
    if token is None:
        raise Http404("No such token")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def user_tokens(user: User):
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def token_for(raw: str) -> ApiToken | None:
    """The usable token whose text is ``raw`` (its user loaded), noting when it was used; None for
    anything else: unknown, revoked, expired, or its user deactivated."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    now = timezone.now()
    token = ApiToken.objects.usable(now).select_related("user").filter(digest=token_digest(raw))
    token = token.first()
    if token is None:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
