"""Load the demo data of every app. Idempotent: a second run changes nothing.

Each app contributes a ``demo.py`` with a ``seed(stdout)`` function; they run in the
order of INSTALLED_APPS, so lower layers (members) come before the apps using them.
"""

from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings


class Command(BaseCommand):
    help = "Load the demo data (districts, organisations, one user per role, ...)."

    def handle(self, *args, **options):
        # The demo walks real workflows (submissions, payments) whose notifications
        # would otherwise print a screenful of emails on the console of `make run`.
        with (
            override_settings(
                EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"
            ),
            transaction.atomic(),
        ):
            for config in apps.get_app_configs():
                try:
                    module = import_module(f"{config.name}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.demo":
                        raise
                    continue
                module.seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
