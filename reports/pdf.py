"""HTML → PDF with WeasyPrint. The ONLY module in the project that imports WeasyPrint.

Print templates extend ``reports/pdf/base.html`` (A4, Sarabun, page numbers "หน้า x / y", the
office header block) and may include ``reports/pdf/_signature.html``.

Resources resolve only from the project's static folder and MEDIA_ROOT (``file://``) or
``data:`` URLs: a document never fetches anything from the network, so a rendering cannot hang
on an office's flaky link nor be turned into a request forger by text a user typed.
"""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

FONT_DIR = "vendor/sarabun"

# WeasyPrint logs every layout step at INFO; a worker log needs only its warnings.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def static_dir() -> Path:
    return Path(settings.BASE_DIR) / "static"


def base_context() -> dict:
    """What every print template can use: the font files' file:// URLs and the print time."""
    fonts = static_dir() / FONT_DIR
    return {
        "pdf_font_regular": (fonts / "Sarabun-Regular.ttf").as_uri(),
        "pdf_font_semibold": (fonts / "Sarabun-SemiBold.ttf").as_uri(),
        "pdf_font_bold": (fonts / "Sarabun-Bold.ttf").as_uri(),
        "pdf_printed_at": timezone.now(),
    }


def render_html(template_name: str, context: dict) -> str:
    """The print HTML (also handy to debug a template in a browser)."""
    return render_to_string(template_name, {**base_context(), **context})


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render ``template_name`` with ``context`` to PDF bytes."""
    from weasyprint import HTML  # imported here: ~0.75 s, paid by the worker only

    _fix_thai_text_extraction()
    html = render_html(template_name, context)
    document = HTML(string=html, base_url=static_dir().as_uri() + "/", url_fetcher=_local_fetcher())
    return document.write_pdf()


def _local_fetcher():
    from weasyprint.urls import URLFetcher

    allowed_roots = [static_dir().resolve(), Path(settings.MEDIA_ROOT).resolve()]

    class LocalOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme == "file":
                path = Path(unquote(parts.path)).resolve()
                if not any(path.is_relative_to(root) for root in allowed_roots):
                    raise ValueError(f"PDF resource outside static/media refused: {url}")
            elif parts.scheme != "data":
                raise ValueError(f"PDF resources must be local files, refused: {url}")
            return super().fetch(url, headers)

    return LocalOnlyFetcher(allowed_protocols=("file", "data"))


# Thai fonts draw SARA AM (ำ) as two glyphs, NIKHAHIT + SARA AA, so a tone mark can sit between
# them. WeasyPrint names each glyph in the PDF's ToUnicode map after the text of the cluster it
# first met it in: if SARA AA first came from an ำ, every later า is extracted as ำ; otherwise
# ำ loses its NIKHAHIT ("จำกัด" is copied as "จากัด"). Naming those two glyphs after their own
# characters up front makes copy, search and pdftotext give "ํา", which NFKC-normalizes to ำ.
_THAI_OWN_GLYPHS = ("\u0e32", "\u0e4d")  # SARA AA, NIKHAHIT


def _fix_thai_text_extraction() -> None:
    from weasyprint.pdf import fonts

    if getattr(fonts.Font, "_coopsupport_thai_fix", False):
        return
    original_init = fonts.Font.__init__

    def __init__(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        try:
            _seed_thai_glyph_names(self)
        except Exception:  # noqa: BLE001 - text extraction is a nicety; never fail a render over it
            logging.getLogger(__name__).debug("could not seed Thai glyph names", exc_info=True)

    fonts.Font.__init__ = __init__
    fonts.Font._coopsupport_thai_fix = True


def _seed_thai_glyph_names(font) -> None:
    import io

    from fontTools.ttLib import TTFont

    ttfont = TTFont(io.BytesIO(font.file_content), fontNumber=font.index, lazy=True)
    cmap = ttfont.getBestCmap() or {}
    for char in _THAI_OWN_GLYPHS:
        if (name := cmap.get(ord(char))) is not None:
            font.to_unicode.setdefault(ttfont.getGlyphID(name), char)
