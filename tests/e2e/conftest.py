"""Browser tests fail when the Content-Security-Policy blocks anything on a page: an
inline script, handler or style someone added would otherwise break silently."""

import pytest


@pytest.fixture(autouse=True)
def _no_csp_violations(request):
    if "page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page")
    violations = []

    def on_console(message):
        if "Content Security Policy" in message.text:
            violations.append(message.text)

    page.on("console", on_console)
    yield
    assert violations == []
