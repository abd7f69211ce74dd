"""Fetch the NCA's revocation lists into ESIGN_TRUST_DIR/crl (run daily by cron or beat).

A list is kept only if it parses and is signed by a configured CA; a failed download
leaves the previous list in place, and verdicts keep saying whether revocation was checked.
"""

import tempfile
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from esign.trust import configured_store, load_crl

TIMEOUT = 60


class Command(BaseCommand):
    help = "Download the NCA certificate revocation lists named in ESIGN_CRL_URLS."

    def handle(self, *args, **options):
        if not settings.ESIGN_TRUST_DIR:
            raise CommandError("ESIGN_TRUST_DIR is not set.")
        store = configured_store()
        cas = (*store.anchors, *store.intermediates)
        folder = Path(settings.ESIGN_TRUST_DIR) / "crl"
        folder.mkdir(parents=True, exist_ok=True)
        failures = 0
        for url in settings.ESIGN_CRL_URLS:
            name = url.rstrip("/").rsplit("/", 1)[-1]
            try:
                with urllib.request.urlopen(url, timeout=TIMEOUT) as response:  # noqa: S310
                    data = response.read()
                crl = load_crl(data)
                if not any(
                    crl.issuer == ca.subject and crl.is_signature_valid(ca.public_key())
                    for ca in cas
                ):
                    raise ValueError(
                        "not signed by a configured certification authority"
                    )
            except (OSError, ValueError) as exc:
                failures += 1
                self.stderr.write(f"{url}: {exc}")
                continue
            # Replace atomically: a verification never reads a half-written list.
            with tempfile.NamedTemporaryFile(dir=folder, delete=False) as tmp:
                tmp.write(data)
            Path(tmp.name).replace(folder / name)
            self.stdout.write(
                f"{name}: {len(crl)} revoked, next update {crl.next_update_utc}"
            )
        configured_store.cache_clear()
        if failures:
            raise CommandError(f"{failures} revocation list(s) could not be refreshed.")
