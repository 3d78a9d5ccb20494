"""Reading PDFs back as their readers do: pypdf for fonts, text and active content; pdftoppm for pixels."""

from __future__ import annotations

import io
import subprocess
import tempfile
from pathlib import Path

from django.test import Client
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

A4 = (595.28, 841.89)  # points
A4_LANDSCAPE = (A4[1], A4[0])  # the pages of wide tables (the team map, the 研修 totals)
PDF = "application/pdf"


def reader(body: bytes) -> PdfReader:
    assert body.startswith(b"%PDF-"), body[:20]
    return PdfReader(io.BytesIO(body))


def text_of(body: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in reader(body).pages)


def fonts_of(body: bytes) -> list[tuple[str, bool]]:
    """(font name, embedded) for every font of every page."""
    found: list[tuple[str, bool]] = []
    for page in reader(body).pages:
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources else None
        for ref in (fonts.get_object() if fonts else {}).values():
            font = ref.get_object()
            found.append((str(font.get("/BaseFont")), _embedded(font)))
    return found


def _embedded(font: DictionaryObject) -> bool:
    for descendant in font.get("/DescendantFonts", []):
        if not _embedded(descendant.get_object()):
            return False
    if "/DescendantFonts" in font:
        return True
    descriptor = font.get("/FontDescriptor")
    if descriptor is None:  # the 14 standard fonts have none: not embedded
        return False
    descriptor = descriptor.get_object()
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def active_content(body: bytes) -> list[str]:
    """What a sanitiser (無害化) strips: scripts, forms, attachments, actions run on opening or on a
    page, launch and script links. Read from the document's structure, not by scanning bytes."""
    pdf = reader(body)
    root = pdf.trailer["/Root"].get_object()
    found = [key for key in ("/OpenAction", "/AA", "/AcroForm", "/XFA") if key in root]
    names = root.get("/Names")
    if names is not None:
        found += [key for key in ("/JavaScript", "/EmbeddedFiles") if key in names.get_object()]
    for page in pdf.pages:
        if "/AA" in page:
            found.append("page /AA")
        for annotation in page.get("/Annots", []) or []:
            annotation = annotation.get_object()
            action = annotation.get("/A")
            kind = action.get_object().get("/S") if action is not None else None
            if kind not in (None, "/URI", "/GoTo"):
                found.append(f"annotation {kind}")
            if annotation.get("/Subtype") in ("/FileAttachment", "/Widget", "/RichMedia", "/Screen"):
                found.append(f"annotation {annotation.get('/Subtype')}")
    return found


def page_sizes(body: bytes) -> set[tuple[float, float]]:
    return {
        (round(float(p.mediabox.width), 2), round(float(p.mediabox.height), 2)) for p in reader(body).pages
    }


def render_first_page(body: bytes) -> Image.Image:
    """Page 1 as pixels, by poppler's pdftoppm (what CI has to prove the PDF renders)."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "report.pdf"
        source.write_bytes(body)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(source), str(Path(folder) / "page")],
            check=True,
            capture_output=True,
            timeout=60,
        )
        (png,) = Path(folder).glob("page*.png")
        image = Image.open(png)
        image.load()
        return image


def assert_sound_pdf(body: bytes) -> str:
    """A4 pages (portrait, or landscape for wide tables), fonts all embedded (and some), nothing
    active; returns the extracted text."""
    assert page_sizes(body) <= {A4, A4_LANDSCAPE} and page_sizes(body)
    fonts = fonts_of(body)
    assert fonts, "no fonts"
    assert all(embedded for _name, embedded in fonts), fonts
    assert any("CJK" in name or "JP" in name for name, _e in fonts), fonts
    assert active_content(body) == []
    return text_of(body)


def squeeze(text: str) -> str:
    """Extracted text without the line breaks and spaces that layout puts in."""
    return "".join(text.split())


def pdf_of(client: Client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == PDF
    assert response["Content-Disposition"].startswith('attachment; filename="bansou-')
    assert response["Cache-Control"] == "private, no-store"
    return b"".join(response.streaming_content) if response.streaming else response.content
