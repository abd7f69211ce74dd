"""What a signed document leaves the portal as: a ZIP for machines, a copy for people."""

import base64
import io
import json
import zipfile

import qrcode
import qrcode.image.svg
from django.utils import timezone
from pypdf import PdfReader, PdfWriter

from alliance_portal.pdf import render_pdf

from . import selectors
from .verify import decode_cms


def _read(document) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def signed_zip(document) -> bytes:
    """The exact PDF, one DER ``.cms`` per valid signature, and the verdicts as JSON."""
    signatures = list(selectors.valid_signatures(document))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(document.filename, _read(document))
        verdicts = []
        for n, signature in enumerate(signatures, start=1):
            name = f"{n}-{signature.request.party}.cms"
            archive.writestr(name, decode_cms(bytes(signature.cms)))
            verdicts.append(
                {
                    "file": name,
                    "party": signature.request.party,
                    "status": signature.status,
                    "signer": signature.signer_name,
                    "iin": signature.signer_iin_masked,
                    "organisation": signature.organisation,
                    "bin": signature.organisation_bin,
                    "roles": signature.roles,
                    "signed_at": signature.signed_at.isoformat()
                    if signature.signed_at
                    else None,
                    "time_source": signature.time_source,
                    "revocation_checked": signature.revocation_checked,
                    "certificate_serial": signature.certificate_serial,
                    "verified_at": signature.verified_at.isoformat(),
                }
            )
        archive.writestr(
            "verdict.json",
            json.dumps(
                {
                    "document": document.filename,
                    "number": document.number,
                    "version": document.version,
                    "sha256": document.sha256,
                    "signatures": verdicts,
                },
                ensure_ascii=False,
                indent=2,
            ),
        )
    return buffer.getvalue()


def _qr_svg_data_uri(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode()


def signed_copy(document, *, verify_url: str) -> bytes:
    """The original pages followed by «Қол қою парағы / Лист подписей». The original's
    bytes are not signed by this copy: its SHA-256 on the sheet ties the two together."""
    sheet = render_pdf(
        "esign/signature_sheet.html",
        {
            "document": document,
            "signatures": selectors.valid_signatures(document),
            "verify_url": verify_url,
            "qr": _qr_svg_data_uri(verify_url),
            "printed_at": timezone.localtime(),
        },
        language="kk",
    )
    writer = PdfWriter()
    for source in (_read(document), sheet):
        writer.append(PdfReader(io.BytesIO(source)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
