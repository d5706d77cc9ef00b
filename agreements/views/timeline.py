"""The timeline section of the agreement page, and the versions it is linked to."""

from ..permissions import visible_agreements
from ..timeline import timeline, versions


def timeline_panel_context(request, agreement):
    return {
        "events": timeline(agreement),
        **versions(agreement, visible_agreements(request.user)),
    }
