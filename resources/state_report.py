"""The figures of an NGO's yearly report to the state NGO database.

``resources`` may not import the apps that know the figures (grants, forums): each of
them registers a provider at start-up (in its ``AppConfig.ready``)::

    register_figures(grants_figures, order=10)

A provider takes the organisation and the calendar year the report covers and returns
:class:`Section` rows; the page and the XLSX sheet show them in ``order``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Row:
    label: str
    value: Decimal | int | str
    # "money" (tenge), "count", or "text"
    kind: str = "count"


@dataclass(frozen=True)
class Section:
    title: str
    rows: list[Row] = field(default_factory=list)


Provider = Callable[..., list[Section]]
_providers: list[tuple[int, Provider]] = []


def register_figures(provider: Provider, *, order: int = 100) -> None:
    if all(p is not provider for _o, p in _providers):
        _providers.append((order, provider))
        _providers.sort(key=lambda item: item[0])


def figures_for(*, organisation, year: int) -> list[Section]:
    sections: list[Section] = []
    for _order, provider in _providers:
        sections.extend(provider(organisation=organisation, year=year))
    return sections
