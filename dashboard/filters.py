"""The dashboard's filter values: one frozen object that every selector, the cache
key, the exports and the drill-down links are built from."""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import asdict, dataclass, replace

from django.utils import timezone

from alliance_portal.permissions import is_fund_officer
from members.models import Affiliation, Organisation


@dataclass(frozen=True)
class DashboardFilters:
    """Period (inclusive dates; both ``None`` = all time) and dimensions.

    ``funder_scope`` is not chosen by the user: ``None`` means every funder (staff,
    officials), a tuple restricts to those funders (a fund officer's own fund); an
    empty tuple matches nothing, so an officer without a fund sees empty figures.
    """

    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    district: int | None = None
    funder: int | None = None
    theme: int | None = None
    call: int | None = None
    funder_scope: tuple[int, ...] | None = None

    @property
    def has_period(self) -> bool:
        return self.date_from is not None or self.date_to is not None

    def bounds(self) -> tuple[datetime.datetime | None, datetime.datetime | None]:
        """Aware datetimes [start, end) of the period, for datetime columns."""
        tz = timezone.get_current_timezone()
        start = end = None
        if self.date_from:
            start = datetime.datetime.combine(self.date_from, datetime.time.min, tz)
        if self.date_to:
            end = datetime.datetime.combine(
                self.date_to + datetime.timedelta(days=1), datetime.time.min, tz
            )
        return start, end

    def to_params(self) -> dict:
        data = asdict(self)
        for name in ("date_from", "date_to"):
            if data[name] is not None:
                data[name] = data[name].isoformat()
        if data["funder_scope"] is not None:
            data["funder_scope"] = sorted(data["funder_scope"])
        return data

    @classmethod
    def from_params(cls, data: dict) -> DashboardFilters:
        values = dict(data)
        for name in ("date_from", "date_to"):
            if values.get(name):
                values[name] = datetime.date.fromisoformat(values[name])
        if values.get("funder_scope") is not None:
            values["funder_scope"] = tuple(values["funder_scope"])
        known = cls.__dataclass_fields__
        return cls(**{k: v for k, v in values.items() if k in known})

    def digest(self) -> str:
        """Stable short hash of the values: same filters → same cache key / job."""
        raw = json.dumps(self.to_params(), sort_keys=True)
        return hashlib.sha256(raw.encode()).hexdigest()[:24]

    def with_scope_of(self, user) -> DashboardFilters:
        return replace(self, funder_scope=funder_scope_of(user))

    def query_string(self) -> str:
        """The user-chosen values as GET parameters (for drill-down links)."""
        from urllib.parse import urlencode

        values = {
            "date_from": self.date_from.isoformat() if self.date_from else "",
            "date_to": self.date_to.isoformat() if self.date_to else "",
            "district": self.district or "",
            "funder": self.funder or "",
            "theme": self.theme or "",
            "call": self.call or "",
        }
        return urlencode({k: v for k, v in values.items() if v})


def funder_scope_of(user) -> tuple[int, ...] | None:
    """A fund officer sees only the fund(s) they have an approved affiliation to."""
    if not is_fund_officer(user):
        return None
    return tuple(
        Organisation.objects.filter(
            kind=Organisation.Kind.FUND,
            affiliations__user=user,
            affiliations__status=Affiliation.Status.APPROVED,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
