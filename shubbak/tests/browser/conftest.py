"""Browser tests: Debian's Chromium driven by Playwright against Django's live server.

Every test here is marked `browser` (`pytest -m "not browser"` skips them). Data is committed
(`transactional_db`) because the live server answers from another thread.
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; without this Django refuses ORM calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

HERE = Path(__file__).resolve().parent
SCREENSHOTS = HERE.parents[2] / "screenshots"  # /screenshots/ is git-ignored
PASSWORD = "correct horse battery"  # what UserFactory sets
PHONE = {"width": 390, "height": 844}
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    """Mark the tests of this folder (only) as `browser`."""
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Never `playwright install` (it downloads and fails here): use Debian's Chromium.
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium", "headless": True, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A browser in Palestine: Arabic first in Accept-Language, local time.
    return {**browser_context_args, "locale": "ar-PS", "timezone_id": "Asia/Hebron"}


@pytest.fixture
def phone_page(new_context):
    """A page in a phone-sized browser (390×844, touch, mobile viewport rules)."""
    context = new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    return context.new_page()


@pytest.fixture
def shell_actors(transactional_db, actors):
    """The root conftest's `actors`, committed for the live server, plus a realistic history.

    The changes go through the services, so the audit log and the detail page have real content:
    a long address, a contact with a long e-mail address, a website.
    """
    from shubbak.organisations import services

    organisation = actors.organisation
    services.organisation_update(
        actor=actors.admin,
        organisation=organisation,
        data={
            "address": "شارع فيصل، عمارة الغرفة التجارية، الطابق الثالث، مقابل دوار الشهداء، نابلس",
            "phone": "+970 9 238 0335",
            "email": "info@nablus-chamber-of-commerce-and-industry.ps",
            "website": "https://www.nablus-chamber-of-commerce-and-industry.ps/ar/services",
        },
    )
    services.contact_create(
        actor=actors.admin,
        organisation=organisation,
        data={
            "name": "سعاد كمال عبد الرحمن",
            "position": "مسؤولة خدمة المنشآت الصغيرة والمتوسطة",
            "phone": "+970 599 123 456",
            "email": "suad.abdelrahman.sme-services@nablus-chamber-of-commerce.ps",
            "is_primary": True,
        },
    )
    organisation.refresh_from_db()
    return actors


def logged_in_page(page, live_server, user, password: str = PASSWORD):
    """Log `user` in through the real login form and return the page, on the home page."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator('input[name="login"]').fill(user.email)
    page.locator('input[name="password"]').fill(password)
    with page.expect_navigation():
        page.locator('form[action="/accounts/login/"] button[type="submit"]').click()
    assert "/accounts/" not in page.url, f"login as {user.email} ended on {page.url}"  # home, or an expert's or partner's own page
    return page


_OVERFLOW_JS = """
() => {
  const root = document.documentElement;
  const width = root.clientWidth;
  // Hidden on purpose: screen-reader-only text, the skip link until it is focused, the collapsed menu.
  const hiddenOnPurpose = '.visually-hidden, .visually-hidden-focusable:not(:focus):not(:focus-within), '
    + '.skip-link:not(:focus), .navbar-collapse:not(.show):not(.collapsing), .dropdown-menu:not(.show)';
  // Descendants of a scroll or clip container (e.g. .table-responsive) cannot widen the page:
  // the container itself is checked instead.
  const clipped = (el) => {
    for (let a = el.parentElement; a && a !== document.body && a !== root; a = a.parentElement) {
      if (a.classList.contains('table-responsive')) return true;
      const ox = getComputedStyle(a).overflowX;
      if (ox !== 'visible') return true;
    }
    return false;
  };
  const offenders = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest(hiddenOnPurpose) || clipped(el)) continue;
    if (!el.checkVisibility({checkVisibilityCSS: true})) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.right > width + 1 || r.left < -1) {
      offenders.push({
        tag: el.tagName.toLowerCase(),
        cls: (typeof el.className === 'string' ? el.className : '').trim(),
        text: (el.innerText || el.value || '').replace(/\\s+/g, ' ').trim().slice(0, 60),
        left: Math.round(r.left), right: Math.round(r.right),
      });
    }
  }
  return {clientWidth: width, scrollWidth: root.scrollWidth, offenders};
}
"""


def htmx_settled(page):
    """Wait until HTMX has answered, swapped and set up what it swapped in.

    A select it has just swapped in is visible some 20 ms before HTMX listens to it: a choice made then is lost.
    """
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')")


def assert_no_horizontal_overflow(page):
    """Nothing sticks out sideways: no element past either edge of the viewport, no horizontal scroll."""
    result = page.evaluate(_OVERFLOW_JS)
    width, offenders = result["clientWidth"], result["offenders"]
    # Report the outermost offenders first; their children usually overflow because of them.
    lines = [f"  <{o['tag']} class={o['cls']!r}> {o['left']}..{o['right']} {o['text']!r}" for o in offenders[:15]]
    assert not offenders, f"{len(offenders)} element(s) extend past the viewport (0..{width}) on {page.url}:\n" + "\n".join(lines)
    assert result["scrollWidth"] <= width, f"the page scrolls sideways on {page.url}: scrollWidth {result['scrollWidth']} > {width}"


_BROKEN_ARABIC_WORDS_JS = """
() => {
  // An Arabic word split over two lines loses its letter joining and cannot be read: never acceptable.
  const word = /[\\u0621-\\u064A\\u064B-\\u0652\\u0660-\\u0669\\u0671-\\u06D3]+/g;
  const skip = 'script, style, title, textarea, select, option, .visually-hidden, .visually-hidden-focusable:not(:focus)';
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const broken = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest(skip) || !parent.checkVisibility({checkVisibilityCSS: true})) continue;
    for (const m of node.data.matchAll(word)) {
      if (m[0].length < 2) continue;
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const rects = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
      if (rects.length < 2) continue;
      const tops = rects.map((r) => r.top), height = Math.min(...rects.map((r) => r.height));
      if (Math.max(...tops) - Math.min(...tops) > height / 2) {
        broken.push({word: m[0], tag: parent.tagName.toLowerCase(), cls: (parent.className || '').toString().trim(), lines: rects.length});
      }
    }
  }
  return broken;
}
"""


def assert_no_broken_arabic_words(page):
    """No Arabic word is split over two lines (e.g. squeezed table columns breaking inside words)."""
    broken = page.evaluate(_BROKEN_ARABIC_WORDS_JS)
    lines = [f"  {b['word']!r} in <{b['tag']} class={b['cls']!r}> over {b['lines']} pieces" for b in broken[:15]]
    assert not broken, f"{len(broken)} Arabic word(s) split across lines on {page.url}:\n" + "\n".join(lines)
