"""PDF output shared by every app: a Django template rendered by WeasyPrint.

PDF templates extend ``core/pdf_base.html`` (Chinese font, @page size and margins as blocks).
Resources are read from the static files only (``{% static %}`` URLs) or from ``data:`` URIs;
nothing is fetched over the network while rendering.
"""

from __future__ import annotations

import functools
import threading
from typing import Any
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from PIL import ImageFile
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from . import pdf_font

# WeasyPrint switches on Pillow's loading of truncated images for the whole process when it is
# imported; uploads must keep refusing damaged images, so the default is put back (the PDFs
# only embed images Houqin generates itself).
ImageFile.LOAD_TRUNCATED_IMAGES = False


def _base_url(request: HttpRequest | None) -> str:
    if request is not None:
        return request.build_absolute_uri("/")
    return (getattr(settings, "HOUQIN_BASE_URL", "") or "http://localhost").rstrip("/") + "/"


@functools.cache
def _fetcher() -> Any:
    """One fetcher per process: building one loads the system's certificates (20 ms), which
    a fetcher that never goes to the network does not need again for every document."""

    class StaticOnlyFetcher(URLFetcher):  # type: ignore[misc]
        """Serves ``data:`` URIs and static files; refuses everything else."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url == pdf_font.font_path().as_uri():
                return URLFetcherResponse(url, pdf_font.font_path().read_bytes(), {}, 200)
            path = urlsplit(url).path
            static_url = settings.STATIC_URL or "/static/"
            if not static_url.startswith("/"):
                static_url = "/" + static_url
            if path.startswith(static_url):
                found = finders.find(path.removeprefix(static_url))
                if isinstance(found, str):
                    with open(found, "rb") as handle:
                        return URLFetcherResponse(url, handle.read(), {}, 200)
            raise ValueError(f"PDF resource not allowed: {url}")

    return StaticOnlyFetcher()


_PER_THREAD = threading.local()


def _font_config() -> FontConfiguration:
    """One font configuration per thread (Pango's font maps are not shared between threads):
    setting one up reads the system's font list, and the cut face of the ``@font-face`` rule
    is then loaded once instead of for every document."""
    config: FontConfiguration | None = getattr(_PER_THREAD, "font_config", None)
    if config is None:
        config = _PER_THREAD.font_config = FontConfiguration()
    return config


def font_context() -> dict[str, str]:
    """The faces PDF templates write in (see ``core.pdf_font``)."""
    cut = pdf_font.available()
    return {
        "pdf_font_family": pdf_font.FAMILY if cut else pdf_font.FULL_FAMILY,
        "pdf_full_font_family": pdf_font.FULL_FAMILY,
        "pdf_font_url": pdf_font.font_path().as_uri() if cut else "",
    }


def render_pdf(
    template_name: str, context: dict[str, Any], request: HttpRequest | None = None
) -> bytes:
    """Render ``template_name`` (extending ``core/pdf_base.html``) with ``context`` to PDF bytes."""
    html = render_to_string(template_name, {**font_context(), **context}, request=request)
    document = HTML(string=html, base_url=_base_url(request), url_fetcher=_fetcher())
    pdf = document.write_pdf(font_config=_font_config())
    assert pdf is not None
    return bytes(pdf)


def pdf_response(pdf: bytes, filename: str, inline: bool = True) -> HttpResponse:
    """An HTTP response serving ``pdf``; ``filename`` may be Chinese (RFC 5987 encoding)."""
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    ascii_name = (
        filename.encode("ascii", "ignore").decode().replace('"', "").strip() or "document.pdf"
    )
    if not ascii_name.lower().endswith(".pdf"):
        ascii_name += ".pdf"
    response["Content-Disposition"] = (
        f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    )
    response["Content-Length"] = str(len(pdf))
    return response
