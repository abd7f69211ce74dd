"""Signatures asked for and given on an issued document version (alliance_portal.IssuedDocument).

A request names who must sign (a person by IIN, or an organisation by BIN with a signing
role). Every CMS a signer submits is kept with the verdict it got, valid or not: the
record shows what was tried, not only what succeeded.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .kz import mask_iin
from .verify import Status


class SigningRequest(models.Model):
    class Party(models.TextChoices):
        NGO = "ngo", _("The organisation (grantee)")
        ALLIANCE = "alliance", _("The alliance")
        FUND = "fund", _("The Igilik fund")
        AKIMAT = "akimat", _("The akimat")
        OTHER = "other", _("Other party")

    class State(models.TextChoices):
        PENDING = (
            "pending",
            pgettext_lazy("signing request", "Waiting for the signature"),
        )
        SIGNED = "signed", pgettext_lazy("signing request", "Signed")
        CANCELLED = "cancelled", pgettext_lazy("signing request", "Cancelled")

    document = models.ForeignKey(
        "alliance_portal.IssuedDocument",
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        related_name="signing_requests",
    )
    party = models.CharField(_("party"), max_length=20, choices=Party.choices)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signer in the portal"),
        on_delete=models.PROTECT,
        related_name="signing_requests",
    )
    expected_iin = models.CharField(_("signer's IIN"), max_length=12, blank=True)
    expected_bin = models.CharField(_("organisation's BIN"), max_length=12, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("signing request")
        verbose_name_plural = _("signing requests")
        ordering = ["document", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(expected_iin="", expected_bin=""),
                name="signing_request_names_iin_or_bin",
            ),
            models.CheckConstraint(
                condition=Q(expected_iin="") | Q(expected_iin__regex=r"^[0-9]{12}$"),
                name="signing_request_iin_12_digits",
            ),
            models.CheckConstraint(
                condition=Q(expected_bin="") | Q(expected_bin__regex=r"^[0-9]{12}$"),
                name="signing_request_bin_12_digits",
            ),
            models.UniqueConstraint(
                fields=["document", "party"],
                condition=~Q(state="cancelled"),
                name="signing_request_one_per_party",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document} — {self.get_party_display()}"

    @property
    def expected_iin_masked(self) -> str:
        return mask_iin(self.expected_iin) if self.expected_iin else ""

    @property
    def valid_signature(self):
        return next(
            (s for s in self.signatures.all() if s.status == Status.VALID), None
        )


class Signature(models.Model):
    """One submitted CMS and the verdict it got when it was submitted."""

    request = models.ForeignKey(
        SigningRequest,
        verbose_name=_("signing request"),
        on_delete=models.PROTECT,
        related_name="signatures",
    )
    cms = models.BinaryField(_("signature (CMS)"))
    document_sha256 = models.CharField(_("SHA-256 of the signed bytes"), max_length=64)
    status = models.CharField(_("verdict"), max_length=20, choices=Status.choices)
    reason = models.CharField(_("reason"), max_length=40)
    signer_name = models.CharField(_("signer"), max_length=300, blank=True)
    signer_iin = models.CharField(_("IIN"), max_length=12, blank=True)
    organisation = models.CharField(_("organisation"), max_length=300, blank=True)
    organisation_bin = models.CharField(_("BIN"), max_length=12, blank=True)
    roles = models.JSONField(_("roles"), default=list, blank=True)
    certificate_serial = models.CharField(_("certificate serial number"), max_length=80)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    time_source = models.CharField(_("time source"), max_length=20, blank=True)
    revocation_checked = models.BooleanField(_("revocation checked"), default=False)
    algorithm = models.CharField(_("algorithm"), max_length=40, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified at"), auto_now_add=True)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["request", "-verified_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(status="valid"),
                name="signature_one_valid_per_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.signer_name} ({self.get_status_display()})"

    @property
    def signer_iin_masked(self) -> str:
        return mask_iin(self.signer_iin) if self.signer_iin else ""

    @property
    def is_valid(self) -> bool:
        return self.status == Status.VALID

    @property
    def message(self):
        from .verify import REASONS

        return REASONS.get(self.reason, self.reason)
