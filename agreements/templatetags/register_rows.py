"""The register's table rows, written in Python: ``{% application_rows page.object_list %}``.

Fifty rows through the template engine (a variable lookup, a filter and a translation per cell)
were most of the list page's time; here each row is one ``format_html``. The markup is the one
the template had.
"""

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from ..links import url_for
from ..models import Application
from ..register.coverage import Gap

register = template.Library()

_ROW = (
    '<tr><td><a href="{}">{}</a>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>'
    "<td>{}: {}<br>{}: {}</td><td>{}</td></tr>"
)


def _coverage_badges(app, labels: dict[str, str]) -> SafeString:
    if not app.covered:
        return format_html('<span class="badge bad">{}</span>', labels["missing"])
    current = format_html('<span class="badge ok">{}</span>', labels["current"])
    if app.lasting:
        return current
    return format_html('{} <span class="badge warn">{}</span>', current, labels["soon"])


@register.simple_tag
def application_rows(applications) -> SafeString:
    """One ``<tr>`` per application (annotated by ``coverage.with_coverage``, with ``supplier``
    and ``uses`` loaded)."""
    labels = {
        "technical": gettext("Teknisk"),
        "mercantile": gettext("Merkantil"),
        "current": gettext("Gjeldende"),
        "soon": gettext("Utløper snart"),
        "missing": gettext("Mangler"),
    }
    detail = url_for("register:detail")
    # Each label once per page: ``get_*_display`` translates every choice of its field per call.
    category = {value: str(label) for value, label in Application.Category.choices}
    management = {value: str(label) for value, label in Application.Management.choices}
    rows = []
    for app in applications:
        version = format_html(' <span class="muted">{}</span>', app.version) if app.version else ""
        trusts = ", ".join(use.organisation.display_name for use in app.uses.all()) or "–"
        rows.append(
            format_html(
                _ROW,
                detail(app.pk),
                app.name,
                version,
                app.asset_id or "–",
                (app.supplier.display_name if app.supplier else "") or "–",
                trusts,
                category.get(app.category, app.category),
                labels["technical"],
                management.get(app.technical_management, app.technical_management),
                labels["mercantile"],
                management.get(app.mercantile_management, app.mercantile_management),
                _coverage_badges(app, labels),
            )
        )
    return format_html_join("\n", "{}", ((row,) for row in rows))


@register.simple_tag
def uncovered_rows(applications, ending: bool = False) -> SafeString:
    """The uncovered report's rows: what is missing, or (``ending``) when the agreement ends."""
    detail = url_for("register:detail")
    rows = []
    for app in applications:
        trusts = ", ".join(use.organisation.display_name for use in app.uses.all())
        if ending:
            last = date_format(app.ends_on, "SHORT_DATE_FORMAT") if app.ends_on else ""
        else:
            last = Gap.LABELS.get(app.coverage_gap, "")
        rows.append(
            format_html(
                '<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td></tr>',
                detail(app.pk),
                app.name,
                (app.supplier.display_name if app.supplier else "") or "–",
                trusts or ("" if ending else "–"),
                last,
            )
        )
    return format_html_join("\n", "{}", ((row,) for row in rows))
