"""Moving through pages with the keyboard alone, as a user who cannot use a mouse does."""

FOCUS_RING = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return "";  // past the last element: the browser's own UI
  const style = getComputedStyle(el);
  if (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2) return "";
  return "no visible focus on " + el.outerHTML.slice(0, 160);
}"""

# The focused field, whether it is marked invalid, and the text of what describes it (its own
# aria-describedby, or its group's: a fieldset of radio buttons carries it).
FOCUSED_FIELD = """() => {
  const el = document.activeElement;
  const holder = el.getAttribute("aria-describedby") ? el : el.closest("fieldset[aria-describedby]");
  const ids = holder ? holder.getAttribute("aria-describedby").split(" ") : [];
  const described = ids.map(id => document.getElementById(id)).filter(Boolean);
  return {
    id: el.id,
    name: el.name,
    value: el.value,
    invalid: el.getAttribute("aria-invalid"),
    description: described.map(d => d.innerText.trim()).join(" "),
    errorVisible: described.some(d => d.classList.contains("errorlist") && d.offsetParent !== null),
    errorNextToField: described.some(
      d => d.classList.contains("errorlist") && d.closest(".field") === el.closest(".field")),
  };
}"""


def assert_focus_visible(page):
    problem = page.evaluate(FOCUS_RING)
    assert not problem, problem


def tab_to(page, selector: str, limit: int = 80):
    """Press Tab until the element matching ``selector`` has the focus (none if it has it
    already, as an autofocused field); every element the focus passes must show a focus ring."""
    if page.evaluate("s => document.activeElement.matches(s)", selector):
        return
    for _ in range(limit):
        page.keyboard.press("Tab")
        assert_focus_visible(page)
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector} on {page.url}")


def focused_field(page) -> dict:
    return page.evaluate(FOCUSED_FIELD)


def press_and_wait(page, key: str):
    """Press a key that submits a form or follows a link, and wait for the next page."""
    with page.expect_navigation():
        page.keyboard.press(key)
