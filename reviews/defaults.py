"""The default criteria template, from the source article: the viability of the social
problem and the results above all, then the organisation's capacity (the migration
0002 seeds it; the copy service re-seeds it if an empty table is ever met)."""

from decimal import Decimal

DEFAULT = [
    (
        "Әлеуметтік мәселенің өзектілігі мен өміршеңдігі",
        "Актуальность и жизнеспособность социальной проблемы",
        "Мәселе нақты ма, дәлелденген бе, облыс үшін маңызды ма?",
        "Конкретна ли проблема, обоснована ли она, важна ли для области?",
        "25.00",
        False,
    ),
    (
        "Күтілетін нәтижелердің айқындығы мен өлшенетіндігі",
        "Ясность и измеримость ожидаемых результатов",
        "Нәтижелер мен көрсеткіштер нақты және тексерілетін бе?",
        "Конкретны и проверяемы ли результаты и индикаторы?",
        "20.00",
        False,
    ),
    (
        "Ұйымның әлеуеті мен тәжірибесі",
        "Потенциал и опыт организации",
        "Ұйымның осындай жобаларды жүзеге асыру тәжірибесі бар ма?",
        "Есть ли у организации опыт реализации подобных проектов?",
        "20.00",
        False,
    ),
    (
        "Бюджеттің негізділігі",
        "Обоснованность бюджета",
        "Шығыстар іс-шаралармен байланысты әрі негізделген бе?",
        "Связаны ли расходы с мероприятиями и обоснованы ли они?",
        "15.00",
        False,
    ),
    (
        "Жобаның тұрақтылығы",
        "Устойчивость проекта",
        "Грант аяқталғаннан кейін нәтижелер сақтала ма?",
        "Сохранятся ли результаты после окончания гранта?",
        "10.00",
        True,
    ),
    (
        "Аудандар мен ауылдарды қамту",
        "Охват районов и сёл",
        "Жоба аудандар мен ауылдардағы тұрғындарға жете ме?",
        "Доходит ли проект до жителей районов и сёл?",
        "10.00",
        True,
    ),
]


def criterion_templates_ensure(model) -> None:
    """Seed ``model`` (the CriterionTemplate model, historical or real) if empty."""
    if model.objects.exists():
        return
    for order, (nkk, nru, gkk, gru, weight, na) in enumerate(DEFAULT, start=1):
        model.objects.create(
            name_kk=nkk,
            name_ru=nru,
            guidance_kk=gkk,
            guidance_ru=gru,
            weight=Decimal(weight),
            scale_max=10,
            comment_required=True,
            may_be_not_applicable=na,
            order=order,
        )
