"""``AuditEvent.get_action_display``: Django's label for every action, in either language."""

import pytest
from django.db import models
from django.utils import translation

from agreements.models import AuditEvent

FIELD = AuditEvent._meta.get_field("action")


@pytest.mark.parametrize("language", ["nb", "en"])
@pytest.mark.parametrize("action", AuditEvent.Action.values)
def test_it_gives_the_label_django_would(action, language):
    event = AuditEvent(action=action)
    with translation.override(language):
        assert event.get_action_display() == models.Model._get_FIELD_display(event, FIELD)


def test_it_shows_an_unknown_value_as_it_is():
    assert AuditEvent(action="no_such_action").get_action_display() == "no_such_action"


def test_it_speaks_english_when_asked():
    event = AuditEvent(action=AuditEvent.Action.CREATED)
    with translation.override("en"):
        english = event.get_action_display()
    with translation.override("nb"):
        assert english != event.get_action_display()
