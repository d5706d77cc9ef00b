"""The agreement list's table rows, written in Python: ``{% agreement_rows page.object_list %}``.

Fifty rows through the template engine cost more than the rest of the page: a ``{% url %}``, two
``get_*_display`` calls (each builds a dict of every choice and translates every label) and a
filter chain per row. Here the labels are translated and the link reversed once per page
(``links.url_for``), and each row is one ``format_html``, as in ``register_rows``. The markup is
the one the template had.
"""

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from ..links import url_for
from ..models import Agreement

register = template.Library()

_ROW = (
    '<tr class="{}">\n    <td><a href="{}">{}</a></td>\n    <td>{}</td>\n    <td>{}</td>\n'
    "    <td>{}</td>\n    <td>{}</td>\n"
    '    <td><span class="badge s-{}">{}</span></td>\n    <td>{}{}</td>\n  </tr>'
)


@register.simple_tag
def agreement_rows(agreements) -> SafeString:
    """One ``<tr>`` per agreement (with ``customer`` and ``provider`` loaded and ``has_overdue``
    annotated, as ``views.agreements.agreement_list`` gives them)."""
    kinds, statuses = dict(Agreement.Kind.choices), dict(Agreement.Status.choices)
    detail = url_for("agreements:detail")
    late = format_html(' <span class="badge bad">{}</span>', gettext("Frist på overtid"))
    rows = (
        (
            format_html(
                _ROW,
                "overdue" if a.has_overdue else "",
                detail(a.reference),
                a.reference,
                a.title,
                kinds.get(a.kind, a.kind),
                a.customer.display_name,
                a.provider.display_name,
                a.status,
                statuses.get(a.status, a.status),
                date_format(a.target_date, "SHORT_DATE_FORMAT") if a.target_date else "–",
                late if a.has_overdue else "",
            ),
        )
        for a in agreements
    )
    return format_html_join("\n  ", "{}", rows)
