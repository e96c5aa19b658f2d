"""The shell in a real browser: log in, language switch, phone layout in Arabic, errors, HTMX filter."""

import re

import pytest
from playwright.sync_api import expect

from shubbak.tests.browser.conftest import SCREENSHOTS, assert_no_broken_arabic_words, assert_no_horizontal_overflow, logged_in_page

ARABIC_LETTER = re.compile(r"[\u0621-\u064A]")
LATIN_LETTER = re.compile(r"[A-Za-z]")


def assert_arabic(text: str, what: str):
    """Mostly Arabic script: translated, not the English source string."""
    arabic, latin = len(ARABIC_LETTER.findall(text)), len(LATIN_LETTER.findall(text))
    assert arabic > latin, f"{what} is not in Arabic: {text!r}"


def expect_language(page, lang: str, direction: str):
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("html")).to_have_attribute("dir", direction)


def test_login_lands_on_home_in_arabic(page, live_server, shell_actors):
    logged_in_page(page, live_server, shell_actors.admin)
    expect_language(page, "ar", "rtl")
    expect(page.get_by_role("heading", level=1)).to_have_text(shell_actors.organisation.name_ar)
    expect(page.get_by_text(shell_actors.organisation.name_ar).first).to_be_visible()


def test_interface_strings_are_arabic(page, live_server, shell_actors):
    """The shell's own words, not only the data, are in Arabic for an Arabic user."""
    page.goto(f"{live_server.url}/accounts/login/")
    assert_arabic(page.get_by_role("heading", level=1).inner_text(), "the login heading")
    logged_in_page(page, live_server, shell_actors.admin)
    assert_arabic(page.locator('#nav a.nav-link[href="/cases/"]').inner_text(), "the navbar link to the cases")
    page.locator("#nav .dropdown-toggle", has_text="الشبكة").click()
    assert_arabic(page.locator('#nav a.dropdown-item[href="/organisations/"]').inner_text(), "the menu link to organisations")
    assert_arabic(page.locator("#staff-heading").inner_text(), "the staff heading of the home page")


def test_language_switch_is_remembered(page, live_server, shell_actors, new_context):
    logged_in_page(page, live_server, shell_actors.admin)
    expect_language(page, "ar", "rtl")

    switch = page.locator("#language-switch button[type=submit]")
    expect(switch).to_have_text("English")
    with page.expect_navigation():
        switch.click()
    expect_language(page, "en", "ltr")
    assert page.url == f"{live_server.url}/", "the switch should come back to the same page"

    # Another page, loaded afresh, stays in English.
    page.goto(f"{live_server.url}/organisations/")
    expect_language(page, "en", "ltr")
    expect(page.locator("#language-switch button[type=submit]")).to_have_text("العربية")

    # The choice is saved on the account too: a new browser (no cookie) gets English after logging in.
    other = new_context().new_page()
    logged_in_page(other, live_server, shell_actors.admin)
    expect_language(other, "en", "ltr")

    # And back to Arabic, staying on the organisation list.
    with page.expect_navigation():
        page.locator("#language-switch button[type=submit]").click()
    expect_language(page, "ar", "rtl")
    assert page.url.startswith(f"{live_server.url}/organisations/")
    page.goto(f"{live_server.url}/preferences/")
    expect_language(page, "ar", "rtl")


PHONE_PAGES = {
    "login": None,
    "home": "/",
    "organisations": "/organisations/",
    "organisation": "/o/{slug}/",
    "organisation-edit": "/o/{slug}/edit/",
    "audit": "/o/{slug}/audit/",
    "preferences": "/preferences/",
}


@pytest.mark.parametrize("name", list(PHONE_PAGES))
def test_phone_layout_in_arabic(phone_page, live_server, shell_actors, name):
    page = phone_page
    path = PHONE_PAGES[name]
    if path is None:
        page.goto(f"{live_server.url}/accounts/login/")
    else:
        logged_in_page(page, live_server, shell_actors.admin)  # the organisation admin may edit and see the audit log
        response = page.goto(live_server.url + path.format(slug=shell_actors.organisation.slug))
        assert response.status == 200, f"{path} answered {response.status}"
    page.evaluate("async () => { await document.fonts.ready; }")  # (wait_for_function with a string is blocked by the CSP)
    expect_language(page, "ar", "rtl")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    assert_no_horizontal_overflow(page)
    assert_no_broken_arabic_words(page)
    # Right to left for real: the page heading starts at the right-hand side of the screen.
    heading = page.get_by_role("heading", level=1).bounding_box()
    width = page.evaluate("document.documentElement.clientWidth")
    assert heading["x"] + heading["width"] > width - 40, f"the heading does not start on the right: {heading} in {width}px"


def test_phone_navbar_toggler_opens_the_menu(phone_page, live_server, shell_actors):
    page = logged_in_page(phone_page, live_server, shell_actors.admin)
    menu = page.locator("#nav")
    toggler = page.locator(".navbar-toggler")
    expect(menu).to_be_hidden()
    expect(toggler).to_be_visible()
    toggler.click()
    expect(menu).to_have_class(re.compile(r"(^|\s)show(\s|$)"))
    expect(toggler).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#language-switch button[type=submit]")).to_be_visible()
    assert_no_horizontal_overflow(page)

    # The links sit at the right-hand side (the start in Arabic) and lead somewhere.
    link = menu.locator('a.nav-link[href="/cases/"]')
    expect(link).to_be_visible()
    box, width = link.bounding_box(), page.evaluate("document.documentElement.clientWidth")
    assert box["x"] + box["width"] > width - 40, f"the menu link is not on the right: {box} in {width}px"
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "menu-open.png"))
    with page.expect_navigation():
        link.click()
    assert page.url == f"{live_server.url}/cases/"

    # The user menu opens inside the screen too.
    page.locator(".navbar-toggler").click()
    expect(page.locator("#nav")).to_have_class(re.compile(r"(^|\s)show(\s|$)"))
    page.locator("#nav .dropdown-toggle").last.click()
    preferences = page.locator('#nav .dropdown-menu a[href="/preferences/"]')
    expect(preferences).to_be_visible()
    assert_no_horizontal_overflow(page)
    with page.expect_navigation():
        preferences.click()
    assert page.url == f"{live_server.url}/preferences/"


def test_skip_link_appears_inside_the_screen_when_focused(phone_page, live_server, shell_actors):
    page = logged_in_page(phone_page, live_server, shell_actors.admin)
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    box, width = skip.bounding_box(), page.evaluate("document.documentElement.clientWidth")
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"the focused skip link is off screen: {box} in {width}px"


def test_outsider_gets_the_arabic_404_page(page, live_server, shell_actors):
    logged_in_page(page, live_server, shell_actors.outsider)
    response = page.goto(f"{live_server.url}/o/{shell_actors.organisation.slug}/")
    assert response.status == 404
    expect_language(page, "ar", "rtl")
    expect(page.get_by_text(shell_actors.organisation.name_ar)).to_have_count(0)
    assert_arabic(page.get_by_role("heading", level=1).inner_text(), "the 404 heading")
    assert_arabic(page.locator("main p").first.inner_text(), "the 404 explanation")


def test_read_only_viewer_gets_the_403_page_on_edit(page, live_server, shell_actors):
    logged_in_page(page, live_server, shell_actors.viewer)
    response = page.goto(f"{live_server.url}/o/{shell_actors.organisation.slug}/edit/")
    assert response.status == 403
    expect_language(page, "ar", "rtl")
    expect(page.locator("main form")).to_have_count(0)
    assert_arabic(page.get_by_role("heading", level=1).inner_text(), "the 403 heading")
    assert_arabic(page.locator("main p").first.inner_text(), "the 403 explanation")


def test_organisation_filter_updates_through_htmx(page, live_server, shell_actors):
    """The network manager sees both organisations of the network; typing part of a name narrows it in place."""
    logged_in_page(page, live_server, shell_actors.manager)
    page.goto(f"{live_server.url}/organisations/")
    rows = page.locator("#results tbody tr")
    hq_name, chamber_name = shell_actors.organisation.parent.name_ar, shell_actors.organisation.name_ar
    hq_row = rows.filter(has=page.get_by_role("link", name=hq_name, exact=True))
    chamber_row = rows.filter(has=page.get_by_role("link", name=chamber_name, exact=True))
    expect(hq_row).to_have_count(1)
    expect(chamber_row).to_have_count(1)

    page.evaluate("window.__sameDocument = true")  # lost on a full page load
    responses = []
    page.on("request", lambda r: responses.append(r) if "/organisations/" in r.url else None)
    page.locator("#id_q").press_sequentially("نابلس", delay=30)  # as an Arabic keyboard would type it

    expect(hq_row).to_have_count(0)
    expect(chamber_row).to_have_count(1)
    expect(page).to_have_url(re.compile(r"/organisations/\?(.*&)?q=%D9%86%D8%A7%D8%A8%D9%84%D8%B3"))
    assert page.evaluate("window.__sameDocument") is True, "the filter reloaded the whole page"
    assert responses and all(r.headers.get("hx-request") == "true" for r in responses), "the filter did not go through HTMX"
    assert page.locator("#id_q").input_value() == "نابلس"
