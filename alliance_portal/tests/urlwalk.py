"""Every URL of the portal from the resolver, so a test over "every URL" covers a page
the day it is added. The admin site is left out: it is one app, guarded as a whole."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, SlugConverter, UUIDConverter
from django.urls.resolvers import RoutePattern
from django.utils import translation

SKIPPED_NAMESPACES = {"admin"}
# Only in DEBUG; never in a deployment.
SKIPPED_NAMES = {None}


@dataclass(frozen=True)
class PortalURL:
    name: str  # "grants:detail"
    params: tuple[str, ...]  # ("pk",)
    converters: dict

    def reverse(self, kwargs: dict | None = None) -> str:
        with translation.override("kk"):
            return reverse(self.name, kwargs=kwargs or None)


def portal_urls() -> list[PortalURL]:
    found: dict[str, PortalURL] = {}

    def walk(entries, namespace: str, converters: dict):
        for entry in entries:
            own = dict(converters)
            pattern = entry.pattern
            if isinstance(pattern, RoutePattern):
                own.update(pattern.converters)
            else:
                for group in re.compile(pattern.regex.pattern).groupindex:
                    own.setdefault(group, None)
            if isinstance(entry, URLResolver):
                if entry.namespace in SKIPPED_NAMESPACES:
                    continue
                prefix = (
                    f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                )
                walk(entry.url_patterns, prefix, own)
            elif isinstance(entry, URLPattern) and entry.name not in SKIPPED_NAMES:
                name = namespace + entry.name
                found.setdefault(name, PortalURL(name, tuple(own), own))

    walk(get_resolver().url_patterns, "", {})
    found.pop("__errors__", None)
    return sorted(found.values(), key=lambda u: u.name)


def dummy_value(converter):
    """A value that fits the converter but names nothing in particular."""
    if isinstance(converter, IntConverter):
        return 1
    if isinstance(converter, UUIDConverter):
        return uuid.UUID(int=1)
    if isinstance(converter, SlugConverter):
        return "x"
    regex = getattr(converter, "regex", "")
    if "|" in regex:  # a choice converter (forum|event, csv|xlsx)
        return regex.split("|")[0].strip("()")
    return "x"


def dummy_kwargs(url: PortalURL) -> dict:
    return {name: dummy_value(conv) for name, conv in url.converters.items()}


def every_url(
    kwargs_for: Callable[[PortalURL], dict | None] = dummy_kwargs,
) -> Iterator[tuple[str, str]]:
    """(name, path) for every portal URL; ``kwargs_for`` fills its parameters (None
    skips the URL)."""
    for url in portal_urls():
        kwargs = kwargs_for(url) if url.params else {}
        if kwargs is None:
            continue
        yield url.name, url.reverse(kwargs)
