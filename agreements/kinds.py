"""What differs between the kinds of agreement, in one entry per kind.

Every rule that depends on an agreement's kind reads it here: the kind's name, its terms table
and list tables, who must review it and whether other agreements may hang under it. The Word
template, its context and its example data are in ``docs_templates.kinds``. Adding a kind means
a new ``Agreement.Kind`` value, one entry below, one entry there and a template.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import (
    Agreement,
    Contact,
    DataProcessorTerms,
    Decision,
    OperatingAppendix,
    OperatingTerms,
    OtherTerms,
    PartyResponsibility,
    ProcessingLocation,
    Responsibility,
    SecurityMeasure,
    ServiceLevel,
    ServiceTerms,
    SubProcessor,
)

Kind = Agreement.Kind
Area = Decision.Area


@dataclass(frozen=True)
class KindSpec:
    """One agreement kind.

    ``row_models`` maps a related name on ``Agreement`` to the model of that list, in the order
    the terms page shows the lists. ``review_areas`` are the reviews the agreement must pass
    before approval, in the order they are listed. ``may_be_parent``: other agreements may hang
    under this one (service agreements and DPAs under an operating agreement; a DPA as the annex
    of a service agreement). ``customer_label`` and ``provider_label`` are what the app calls the
    two parties, the same words the kind's document uses (a DPA: behandlingsansvarlig and
    databehandler).
    """

    kind: Kind
    terms_model: type[models.Model]
    row_models: Mapping[str, type[models.Model]]
    # Once in force, the contract owner revises it every year: a deadline on each anniversary of
    # its start date (``agreements.renewal``).
    yearly_revision: bool = False
    review_areas: tuple[Area, ...] = (Area.LEGAL,)
    may_be_parent: bool = False
    customer_label: str | Promise = _("Kunde")
    provider_label: str | Promise = _("Leverandør")

    @property
    def label(self):
        """The kind's one name (the model's choice label), in the app and in documents."""
        return self.kind.label


def _rows(**models_by_related_name: type[models.Model]) -> Mapping[str, type[models.Model]]:
    return MappingProxyType(models_by_related_name)


_OPERATING_ROWS = _rows(appendices=OperatingAppendix)

KINDS: Mapping[str, KindSpec] = MappingProxyType(
    {
        spec.kind: spec
        for spec in (
            KindSpec(
                Kind.MAIN_OPERATING,
                OperatingTerms,
                _OPERATING_ROWS,
                may_be_parent=True,
                yearly_revision=True,
            ),
            KindSpec(
                Kind.OPERATING,
                OperatingTerms,
                _OPERATING_ROWS,
                may_be_parent=True,
                yearly_revision=True,
            ),
            KindSpec(
                Kind.SERVICE,
                ServiceTerms,
                _rows(
                    service_levels=ServiceLevel, responsibilities=Responsibility, contacts=Contact
                ),
                may_be_parent=True,
                yearly_revision=True,
            ),
            KindSpec(
                Kind.DATA_PROCESSOR,
                DataProcessorTerms,
                _rows(
                    security_measures=SecurityMeasure,
                    sub_processors=SubProcessor,
                    processing_locations=ProcessingLocation,
                ),
                review_areas=(Area.LEGAL, Area.PRIVACY, Area.SECURITY),
                customer_label=_("Behandlingsansvarlig"),
                provider_label=_("Databehandler"),
            ),
            KindSpec(Kind.OTHER, OtherTerms, _rows(party_responsibilities=PartyResponsibility)),
        )
    }
)


def kind_spec(kind: str) -> KindSpec:
    """The entry of ``kind`` (an ``Agreement.Kind`` value); ``KeyError`` for an unknown kind."""
    return KINDS[kind]


def parent_kinds() -> list[str]:
    """The kinds other agreements may hang under, in ``Agreement.Kind`` order."""
    return [kind for kind in Kind.values if KINDS[kind].may_be_parent]


def party_label(kind: str, party: str) -> str:
    """What the app calls the ``"customer"`` or ``"provider"`` of an agreement of ``kind``."""
    spec = KINDS[kind]
    return str(spec.customer_label if party == "customer" else spec.provider_label)
