"""The parties' names per agreement kind in templates: ``{{ agreement|customer_label }}``."""

from django import template

from ..appendix_files import has_appendices
from ..kinds import party_label

register = template.Library()


@register.filter
def customer_label(agreement) -> str:
    """ "Kunde", or for a data processor agreement "Behandlingsansvarlig"."""
    return party_label(agreement.kind, "customer")


@register.filter
def provider_label(agreement) -> str:
    """ "Leverandør", or for a data processor agreement "Databehandler"."""
    return party_label(agreement.kind, "provider")


@register.filter(name="has_appendices")
def has_appendices_filter(agreement) -> bool:
    """The agreement has SSA-D appendices (an operating agreement): link to its bilag page."""
    return has_appendices(agreement)
