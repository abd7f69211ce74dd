"""Render a Django template to PDF with WeasyPrint, embedding the vendored DejaVu font
(Liberation fonts lack the Kazakh letters Ә Ғ Қ Ң Ө Ұ Ү Һ, see SETUP-FACTS)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation


def render_pdf(
    template_name: str, context: dict, *, language: str | None = None
) -> bytes:
    from weasyprint import HTML  # heavy import: only where a PDF is made

    with translation.override(language or translation.get_language()):
        html = render_to_string(template_name, context)
    base_url = str(settings.BASE_DIR / "static")
    return HTML(string=html, base_url=base_url).write_pdf()
