"""``links.url_for``: the same URL as ``reverse()`` for every value, reversed once per page."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from agreements.links import url_for


@pytest.mark.parametrize("value", ["HNIKT-2026-0007", "HNIKT-2026-0007-12", "a_b", "42"])
def test_it_gives_what_reverse_gives_for_a_string_route(value):
    assert url_for("agreements:detail")(value) == reverse("agreements:detail", args=[value])


@pytest.mark.parametrize("value", [7, 1234567890123, "15"])
def test_it_gives_what_reverse_gives_for_an_int_route(value):
    assert url_for("workflows:task")(value) == reverse("workflows:task", args=[value])


@pytest.mark.parametrize("value", ["æøå", "a b", "x?y=1", "a.b"])
def test_it_quotes_other_values_as_reverse_does(value):
    assert url_for("agreements:detail")(value) == reverse("agreements:detail", args=[value])


def test_it_refuses_what_reverse_refuses():
    with pytest.raises(NoReverseMatch):
        url_for("workflows:task")("abc")


def test_it_keeps_the_script_prefix_of_a_site_under_a_path():
    set_script_prefix("/avtaler/")
    try:
        assert url_for("workflows:task")(7) == "/avtaler/tasks/7/"
    finally:
        set_script_prefix("/")
