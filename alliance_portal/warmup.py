"""Make a freshly started web worker as fast on its first requests as on its
hundredth (called by gunicorn's ``post_worker_init``, before the worker accepts).

Without it every new worker (at start, on ``systemctl reload`` and each time
``max_requests`` recycles it) makes its first visitors pay for Django's lazy set-up:
the URL resolver of each language (~0.5 s on the first ``reverse()``), the
translation catalogues, and the compilation of each template the first time a page
uses it (a busy page's first view took 150 ms more than its next ones).
"""

import gc
import logging
from pathlib import Path

from django.conf import settings
from django.template import TemplateSyntaxError, engines
from django.urls import reverse
from django.utils import translation

log = logging.getLogger(__name__)


def _template_names(backend) -> set[str]:
    names = set()
    for directory in backend.template_dirs:  # the project's, then every app's
        root = Path(directory)
        for path in root.rglob("*.html"):
            names.add(path.relative_to(root).as_posix())
    return names


def warm_worker() -> int:
    """Fill the URL resolvers, catalogues and the cached template loader; returns
    the number of templates compiled."""
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            reverse("home")
    backend = engines["django"]
    engine = backend.engine
    compiled = 0
    for name in sorted(_template_names(backend)):
        try:
            engine.get_template(name)
            compiled += 1
        except TemplateSyntaxError:
            # A library's template for a tag library we do not install: never used.
            log.debug("template %s not compiled", name)
    return compiled


def freeze_heap() -> None:
    """Move everything loaded so far out of the garbage collector's generations: the
    collector then no longer walks the modules, templates and URL patterns on each
    full collection (shorter pauses on busy pages)."""
    gc.collect()
    gc.freeze()
