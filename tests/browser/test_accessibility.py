"""RGAA 4.1 / WCAG 2.1 AA: keyboard only, axe-core, small screens, zoom, reduced motion, contrast."""

from __future__ import annotations

import json

from playwright.sync_api import Page, expect

from tests.browser.conftest import ROOT
from tests.browser.widget import Widget

AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def focused_in_widget(widget: Widget) -> str:
    """The text of the element that has the keyboard focus inside the widget, or ''."""
    return widget.page.evaluate(
        "() => { const host = document.activeElement; const el = host && host.shadowRoot && host.shadowRoot.activeElement;"
        " return el ? (el.innerText || el.getAttribute('aria-label') || el.tagName) : ''; }"
    )


def test_keyboard_only(new_session, site) -> None:
    session = new_session()
    page = session.page
    widget = Widget(page)
    page.goto(site)

    for _ in range(15):
        page.keyboard.press("Tab")
        if focused_in_widget(widget) == "Assistant orientation":
            break
    expect(widget.launcher).to_be_focused()
    outline = widget.launcher.evaluate(
        "el => getComputedStyle(el).outlineStyle + ' ' + getComputedStyle(el).outlineWidth"
    )
    assert outline == "solid 3px", "the keyboard focus must be visible"

    page.keyboard.press("Enter")
    expect(widget.panel).to_be_visible()
    expect(widget.input).to_be_focused()
    widget.wait_for_answer(0)

    before = widget.bot_messages.count()
    page.keyboard.type("Je cherche du travail")
    page.keyboard.press("Enter")
    widget.wait_for_answer(before)

    # Back from the input lands on the last quick reply the bot offers; Enter answers with it.
    page.keyboard.press("Shift+Tab")
    choice = focused_in_widget(widget)
    assert choice and choice != "TEXTAREA"
    before = widget.bot_messages.count()
    page.keyboard.press("Enter")
    expect(widget.user_messages.last).to_contain_text(choice)
    expect(widget.input).to_be_focused()
    widget.wait_for_answer(before)
    session.screenshot("conversation")

    page.keyboard.press("Escape")
    expect(widget.panel).to_be_hidden()
    expect(widget.launcher).to_be_focused()
    page.keyboard.press(" ")
    expect(widget.input).to_be_focused()
    expect(widget.user_messages).to_have_count(2)


def axe_violations(page: Page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    return [
        {"id": v["id"], "impact": v["impact"], "targets": [n["target"] for n in v["nodes"]]}
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_axe_finds_no_serious_violation(new_session, site, stack) -> None:
    # axe is injected as an inline script, which the demo page's CSP rightly forbids.
    session = new_session(bypass_csp=True)
    page = session.page
    widget = Widget(page)
    page.goto(site)
    expect(widget.launcher).to_be_visible()
    assert axe_violations(page) == []

    widget.open()
    widget.reach_recommendation("Vierzon")
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, ensure_ascii=False, indent=1)

    page.goto(f"{stack.url}/webchat/confidentialite")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert axe_violations(page) == []


def test_phone_full_screen(new_session, site) -> None:
    # 320 px wide: WCAG 1.4.10 (reflow) asks for no horizontal scrolling there.
    session = new_session(viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True)
    page = session.page
    widget = Widget(page)
    page.goto(site)
    widget.launcher.tap()
    expect(widget.panel).to_be_visible()
    widget.wait_for_answer(0)
    assert widget.panel.bounding_box() == {"x": 0, "y": 0, "width": 320, "height": 640}
    expect(widget.launcher).to_be_hidden()
    widget.reply("Trouver un emploi").tap()
    expect(widget.user_messages).to_have_count(1)
    expect(widget.typing).to_be_hidden()
    scroller = page.locator("#spro-webchat .scroller")
    assert scroller.evaluate("el => el.scrollWidth <= el.clientWidth")
    expect(widget.input).to_be_in_viewport()
    session.screenshot("phone")
    page.get_by_role("button", name="Fermer l'assistant").tap()
    expect(widget.launcher).to_be_visible()


def test_zoom_200_percent(new_session, site) -> None:
    """A 1280 × 720 screen at 200 % zoom is a 640 × 360 CSS viewport: everything still fits."""
    session = new_session(viewport={"width": 640, "height": 360})
    page = session.page
    widget = Widget(page)
    page.goto(site)
    widget.open()
    box = widget.panel.bounding_box()
    assert box["x"] >= 0 and box["y"] >= 0
    assert box["x"] + box["width"] <= 640 and box["y"] + box["height"] <= 360
    expect(widget.input).to_be_in_viewport()
    expect(page.get_by_role("button", name="Envoyer")).to_be_in_viewport()
    widget.say("Je veux changer de métier")
    expect(widget.bot_messages.last).to_be_in_viewport()


def test_reduced_motion_stops_the_typing_animation(new_session, site) -> None:
    page = new_session(reduced_motion="reduce").page
    page.goto(site)
    dot = page.locator("#spro-webchat .typing span").first
    expect(dot).to_be_attached()
    assert dot.evaluate("el => getComputedStyle(el).animationName") == "none"


def test_a_host_colour_keeps_the_text_readable(new_session, stack) -> None:
    """data-color="#ffd500" (a light yellow): the launcher's text turns black, not white."""
    page = new_session().page
    page.set_content(
        f'<html lang="fr"><body><script src="{stack.url}/webchat/widget.js" data-color="#ffd500" '
        'data-title="Une question ?"></script></body></html>'
    )
    launcher = page.get_by_role("button", name="Une question ?")
    expect(launcher).to_be_visible()
    colours = launcher.evaluate("el => [getComputedStyle(el).backgroundColor, getComputedStyle(el).color]")
    assert colours == ["rgb(255, 213, 0)", "rgb(0, 0, 0)"]
