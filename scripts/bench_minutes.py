"""Benchmark of the council-session minutes PDF without a database.

Builds a snapshot of the shape ``reviews.minutes.minutes_snapshot_build`` returns
(``--ranking`` rows with 60–120-character Kazakh/Russian titles and organisation
names, ``--decisions`` decisions with conditions and reasons of a sentence or two,
a few dissents, 12 members present), then in a fresh process that has run
``alliance_portal.pdf.warm_up()`` renders it ``--runs`` times exactly as
``reviews.documents.minutes_pdf`` does (``minutes_context`` + ``render_pdf``) and
prints wall-clock and CPU time per run, the page count and the size.

Usage (not a test, never run by pytest)::

    .venv/bin/python scripts/bench_minutes.py                      # kk, 500 + 250
    .venv/bin/python scripts/bench_minutes.py --decisions 40 --language ru
    .venv/bin/python scripts/bench_minutes.py --profile 30         # cProfile, top 30
    .venv/bin/python scripts/bench_minutes.py --save /tmp/m.pdf    # look at it

Say the load average (printed) with any figure you quote: the machine is shared.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

WORDS_KK = [
    "ауылдық",
    "жастардың",
    "цифрлық",
    "сауаттылығын",
    "арттыру",
    "экологиялық",
    "білім",
    "беру",
    "мүмкіндігі",
    "шектеулі",
    "балаларға",
    "арналған",
    "инклюзивті",
    "орта",
    "құру",
    "әйелдердің",
    "кәсіпкерлігін",
    "қолдау",
    "қоғамдық",
    "кеңістікті",
    "абаттандыру",
    "тарихи",
    "мұраны",
    "сақтау",
    "өңірлік",
    "волонтерлік",
    "қозғалысты",
    "дамыту",
    "қарт",
    "адамдарға",
    "әлеуметтік",
    "көмек",
    "Қызылорда",
    "облысындағы",
    "Ұлытау",
    "өңіріндегі",
    "Шығыс",
    "Қазақстан",
    "Үржар",
    "ауданы",
]
WORDS_RU = [
    "повышение",
    "цифровой",
    "грамотности",
    "сельской",
    "молодёжи",
    "экологическое",
    "просвещение",
    "создание",
    "инклюзивной",
    "среды",
    "для",
    "детей",
    "с",
    "ограниченными",
    "возможностями",
    "поддержка",
    "женского",
    "предпринимательства",
    "благоустройство",
    "общественных",
    "пространств",
    "сохранение",
    "исторического",
    "наследия",
    "развитие",
    "регионального",
    "волонтёрского",
    "движения",
    "социальная",
    "помощь",
    "пожилым",
    "людям",
    "в",
    "Кызылординской",
    "области",
]
ORG_KK = ("қоғамдық қоры", "қоғамдық бірлестігі", "жастар орталығы", "қауымдастығы")
ORG_RU = ("общественный фонд", "общественное объединение", "центр", "ассоциация")
CONDITIONS = (
    "Жоба бюджетіндегі көлік шығыстарын 15 пайызға азайту және күнтізбелік "
    "жоспарды кеңеспен келісу. Серіктес ұйымның хатын шарт жасалғанға дейін ұсыну."
)
REASONS = (
    "Сарапшылар жобаның әлеуметтік маңыздылығын және командасының тәжірибесін "
    "жоғары бағалады; бюджет негізделген, нәтижелері өлшенетін."
)
DISSENT = "Сарапшы Б. Әбенова: жоба тым қымбат, нысаналы топ нақты анықталмаған."


def _phrase(rng: random.Random, words, low: int, high: int) -> str:
    target = rng.randint(low, high)
    out = []
    while len(" ".join(out)) < target:
        out.append(rng.choice(words))
    text = " ".join(out)[:high].rstrip()
    return text[0].upper() + text[1:]


def build_snapshot(n_ranking: int, n_decisions: int, seed: int = 14) -> dict:
    rng = random.Random(seed)
    envelope = 150_000_000
    ranking, running = [], 0
    apps = []
    for i in range(n_ranking):
        org = {
            "kk": f"«{_phrase(rng, WORDS_KK, 20, 50)}» {rng.choice(ORG_KK)}",
            "ru": f"{rng.choice(ORG_RU).capitalize()} «{_phrase(rng, WORDS_RU, 20, 50)}»",
        }
        requested = rng.randrange(2_000_000, 15_000_000, 50_000)
        running += requested
        app = {
            "application": f"ALL-2026-{i + 1:05d}",
            "organisation": org,
            "title": _phrase(rng, WORDS_KK, 60, 120),
            "title_ru": _phrase(rng, WORDS_RU, 60, 120),
            "requested": f"{requested}.00",
        }
        apps.append(app)
        mean = 95 - i * 0.12 + rng.random()
        ranking.append(
            {
                "position": i + 1,
                **app,
                "mean": f"{mean:.2f}",
                "spread": f"{rng.random() * 20:.2f}",
                "reviews": 3,
                "running_total": f"{running}.00",
                "within_envelope": running <= envelope,
                "decision": "",
            }
        )
    codes = ["recommend", "recommend_conditions", "do_not_recommend", "defer"]
    decisions = []
    for i in range(n_decisions):
        code = codes[i % 4] if i % 3 else "recommend"
        app = apps[i]
        ranking[i]["decision"] = code
        funded = code in ("recommend", "recommend_conditions")
        decisions.append(
            {
                **app,
                "mean": ranking[i]["mean"],
                "decision": code,
                "amount": app["requested"] if funded else None,
                "conditions": CONDITIONS if code == "recommend_conditions" else "",
                "reasons": REASONS,
                "votes": {"for": 9, "against": 2, "abstained": 1},
                "dissent": DISSENT if i % 25 == 3 else "",
            }
        )
    present = [
        {"name": f"Сарапшы {n} Әбдіқадырұлы", "remote": n % 5 == 0} for n in range(12)
    ]
    return {
        "schema": 1,
        "number": "1041",
        "call": {
            "title_kk": "«Игілік» қорының 2026 жылғы азаматтық бастамалар конкурсы",
            "title_ru": "Конкурс гражданских инициатив фонда «Игілік» 2026 года",
            "envelope": f"{envelope}.00",
        },
        "held_on": "2026-12-01",
        "starts_at": "10:30",
        "place": "Астана, Мәңгілік Ел даңғылы 8, мәжіліс залы",
        "agenda": "1. Өтінімдердің рейтингін қарау.\n2. Гранттар туралы шешім қабылдау.",
        "chair": "Айгүл Төрағаева",
        "secretary": "Айжан Секретарова",
        "council_size": 15,
        "present": present,
        "quorum": {"present": 12, "size": 15, "needed": 10, "met": True},
        "ranking": ranking,
        "decisions": decisions,
        "envelope_override_reason": "",
        "closed_at": "2026-12-01T13:00:00+05:00",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ranking", type=int, default=500)
    parser.add_argument("--decisions", type=int, default=250)
    parser.add_argument("--language", default="kk", choices=["kk", "ru"])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", type=int, default=0, help="cProfile, top N")
    parser.add_argument("--save", help="write the last PDF here")
    parser.add_argument(
        "--template", default="reviews/minutes_pdf.html", help="to try a variant"
    )
    parser.add_argument(
        "--write-option",
        action="append",
        default=[],
        help="NAME=true|false passed to WeasyPrint's write_pdf, to try one",
    )
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance_portal.settings.local")
    import django

    django.setup()
    from django.utils import translation
    from pypdf import PdfReader

    from alliance_portal.pdf import render_pdf, warm_up
    from reviews.documents import minutes_context

    if args.write_option:
        import weasyprint

        options = {
            name: value.lower() == "true"
            for name, value in (o.split("=", 1) for o in args.write_option)
        }
        original = weasyprint.HTML.write_pdf

        def write_pdf(self, *a, **kw):
            return original(self, *a, **{**options, **kw})

        weasyprint.HTML.write_pdf = write_pdf

    snapshot = build_snapshot(args.ranking, args.decisions)

    def render() -> bytes:
        with translation.override(args.language):
            context = {
                **minutes_context(snapshot, args.language),
                "version": 1,
                "issued_on": None,
            }
            return render_pdf(args.template, context, language=args.language)

    started = time.perf_counter()
    warm_up()
    print(f"warm_up: {(time.perf_counter() - started) * 1000:.0f} ms")
    print(
        f"{args.language}, {args.ranking} ranking rows + {args.decisions} decisions, "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    pdf = b""
    for run in range(args.runs):
        wall, cpu = time.perf_counter(), time.process_time()
        if args.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            pdf = profiler.runcall(render)
        else:
            pdf = render()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        print(
            f"run {run + 1}: {wall * 1000:.0f} ms wall, {cpu * 1000:.0f} ms CPU, "
            f"{pages} pages, {len(pdf) // 1024} KiB"
        )
        if args.profile:
            stats = pstats.Stats(profiler).sort_stats("cumulative")
            stats.print_stats(args.profile)
            stats.sort_stats("tottime").print_stats(args.profile)
            break
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    if args.save:
        Path(args.save).write_bytes(pdf)
        print(f"saved {args.save}")


if __name__ == "__main__":
    main()
