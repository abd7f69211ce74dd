"""Demo data of the expert review: four experts, and on the latest call the default
criteria and a panel of those four. Runs after projects' demo; does nothing for calls
if none exist."""

from alliance_portal.permissions import Role
from members.demo import demo_user
from members.models import User
from projects.models import Call

from .models import Criterion, ExpertProfile
from .services import criteria_copy_template, panel_add_all_active

EXPERTS = [
    ("expert@demo.kz", "Ержан Қалиев", "Әлеуметтік жобалар, жастар саясаты"),
    ("expert2@demo.kz", "Сәуле Нұрланқызы", "Қаржы және бюджет"),
    ("expert3@demo.kz", "Ғалым Әбенов", "Денсаулық сақтау, мүгедектігі бар адамдар"),
    ("expert4@demo.kz", "Дина Оспанова", "Арал өңірінің экологиясы"),
]


def seed(stdout) -> None:
    for email, name, expertise in EXPERTS:
        user = User.objects.filter(email=email).first() or demo_user(
            email, Role.EXPERT, name
        )
        ExpertProfile.objects.update_or_create(
            user=user, defaults={"expertise": expertise, "active": True}
        )
    call = Call.objects.order_by("-opens_at").first()
    copied = 0
    if call is not None and not Criterion.objects.filter(call=call).exists():
        copied = len(criteria_copy_template(call=call, actor=None))
    panel = 0
    if call is not None:
        panel = len(panel_add_all_active(call=call, actor=None))
    stdout.write(
        f"  reviews: {len(EXPERTS)} experts, {copied} criteria copied, "
        f"{panel} added to the call's panel"
    )
