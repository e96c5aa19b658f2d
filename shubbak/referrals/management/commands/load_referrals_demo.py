"""manage.py load_referrals_demo: the demo's referral network — partners and their offers, the expert roster (some
experts with accounts), the lending partners' questionnaire, and referrals in every state with expert assignments,
timesheets and ratings.

Run after load_demo (make demo does both). Safe to run again: once loaded, nothing is added. Everything goes through
the services, as people would do it, so the audit log, the case timelines and the notifications are real; only the
dates are moved back afterwards, so that the story spreads over the past weeks.
"""

# ruff: noqa: E501 (tables of demo data read best one record a line)

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from shubbak.accounts.models import User
from shubbak.accounts.services import user_create
from shubbak.helpdesk import services as helpdesk
from shubbak.helpdesk.catalogue import catalogue_load
from shubbak.helpdesk.models import CaseService, Service
from shubbak.organisations import services as organisations
from shubbak.organisations.models import Membership, Network, Organisation
from shubbak.referrals import directory
from shubbak.referrals import experts as roster
from shubbak.referrals import services as referrals
from shubbak.referrals.models import Expert, Offer, QuestionnaireResponse, Referral
from shubbak.registry.models import Enterprise, Person

R = Membership.Role
K = Organisation.Kind
Kind = Referral.Kind

# network, slug, kind, governorate, Arabic name, English name, phone
PARTNERS = [
    ("munshati", "faten-microfinance", K.LENDER, "PS-RBH", "مؤسسة فاتن للإقراض والتنمية", "FATEN microfinance", "+970 2 240 4088"),
    (
        "munshati",
        "mne-registrar",
        K.GOVERNMENT,
        "PS-RBH",
        "وزارة الاقتصاد الوطني – الإدارة العامة لتسجيل الشركات",
        "Ministry of National Economy – companies registrar",
        "+970 2 298 1218",
    ),
    (
        "munshati",
        "women-business-forum",
        K.NGO,
        "PS-NBS",
        "منتدى سيدات الأعمال – نابلس",
        "Business Women Forum – Nablus",
        "+970 9 233 1122",
    ),
    (
        "munshati",
        "vtc-nablus",
        K.TRAINING_PROVIDER,
        "PS-NBS",
        "مركز التدريب المهني – نابلس",
        "Vocational Training Centre – Nablus",
        "+970 9 238 4455",
    ),
]

# e-mail, name, Latin name, organisation, role, title: partner staff who answer referrals in their own portal
PARTNER_STAFF = [
    ("hiba.saleh@faten.example", "هبة محمد صالح", "Hiba Saleh", "faten-microfinance", R.PARTNER_STAFF, "مسؤولة قروض – فرع نابلس"),
    ("tamer.qaddoumi@vtc-nablus.example", "تامر عادل قدومي", "Tamer Qaddoumi", "vtc-nablus", R.PARTNER_STAFF, "منسق الدورات"),
]

# organisation, service code, title, description, target groups, governorates, capacity per month
OFFERS = [
    ("faten-microfinance", "financing-referral", "قروض صغيرة للنساء صاحبات المشاريع",
     "قروض من ٥٠٠ إلى ٥٠٠٠ دولار بسداد شهري، دون كفيل للمشاريع المنزلية.", ["women"], ["PS-NBS", "PS-JEN", "PS-TKM", "PS-RBH"], 40),
    ("faten-microfinance", "financing-referral", "قروض الشباب للمشاريع الناشئة",
     "للشباب من ١٨ إلى ٢٩ عاماً بفكرة مشروع مدروسة.", ["youth"], [], 25),
    ("mne-registrar", "business-registration", "تسجيل الشركات والمؤسسات الفردية", "يشمل حجز الاسم التجاري وتسجيل عقد التأسيس.", [], [], None),
    ("mne-registrar", "trademark-registration", "تسجيل العلامات التجارية", "فحص العلامة ونشرها في الجريدة الرسمية ثم تسجيلها.", [], [], None),
    ("women-business-forum", "fairs", "جناح في معرض المنتجات النسوية الشهري", "جناح مجاني لصاحبات المشاريع المنزلية.", ["women"], ["PS-NBS"], 15),
    ("vtc-nablus", "selling-skills", "دورة فن البيع وخدمة الزبائن", "دورة من ٢٤ ساعة على ستة أيام.", ["youth", "job_seekers"], ["PS-NBS", "PS-JEN"], 20),
    ("vtc-nablus", "entrepreneurship-training", "تدريب الريادة: من الفكرة إلى المشروع", "للخريجين الجدد وأصحاب الأفكار.",
     ["university", "institute", "idea"], ["PS-NBS"], 20),
    ("riyada-experts", "e-commerce", "إنشاء متجر إلكتروني وربطه بالدفع الإلكتروني", "بالتعاون مع شركات الدفع المحلية.", [], [], 10),
    ("pfesp", "self-employment", "منح التشغيل الذاتي للشباب في قطاع غزة", "منحة عينية حتى ٣٠٠٠ دولار مع تدريب ومتابعة.",
     ["youth", "war_injured", "displaced"], [], 30),
    ("sfd-mukalla", "financing-referral", "تمويل المشاريع الصغيرة للشباب", "تمويل بضمانات ميسرة للشباب في ساحل حضرموت.", ["youth"], ["YE-HD"], 30),
    ("al-awn-foundation", "entrepreneurship-training", "تدريب المتسربين من التعليم على إدارة المشاريع",
     "برنامج من أربعة أسابيع مع منحة صغيرة.", ["dropouts", "institute"], ["YE-HD"], 25),
    ("rawabi-alkhair", "grants", "منح المشاريع المنزلية للنساء والنازحين", "منح عينية للأسر المنتجة.", ["women", "displaced"], ["YE-HD"], 15),
    ("hadramawt-microfinance", "financing-referral", "قروض أصغر لخريجي الجامعات", "قروض حتى مليون ريال بفترة سماح ثلاثة أشهر.",
     ["university"], ["YE-HD"], 35),
]  # fmt: skip

# network, keeper, e-mail (None: no account), name, gender, phone, services, languages, governorates, rate, currency,
# vetting, availability, qualifications
EXPERTS = [
    ("munshati", "nablus-chamber", "salma.khatib@experts.example", "سلمى يوسف الخطيب", "female", "0599555123",
     ["business-plan", "marketing-plan", "branding"], ["ar", "en"], ["PS-NBS", "PS-JEN", "PS-TKM"], "150", "USD", "vetted", "available",
     "ماجستير إدارة أعمال من جامعة النجاح الوطنية؛ عشر سنوات في خطط العمل والتسويق للمشاريع الصغيرة والمنزلية."),
    ("munshati", "riyada-experts", "saeed.dawoud@riyada.example", "سعيد داود الحسيني", "male", "0598765111",
     ["feasibility-study", "business-plan", "bookkeeping", "management-advice"], ["ar", "en"], ["PS-RBH", "PS-JEM", "PS-BTH"],
     "200", "USD", "vetted", "available", "محاسب قانوني معتمد؛ دراسات جدوى لأكثر من ستين مشروعاً صغيراً."),
    ("munshati", "fpcci-pmu", None, "نادية عمر البرغوثي", "female", "0597222333",
     ["legal-advice", "contracts", "labour-law"], ["ar", "en", "fr"], ["PS-RBH", "PS-NBS"], "180", "USD", "vetted", "busy",
     "محامية مزاولة؛ عقود الشراكة وقانون العمل للمنشآت الصغيرة."),
    ("munshati", "hebron-chamber", None, "محمود خليل الشريف", "male", "0599888444",
     ["e-commerce", "online-presence", "digital-tools"], ["ar", "en"], ["PS-HBN", "PS-BTH"], "120", "USD", "pending", "available",
     "مطوّر مواقع ومتاجر إلكترونية؛ دورات في التسويق عبر وسائل التواصل."),
    ("munshati", "nablus-chamber", None, "ريم سامي أبو عيشة", "female", "0592444777",
     ["export-readiness"], ["ar", "en", "tr"], ["PS-NBS"], "220", "USD", "suspended", "unavailable",
     "خبيرة تصدير؛ عملت مع مصدّري زيت الزيتون والصابون النابلسي."),
    ("gaza-oss", "pfesp", None, "خالد ماهر حلّس", "male", "0599333777",
     ["coaching", "idea-to-project", "business-plan"], ["ar"], ["PS-GZA", "PS-NGZ", "PS-DEB"], "900", "ILS", "vetted", "available",
     "مرشد أعمال في حاضنات غزة منذ ٢٠١٥؛ تحويل الأفكار إلى مشاريع للشباب والخريجين."),
]  # fmt: skip

# the partners' questionnaire of Hadramawt (seed 003): products, target groups, capacity, conditions
QUESTIONNAIRE = {
    "title": "استبيان قدرات شركاء التمكين والإقراض – ساحل حضرموت",
    "introduction": "نرجو من الشركاء تعبئة منتجاتهم وقدراتهم الشهرية والفئات المستهدفة وشروط كل منتج، "
    "لتنسيق الخدمات وتلبية الاحتياجات الحقيقية للشباب الباحثين عن القروض دون فجوات ولا تكرار.",
}


def days_ago(days: int, hour: int = 10) -> datetime.datetime:
    moment = timezone.localtime() - datetime.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


class Command(BaseCommand):
    help = "Load the demo's referral network: offers, experts, the questionnaire, referrals in every state (safe to run again)."

    def handle(self, *args, **options):
        if not Network.objects.filter(slug="munshati").exists():
            raise CommandError("The demo networks are not loaded: run `manage.py load_demo` first.")
        if Expert.objects.filter(network__slug="munshati").exists():
            self.stdout.write("The referral network's demo data is already loaded.")
        else:
            with transaction.atomic():
                self._load()
            self.stdout.write(self.style.SUCCESS("The referral network's demo data is loaded."))
        password = settings.SHUBBAK_DEMO_PASSWORD
        self.stdout.write(f"Also log in with the password «{password}» as:")
        for email, name, _latin, slug, role, _title in PARTNER_STAFF:
            self.stdout.write(f"  {email:45} {name} — {role.label} @ {slug}")
        for _n, _k, email, name, *_rest in EXPERTS:
            if email:
                self.stdout.write(f"  {email:45} {name} — {R.EXPERT.label} (/expert/)")

    # --- loading ---------------------------------------------------------------------------------------------------

    def _load(self) -> None:
        self.password = settings.SHUBBAK_DEMO_PASSWORD
        self.networks = {n.slug: n for n in Network.objects.all()}
        for slug in ("munshati", "gaza-oss", "hadramawt-lending"):
            catalogue_load(actor=None, network=self.networks[slug])
        self._partners()
        self.organisations = {o.slug: o for o in Organisation.objects.all()}
        self._offers()
        self.experts = self._experts()
        self._questionnaire()
        self._referrals()

    def _user(self, email: str, name: str, latin: str) -> User:
        user = User.objects.filter(email=email).first() or user_create(actor=None, email=email, full_name=name, full_name_en=latin)
        user.set_password(self.password)
        user.save(update_fields=["password"])
        return user

    def _service(self, network: str, code: str) -> Service:
        return Service.objects.get(network=self.networks[network], code=code)

    def _partners(self) -> None:
        for network, slug, kind, governorate, name_ar, name_en, phone in PARTNERS:
            if Organisation.objects.filter(slug=slug).exists():
                continue
            data = {"name_ar": name_ar, "name_en": name_en, "kind": kind, "country": "PS", "governorate": governorate, "phone": phone}
            data |= {"email": f"info@{slug}.example", "parent": Organisation.objects.get(slug="fpcci-pmu")}
            organisation = organisations.organisation_create(actor=None, network=self.networks[network], slug=slug, data=data)
            organisations.contact_create(
                actor=None,
                organisation=organisation,
                data={"name": f"مكتب الشراكات – {name_ar}", "position": "منسق الإحالات", "phone": phone, "is_primary": True},
            )
        for email, name, latin, slug, role, title in PARTNER_STAFF:
            self._user(email, name, latin)
            organisation = Organisation.objects.get(slug=slug)
            if not Membership.objects.filter(user__email=email, organisation=organisation).exists():
                organisations.membership_create(actor=None, organisation=organisation, email=email, full_name=name, role=role, title=title)

    def _offers(self) -> None:
        today = timezone.localdate()
        for slug, code, title, description, groups, governorates, capacity in OFFERS:
            organisation = self.organisations[slug]
            network = organisation.network
            data = {
                "service": self._service(network.slug, code),
                "title": title,
                "description": description,
                "rule": directory.rule_for_groups(groups, network),
                "governorates": governorates,
                "capacity_per_month": capacity,
                "contact": organisation.contacts.order_by("-is_primary", "pk").first(),
                "mou_start": today.replace(month=1, day=1),
                "mou_end": today.replace(year=today.year + 1, month=12, day=31),
            }
            directory.offer_create(actor=None, organisation=organisation, data=data)

    def _experts(self) -> dict[str, Expert]:
        found = {}
        for (
            network,
            keeper,
            email,
            name,
            gender,
            phone,
            codes,
            languages,
            governorates,
            rate,
            currency,
            vetting,
            available,
            what,
        ) in EXPERTS:
            data = {
                "full_name": name,
                "gender": gender,
                "phone": phone,
                "email": email or "",
                "specialisations": [self._service(network, code) for code in codes],
                "qualifications": what,
                "languages": languages,
                "governorates": governorates,
                "daily_rate": Decimal(rate),
                "currency": currency,
                "availability": available,
            }
            expert = roster.expert_save(actor=None, organisation=self.organisations[keeper], data=data)
            if vetting != Expert.Vetting.PENDING:
                note = {
                    "vetted": "مقابلة شخصية، شهادتان، وتوصيتان من جهات عمل سابقة.",
                    "suspended": "موقوفة مؤقتاً: لم تسلّم تقرير المهمة الأخيرة في موعده.",
                }[vetting]
                expert = roster.expert_vet(actor=None, expert=expert, vetting=vetting, note=note)
            if email:
                roster.expert_invite(actor=None, expert=expert)
                self._user(email, name, "")
                expert.refresh_from_db()
            found[name] = expert
        return found

    def _questionnaire(self) -> None:
        network = self.networks["hadramawt-lending"]
        manager = User.objects.get(email="awsan.baharoon@smeps.example")
        data = QUESTIONNAIRE | {"due_on": timezone.localdate() + datetime.timedelta(days=21)}
        questionnaire = directory.questionnaire_create(actor=manager, network=network, data=data)
        responses = {r.organisation.slug: r for r in questionnaire.responses.select_related("organisation")}
        lender = User.objects.get(email="abdullah.bawazir@hmf.example")
        financing = self._service("hadramawt-lending", "financing-referral")
        directory.response_submit(
            actor=lender,
            response=responses["hadramawt-microfinance"],
            answers={
                "products": [
                    {
                        "service": financing.pk,
                        "title": "قروض أصغر لخريجي الجامعات",
                        "description": "قروض حتى مليون ريال بفترة سماح ثلاثة أشهر.",
                        "target_groups": ["university", "youth"],
                        "conditions": "ضمان تجاري أو كفيل موظف",
                        "capacity_per_month": 40,
                        "governorates": ["YE-HD"],
                    },
                    {
                        "service": financing.pk,
                        "title": "قروض المشاريع المنزلية للنساء",
                        "description": "قروض صغيرة بضمان جماعي.",
                        "target_groups": ["women"],
                        "conditions": "مجموعة من خمس نساء",
                        "capacity_per_month": 20,
                        "governorates": ["YE-HD"],
                    },
                ],
                "contact": {"name": "عبد الله سالم باوزير", "position": "مسؤول الإقراض", "phone": "+967 5 357 444", "email": ""},
                "notes": "نستطيع رفع القدرة إلى ستين قرضاً شهرياً بعد موسم الحصاد.",
            },
        )
        training = self._service("hadramawt-lending", "entrepreneurship-training")
        answered = directory.response_submit(  # through the signed link: the foundation has no accounts
            actor=None,
            response=responses["al-awn-foundation"],
            answers={
                "products": [
                    {
                        "service": training.pk,
                        "title": "تدريب المتسربين من التعليم على إدارة المشاريع",
                        "description": "برنامج من أربعة أسابيع مع منحة صغيرة.",
                        "target_groups": ["dropouts", "institute"],
                        "conditions": "",
                        "capacity_per_month": 30,
                        "governorates": ["YE-HD"],
                    }
                ],
                "contact": {"name": "سالم بن بريك", "position": "مدير البرامج", "phone": "+967 5 354 222", "email": ""},
                "notes": "",
            },
        )
        directory.response_apply(actor=manager, response=answered)
        waiting = QuestionnaireResponse.objects.filter(questionnaire=questionnaire, status=QuestionnaireResponse.Status.WAITING)
        for response in waiting.filter(organisation__slug="rawabi-alkhair"):
            directory.response_remind(actor=manager, response=response)

    # --- referrals -------------------------------------------------------------------------------------------------

    def _case(self, key: str, *, organisation: str, officer: str, subject: str, codes: list[str], person: Person | None = None, **data):
        organisation = self.organisations[organisation]
        actor = User.objects.get(email=officer)
        case = helpdesk.case_create(
            actor=actor,
            organisation=organisation,
            data={"subject": subject, "person": person, "enterprise": self._enterprise(person), "desk": organisation.desks.first(), **data},
            services=[self._service(organisation.network.slug, code) for code in codes],
            idempotency_key=f"demo-referrals-{key}",
            notify_staff=False,
        )
        return case, actor

    @staticmethod
    def _client(organisation: str, **found) -> Person:
        """A client load_demo registered, found by her ID or phone number."""
        person = Person.objects.filter(organisation__slug=organisation, merged_into=None, **found).order_by("pk").first()
        if person is None:
            raise CommandError(f"load_demo's client {found} of {organisation} is missing.")
        return person

    @staticmethod
    def _enterprise(person: Person | None) -> Enterprise | None:
        return Enterprise.objects.filter(ownerships__person=person).first() if person else None

    @staticmethod
    def _wanted(case, code: str) -> CaseService:
        return case.services.select_related("service").get(service__code=code)

    @staticmethod
    def _backdate(referral: Referral, sent: int, **answered) -> None:
        """Move the referral's dates back: sent `sent` days ago, answered / started / finished the days given."""
        dates = {"sent_at": days_ago(sent), "respond_by": days_ago(sent - 3)}
        dates |= {f"{name}_at": days_ago(ago, 12) for name, ago in answered.items()}
        Referral.objects.filter(pk=referral.pk).update(**dates)
        referral.refresh_from_db()

    def _referrals(self) -> None:
        offers = {o.title: o for o in Offer.objects.select_related("organisation")}
        hiba = User.objects.get(email="hiba.saleh@faten.example")
        tamer = User.objects.get(email="tamer.qaddoumi@vtc-nablus.example")
        lina = User.objects.get(email="lina.hamdan@nablus-chamber.example")
        salma, saeed = self.experts["سلمى يوسف الخطيب"], self.experts["سعيد داود الحسيني"]
        nablus = "ahmad.qasem@nablus-chamber.example"
        fatima = self._client("nablus-chamber", national_id="401234562")
        masri = self._client("nablus-chamber", national_id="923456784")

        # 1. Fatima's home kitchen: a loan (in progress at FATEN), a business plan (Salma, assignment open), a fair (sent)
        case, officer = self._case(
            "kitchen",
            organisation="nablus-chamber",
            officer=nablus,
            person=fatima,
            subject="توسيع مطبخ فاطمة للمأكولات البيتية",
            description="تريد قرضاً لشراء فرن صناعي وثلاجة عرض، وخطة عمل، وجناحاً في معرض المنتجات.",
            codes=["financing-referral", "business-plan", "fairs"],
        )
        loan = referrals.referral_send(
            actor=officer,
            case_service=self._wanted(case, "financing-referral"),
            kind=Kind.PARTNER,
            offer=offers["قروض صغيرة للنساء صاحبات المشاريع"],
            shared_fields=["name", "phone", "gender", "age", "governorate", "enterprise", "request"],
            note="لديها موافقة على مشاركة بياناتها؛ تفضّل الاتصال بعد الثالثة عصراً.",
        )
        referrals.referral_accept(actor=hiba, referral=loan)
        referrals.referral_start(actor=hiba, referral=loan)
        self._backdate(loan, 12, accepted=11, started=8)
        plan = referrals.referral_send(
            actor=officer,
            case_service=self._wanted(case, "business-plan"),
            kind=Kind.EXPERT,
            expert=salma,
            shared_fields=["gender", "age", "governorate", "enterprise", "request"],
            note="خطة عمل يطلبها مقرض فاتن مع طلب القرض.",
        )
        referrals.referral_accept(
            actor=salma.user,
            referral=plan,
            assignment={
                "scope": "إعداد خطة عمل لثلاث سنوات مع توقعات مالية ودراسة بسيطة لسوق المأكولات البيتية في نابلس.",
                "expected_days": "4",
                "deliverables": "خطة العمل\nالتوقعات المالية\nعرض مختصر لمقرض فاتن",
            },
        )
        self._backdate(plan, 10, accepted=9)
        assignment = plan.assignment
        for ago, days, work, deliverable in (
            (8, "1", "زيارة المطبخ ومقابلة صاحبته وجمع بيانات التكاليف", ""),
            (6, "1", "دراسة السوق: أسعار المنافسين في رفيديا والبلدة القديمة", ""),
            (3, "0.5", "مسودة التوقعات المالية", "التوقعات المالية"),
        ):
            roster.timesheet_add(
                actor=salma.user, assignment=assignment, date=timezone.localdate() - datetime.timedelta(days=ago), days=days, work=work,
                deliverable=deliverable,
            )  # fmt: skip
        first_two = list(assignment.timesheets.order_by("date")[:2])
        roster.timesheets_approve(actor=lina, assignment=assignment, timesheets=first_two)
        fair = referrals.referral_send(
            actor=officer,
            case_service=self._wanted(case, "fairs"),
            kind=Kind.PARTNER,
            offer=offers["جناح في معرض المنتجات النسوية الشهري"],
            shared_fields=["gender", "governorate", "enterprise", "request"],
        )
        self._backdate(fair, 2)

        # 2. Mohammad's sewing workshop: a trademark (declined by link), a feasibility study (Saeed: done, rated)
        case, officer = self._case(
            "workshop",
            organisation="nablus-chamber",
            officer=nablus,
            person=masri,
            subject="علامة تجارية ودراسة جدوى لخط إنتاج جديد",
            description="يريد تسجيل علامة «المصري للأزياء» ودراسة جدوى لخط إنتاج الزي المدرسي.",
            codes=["trademark-registration", "feasibility-study"],
        )
        trademark = referrals.referral_send(
            actor=officer,
            case_service=self._wanted(case, "trademark-registration"),
            kind=Kind.PARTNER,
            offer=offers["تسجيل العلامات التجارية"],
            shared_fields=["gender", "governorate", "enterprise", "request"],
        )
        referrals.referral_decline(
            actor=None, referral=trademark, via_link=True, reason="العلامة مسجّلة باسم شركة أخرى في الفئة نفسها؛ يُقترح اسم بديل."
        )
        self._backdate(trademark, 20, declined=17)
        study = referrals.referral_send(
            actor=officer,
            case_service=self._wanted(case, "feasibility-study"),
            kind=Kind.EXPERT,
            expert=saeed,
            shared_fields=["gender", "age", "governorate", "enterprise", "request"],
        )
        referrals.referral_accept(
            actor=saeed.user,
            referral=study,
            assignment={"scope": "دراسة جدوى لخط إنتاج الزي المدرسي", "expected_days": "3", "deliverables": "دراسة الجدوى"},
        )
        self._backdate(study, 25, accepted=24)
        for ago, work in ((23, "زيارة المشغل وحصر الآلات"), (21, "دراسة السوق والمنافسين"), (19, "التحليل المالي وكتابة الدراسة")):
            roster.timesheet_add(
                actor=saeed.user,
                assignment=study.assignment,
                date=timezone.localdate() - datetime.timedelta(days=ago),
                days="1",
                work=work,
                deliverable="دراسة الجدوى" if ago == 19 else "",
            )
        roster.timesheets_approve(actor=lina, assignment=study.assignment)
        referrals.referral_complete(actor=saeed.user, referral=study, outcome_note="سُلّمت الدراسة: الخط مجدٍ بفترة استرداد ١٨ شهراً.")
        roster.assignment_close(actor=lina, assignment=study.assignment, rating=5, note="دراسة واضحة وسُلّمت قبل موعدها.")
        self._backdate(study, 25, accepted=24, finished=18)

        # 3. A walk-in client without a record: selling skills (completed), registration (no-show)
        case, officer = self._case(
            "walk-in",
            organisation="nablus-chamber",
            officer=nablus,
            subject="بسطة خضار تريد التسجيل وتعلّم البيع",
            contact_name="هبة الأسمر",
            contact_phone="0599001122",
            codes=["selling-skills", "business-registration"],
        )
        course = referrals.referral_send(
            actor=officer,
            case_service=self._wanted(case, "selling-skills"),
            kind=Kind.PARTNER,
            offer=offers["دورة فن البيع وخدمة الزبائن"],
            shared_fields=["gender", "age", "governorate", "request"],
        )
        referrals.referral_accept(actor=tamer, referral=course)
        referrals.referral_complete(actor=tamer, referral=course, outcome_note="أنهت الدورة (٢٤ ساعة) وحصلت على الشهادة.")
        self._backdate(course, 30, accepted=29, started=22, finished=16)
        registration = referrals.referral_send(
            actor=officer,
            case_service=self._wanted(case, "business-registration"),
            kind=Kind.PARTNER,
            offer=offers["تسجيل الشركات والمؤسسات الفردية"],
            shared_fields=["gender", "governorate", "request"],
        )
        referrals.referral_accept(actor=None, referral=registration, via_link=True)
        referrals.referral_no_show(actor=None, referral=registration, via_link=True, note="لم تحضر في الموعد ولم ترد على الهاتف.")
        self._backdate(registration, 15, accepted=14, finished=9)

        # 4. A graduate with an idea: training (cancelled: he found a job), a marketing plan (sent to Salma, waiting)
        case, officer = self._case(
            "graduate",
            organisation="nablus-chamber",
            officer="lina.hamdan@nablus-chamber.example",
            subject="خريج يريد تدريباً في الريادة وخطة تسويق لفكرته",
            contact_name="يوسف عماد حمدان",
            codes=["entrepreneurship-training", "marketing-plan"],
        )
        training = referrals.referral_send(
            actor=officer,
            case_service=self._wanted(case, "entrepreneurship-training"),
            kind=Kind.PARTNER,
            offer=offers["تدريب الريادة: من الفكرة إلى المشروع"],
            shared_fields=["gender", "age", "education", "request"],
        )
        referrals.referral_cancel(actor=officer, referral=training, reason="وجد عملاً ولم يعد يريد التدريب الآن.")
        self._backdate(training, 9, finished=4)
        marketing = referrals.referral_send(
            actor=officer,
            case_service=self._wanted(case, "marketing-plan"),
            kind=Kind.EXPERT,
            expert=salma,
            shared_fields=["gender", "age", "governorate", "request"],
        )
        self._backdate(marketing, 1)

        # 5. Hebron: a loan for a job seeker, waiting too long for FATEN's answer
        jaabari = self._client("hebron-chamber", phone="+970597654321")
        case, officer = self._case(
            "hebron",
            organisation="hebron-chamber",
            officer="fatima.tamimi@hebron-chamber.example",
            person=jaabari,
            subject="قرض لشاب باحث عن عمل لفتح محل صيانة هواتف",
            codes=["financing-referral"],
        )
        waiting = referrals.referral_send(
            actor=officer,
            case_service=self._wanted(case, "financing-referral"),
            kind=Kind.PARTNER,
            offer=offers["قروض الشباب للمشاريع الناشئة"],
            shared_fields=["gender", "age", "governorate", "education", "request"],
        )
        self._backdate(waiting, 8)

        # 6. Hadramawt (seed 003): a graduate's loan accepted by the microfinance programme
        baabad = self._client("smeps-hadramawt", national_id="0110234567")
        case, officer = self._case(
            "mukalla",
            organisation="smeps-hadramawt",
            officer="awsan.baharoon@smeps.example",
            person=baabad,
            subject="قرض لمشروع صيد وتبريد أسماك في المكلا",
            codes=["financing-referral"],
        )
        mukalla = referrals.referral_send(
            actor=officer,
            case_service=self._wanted(case, "financing-referral"),
            kind=Kind.PARTNER,
            offer=offers["قروض أصغر لخريجي الجامعات"],
            shared_fields=["name", "phone", "gender", "age", "governorate", "education", "request"],
        )
        referrals.referral_accept(actor=User.objects.get(email="abdullah.bawazir@hmf.example"), referral=mukalla)
        self._backdate(mukalla, 6, accepted=4)

        # 7. Gaza: a self-employment grant for an injured young man, sent to the fund
        shamala = self._client("gaza-chamber", phone="+970592345678")
        case, officer = self._case(
            "gaza",
            organisation="gaza-chamber",
            officer="nour.farra@gaza-chamber.example",
            person=shamala,
            subject="منحة تشغيل ذاتي لمشروع تصليح دراجات",
            codes=["self-employment"],
        )
        gaza = referrals.referral_send(
            actor=officer,
            case_service=self._wanted(case, "self-employment"),
            kind=Kind.PARTNER,
            offer=offers["منح التشغيل الذاتي للشباب في قطاع غزة"],
            shared_fields=["name", "phone", "gender", "age", "governorate", "request"],
        )
        self._backdate(gaza, 3)
