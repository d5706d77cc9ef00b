"""The API's documentation pages render in a real browser under the content security policy:
no blocked script, worker, style or font (the browser's console would say so), and nothing is
fetched from another host."""

from urllib.parse import urlsplit

import pytest

from .test_dpa_journey import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

# ReDoc's sidebar always shows Redocly's logo from their CDN; the policy blocks it, as it should
# (nothing leaves the installation), and that one refusal is expected.
REDOCLY_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


def watch(page, host) -> tuple[list[str], list[str]]:
    """From now on: console messages and page errors of ``page`` that name the policy, and the
    addresses of requests to anywhere but ``host``."""
    complaints, elsewhere = [], []

    def note(text):
        if ("Content Security Policy" in text or "Refused to" in text) and REDOCLY_LOGO not in text:
            complaints.append(text)

    def check(request):
        if (
            urlsplit(request.url).scheme in ("http", "https")
            and urlsplit(request.url).netloc != host
        ):
            elsewhere.append(request.url)

    page.on("console", lambda message: note(message.text))
    page.on("pageerror", lambda error: note(str(error)))
    page.on("response", lambda response: check(response.request))
    return complaints, elsewhere


@pytest.mark.parametrize(("path", "title"), [("/api/redoc/", "h1"), ("/api/docs/", ".info .title")])
def test_the_api_documentation_renders_under_the_policy(path, title, live_server, pages, personas):
    personas["alice"].set_password("pw")
    personas["alice"].save()
    page = pages()
    sign_in(page, live_server.url, personas["alice"])
    complaints, elsewhere = watch(page, urlsplit(live_server.url).netloc)
    page.goto(f"{live_server.url}{path}")
    page.locator(title, has_text="Avtaleforvaltning API").first.wait_for()
    # Every operation is listed once the schema is read (ReDoc's search index, in a worker
    # made from a blob: address, is built then too).
    page.get_by_text("/api/v1/tasks/inbox/").first.wait_for(state="attached")
    page.wait_for_load_state("networkidle")
    assert complaints == []
    assert elsewhere == []
