"""Registries that other apps fill at start-up fail loudly when nothing registered."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from agreements import deadlines, panels


def test_it_refuses_to_guess_who_may_claim_a_task_without_the_workflow(monkeypatch):
    monkeypatch.setattr(deadlines, "_task_candidates", None)
    with pytest.raises(ImproperlyConfigured):
        deadlines.task_candidates(1)


def test_it_refuses_an_agreement_page_without_its_panels(monkeypatch):
    monkeypatch.setattr(panels, "_panels", [])
    with pytest.raises(ImproperlyConfigured):
        panels.detail_panels(None, None)
