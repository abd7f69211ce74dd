"""The shortcuts busy pages take: row URLs, plain form fields, the worker warm-up."""

import gc
import runpy
from pathlib import Path

import pytest
from django import forms
from django.template import engines
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from alliance_portal import row_urls
from alliance_portal.templatetags.portal import light_field
from alliance_portal.warmup import freeze_heap, warm_worker
from alliance_portal.widgets import FastSelect

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
@pytest.mark.parametrize("pk", [1, 42, 2147483646])
def test_row_url_is_what_reverse_gives(language, pk):
    with translation.override(language):
        for name in ("reviews:review_detail", "reviews:panel_remove", "grants:detail"):
            assert row_urls.row_url(name, pk) == reverse(name, args=[pk])


def test_row_url_refuses_what_is_not_an_id():
    with pytest.raises((TypeError, ValueError)):
        row_urls.row_url("reviews:review_detail", "1/../../admin")


def test_row_url_forgets_its_urls_when_the_urlconf_changes():
    row_urls.row_url("reviews:review_detail", 1)
    assert row_urls._templates
    with override_settings(ROOT_URLCONF="alliance_portal.urls"):
        assert not row_urls._templates


class _Form(forms.Form):
    choice = forms.ChoiceField(
        label="әріп", choices=[("a", "<A>"), ("b", "B")], widget=FastSelect
    )
    note = forms.CharField(label="note", required=False)


def test_light_field_writes_crispy_markup_with_errors():
    form = _Form(data={"choice": "z"}, auto_id="x_%s")
    html = light_field(form["choice"])
    assert '<label for="x_choice" class="form-label requiredField">Әріп' in html
    assert 'class="form-select is-invalid"' in html
    assert "&lt;A&gt;" in html
    assert "<A>" not in html
    assert 'class="invalid-feedback d-block"' in html
    plain = light_field(_Form(auto_id="x_%s")["note"])
    assert 'class="form-control"' in plain
    assert "asteriskField" not in plain


def test_the_warm_up_compiles_every_template_and_freezes_the_heap():
    compiled = warm_worker()
    assert compiled > 100
    backend = engines["django"]
    # Loaded now: the cached loader answers without reading the file again.
    loader = backend.engine.template_loaders[0]
    assert any(key.startswith("base.html") for key in loader.get_template_cache)
    try:
        freeze_heap()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_gunicorn_warms_each_worker_before_it_takes_requests(monkeypatch):
    calls = []
    monkeypatch.setattr(
        "alliance_portal.warmup.warm_worker", lambda: calls.append(1) or 7
    )
    monkeypatch.setattr("alliance_portal.warmup.freeze_heap", lambda: calls.append(2))

    class Worker:
        class log:  # noqa: N801
            messages = []

            @classmethod
            def info(cls, *args):
                cls.messages.append(args)

            exception = info

    runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))["post_worker_init"](Worker)
    assert calls == [1, 2]
    assert Worker.log.messages[-1][1] == 7
