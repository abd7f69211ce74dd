"""Developer and demo settings: the embedded default of `make run`."""

from .base import *  # noqa: F403
