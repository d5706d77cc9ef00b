"""An agreement's row lock held for a whole workflow step.

A task's completion (``workflows.actions``) loads its agreement with ``SELECT ... FOR UPDATE``
under the flow's process lock and marks that instance held for the block (``holding``). Inside
it the use cases act on that same instance (``locked``) instead of re-reading it, so the flow
sees the status they wrote without a reload; they open no savepoint of their own (``use_case``,
``insert_guard``), since any error there rolls the whole step back; and answers that cannot change
while the process lock is held are read once (``remember``; a claim uses only this, with
``row_locked=False``).

Everywhere else (pages, the worker, tests calling a use case directly) nothing is held: the use
cases re-read the row locked and keep their savepoint, as before.
"""

import functools
import inspect
from collections.abc import Callable
from contextlib import contextmanager

from django.db import connection, transaction

from .models import Agreement

_HELD = "_row_lock_held"
_MEMO = "_row_lock_memo"


@contextmanager
def holding(agreement: Agreement, *, row_locked: bool = True):
    """Mark ``agreement`` (just read with ``SELECT ... FOR UPDATE`` in the current transaction,
    whose failure rolls back everything the block wrote) as held while the block runs.

    ``row_locked=False``: the row is not locked, but the caller holds a lock that keeps what
    ``remember`` keeps from changing (the flow's process lock); only ``remember`` applies then.
    """
    setattr(agreement, _HELD, row_locked)
    agreement.__dict__.setdefault(_MEMO, {})
    try:
        yield agreement
    finally:
        agreement.__dict__.pop(_HELD, None)
        agreement.__dict__.pop(_MEMO, None)


def is_held(agreement) -> bool:
    """``agreement`` is an instance marked by ``holding`` and its transaction is still open."""
    return bool(getattr(agreement, _HELD, False)) and connection.in_atomic_block


def locked(agreement: Agreement) -> Agreement:
    """``agreement`` under its row lock: the instance itself when held, otherwise re-read with
    ``SELECT ... FOR UPDATE`` (``Agreement.objects.locked``)."""
    if is_held(agreement):
        return agreement
    return Agreement.objects.locked(agreement.pk)


def remember(agreement: Agreement, key: str, compute: Callable):
    """``compute()``, kept on an ``agreement`` inside ``holding`` for the rest of the block;
    computed each time outside it."""
    memo = agreement.__dict__.get(_MEMO) if connection.in_atomic_block else None
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def forget(agreement: Agreement, key: str) -> None:
    """Drop what ``remember`` kept under ``key`` (the use case just changed it)."""
    agreement.__dict__.get(_MEMO, {}).pop(key, None)


def insert_guard(agreement: Agreement):
    """The block around an INSERT whose ``IntegrityError`` the caller turns into a message: a
    savepoint, so the transaction can go on, except when ``agreement`` is held, where the message
    ends the step and its transaction rolls back as a whole."""
    return transaction.atomic(savepoint=not is_held(agreement))


def use_case(func):
    """``transaction.atomic`` for a use case with an ``agreement`` argument, without a savepoint
    of its own when that agreement is held: the step's transaction rolls back as a whole."""
    signature = inspect.signature(func)

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        agreement = signature.bind_partial(*args, **kwargs).arguments.get("agreement")
        with transaction.atomic(savepoint=not is_held(agreement)):
            return func(*args, **kwargs)

    return wrapper
