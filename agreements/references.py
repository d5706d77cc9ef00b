"""Human agreement references such as ``HNIKT-2026-0007``."""

from django.conf import settings
from django.db import transaction

from .models import ReferenceSequence


def next_reference(year: int) -> str:
    """Hand out the next reference of ``year``; numbers are never reused.

    The sequence row is locked for the rest of the caller's transaction, so two agreements created
    at the same moment get consecutive numbers instead of the same one.
    """
    with transaction.atomic():
        ReferenceSequence.objects.get_or_create(year=year)
        seq = ReferenceSequence.objects.select_for_update().get(year=year)
        seq.last_number += 1
        seq.save(update_fields=["last_number"])
    return f"{settings.AGREEMENT_REFERENCE_PREFIX}-{year}-{seq.last_number:04d}"
