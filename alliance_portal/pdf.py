"""Render a Django template to PDF with WeasyPrint, embedding the vendored DejaVu font
(Liberation fonts lack the Kazakh letters Ә Ғ Қ Ң Ө Ұ Ү Һ, see SETUP-FACTS)."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation


@contextmanager
def _collector_paused() -> Iterator[None]:
    """WeasyPrint makes hundreds of thousands of short-lived objects (boxes, styles,
    Pango wrappers) that live until the PDF is written; the cyclic garbage collector,
    started every few hundred allocations, walks them again and again: a tenth of a
    long document's time (the 40-page council minutes: ~0.2 s). Paused while one
    document renders; the next collection after it reclaims any cycles it left. The
    switch is process-wide: a render in another thread may turn it back on early,
    which costs only speed, and it is never left off."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def render_pdf(
    template_name: str, context: dict, *, language: str | None = None
) -> bytes:
    from weasyprint import HTML  # heavy import: only where a PDF is made

    with _collector_paused():
        with translation.override(language or translation.get_language()):
            html = render_to_string(template_name, context)
        base_url = str(settings.BASE_DIR / "static")
        return HTML(string=html, base_url=base_url).write_pdf()


_WARM_UP_HTML = """<style>
@font-face { font-family: "DejaVu Sans"; src: url("fonts/DejaVuSans.ttf"); }
@font-face { font-family: "DejaVu Sans"; font-weight: bold; src: url("fonts/DejaVuSans-Bold.ttf"); }
@page { size: A4; font-family: "DejaVu Sans"; @bottom-center { content: counter(page); } }
body { font-family: "DejaVu Sans"; }
</style><p>Қазақ тілі — Ә Ғ Қ Ң Ө Ұ Ү Һ 1 250 000 ₸ <b>Шарт</b></p>"""


def warm_up() -> None:
    """Pay WeasyPrint's first-use costs (its import, fontconfig's scan of the system
    fonts, loading the vendored DejaVu faces, Pango and HarfBuzz set-up) before the
    first real document: a cold Celery worker otherwise spends about 0.7 s of its
    first contract there. Called when a Celery worker process starts."""
    from weasyprint import HTML

    HTML(string=_WARM_UP_HTML, base_url=str(settings.BASE_DIR / "static")).write_pdf()
