"""Load the demo network once: five networks, their organisations and desks, staff in every role, and the helpdesk."""

import datetime
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from unittest import mock

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from shubbak.accounts.models import User
from shubbak.accounts.services import user_create
from shubbak.helpdesk import services as helpdesk
from shubbak.helpdesk.catalogue import catalogue_load
from shubbak.helpdesk.models import Case, CaseEvent, Holiday, Session
from shubbak.organisations import services
from shubbak.organisations.models import Desk, Membership, Network, Organisation

R = Membership.Role
HELPDESK, OSS = Desk.Kind.HELPDESK, Desk.Kind.ONE_STOP_SHOP
K = Organisation.Kind

NETWORKS = [
    (
        "munshati",
        "helpdesk",
        "مكتب المساعدة الوطني للمنشآت متناهية الصغر والصغيرة والمتوسطة «منشأتي»",
        "Munshati national MSME helpdesk",
        "برنامج الأمم المتحدة الإنمائي / برنامج مساعدة الشعب الفلسطيني",
    ),
    (
        "gaza-oss",
        "one_stop_shop",
        "الشباك الموحد للتشغيل وخدمات الأعمال – قطاع غزة",
        "Gaza one-stop shops for employment and business services",
        "الصندوق الفلسطيني للتشغيل والحماية الاجتماعية للعمال",
    ),
    ("smeda", "agency", "هيئة تنمية المشروعات الصغيرة والمتوسطة", "SME Development Agency", ""),
    ("hadramawt-lending", "lending", "شركاء التمكين والإقراض – ساحل حضرموت", "Hadramawt empowerment and lending partners", ""),
    (
        "palga",
        "local_authorities",
        "الاتحاد الفلسطيني للهيئات المحلية – منصات تبادل الخبرات",
        "Association of Palestinian Local Authorities – experience-exchange platforms",
        "GIZ",
    ),
]

# network, slug, parent slug, kind, country, governorate, Arabic name, English name, phone, desks [(name_ar, name_en, kind, hours)]
ORGANISATIONS = [
    (
        "munshati",
        "fpcci-pmu",
        None,
        K.COORDINATING_BODY,
        "PS",
        "PS-RBH",
        "اتحاد الغرف التجارية الصناعية الزراعية الفلسطينية – وحدة إدارة المشروع",
        "FPCCIA project management unit",
        "+970 2 296 5200",
        [],
    ),
    (
        "munshati",
        "nablus-chamber",
        "fpcci-pmu",
        K.CHAMBER,
        "PS",
        "PS-NBS",
        "غرفة تجارة وصناعة نابلس",
        "Nablus Chamber of Commerce and Industry",
        "+970 9 238 0335",
        [("مكتب منشأتي – نابلس", "Munshati desk – Nablus", HELPDESK, "الأحد–الخميس ٨:٠٠–١٥:٠٠")],
    ),
    (
        "munshati",
        "hebron-chamber",
        "fpcci-pmu",
        K.CHAMBER,
        "PS",
        "PS-HBN",
        "غرفة تجارة وصناعة محافظة الخليل",
        "Hebron Chamber of Commerce and Industry",
        "+970 2 222 8218",
        [
            ("مكتب منشأتي – الخليل", "Munshati desk – Hebron", HELPDESK, "السبت–الخميس ٨:٠٠–١٤:٠٠"),
            ("مكتب منشأتي – دورا", "Munshati desk – Dura", HELPDESK, "الاثنين والأربعاء ٩:٠٠–١٣:٠٠"),
        ],
    ),
    (
        "munshati",
        "bethlehem-chamber",
        "fpcci-pmu",
        K.CHAMBER,
        "PS",
        "PS-BTH",
        "غرفة تجارة وصناعة محافظة بيت لحم",
        "Bethlehem Chamber of Commerce and Industry",
        "+970 2 274 2742",
        [("مكتب منشأتي – بيت لحم", "Munshati desk – Bethlehem", HELPDESK, "الاثنين–السبت ٨:٠٠–١٥:٠٠")],
    ),
    (
        "munshati",
        "jericho-chamber",
        "fpcci-pmu",
        K.CHAMBER,
        "PS",
        "PS-JRH",
        "غرفة تجارة وصناعة وزراعة محافظة أريحا والأغوار",
        "Jericho and Jordan Valley Chamber",
        "+970 2 232 3313",
        [("مكتب منشأتي – أريحا", "Munshati desk – Jericho", HELPDESK, "الأحد–الخميس ٨:٠٠–١٤:٠٠")],
    ),
    (
        "munshati",
        "middle-area-chamber",
        "fpcci-pmu",
        K.CHAMBER,
        "PS",
        "PS-DEB",
        "الغرفة التجارية الصناعية الزراعية – المحافظة الوسطى",
        "Middle Area Chamber (Deir al-Balah)",
        "+970 8 253 1234",
        [("مكتب منشأتي – دير البلح", "Munshati desk – Deir al-Balah", HELPDESK, "السبت–الخميس ٨:٠٠–١٤:٠٠")],
    ),
    (
        "munshati",
        "riyada-experts",
        "fpcci-pmu",
        K.EXPERT_FIRM,
        "PS",
        "PS-RBH",
        "مكتب الريادة للاستشارات الإدارية والمالية",
        "Riyada management and finance consultants",
        "+970 2 298 7766",
        [],
    ),
    (
        "gaza-oss",
        "pfesp",
        None,
        K.FUND,
        "PS",
        "PS-GZA",
        "الصندوق الفلسطيني للتشغيل والحماية الاجتماعية للعمال – غزة",
        "Palestinian Fund for Employment and Social Protection – Gaza",
        "+970 8 282 5500",
        [],
    ),
    (
        "gaza-oss",
        "gaza-chamber",
        "pfesp",
        K.CHAMBER,
        "PS",
        "PS-GZA",
        "الغرفة التجارية الصناعية – غزة",
        "Gaza Chamber of Commerce",
        "+970 8 286 4588",
        [("الشباك الموحد – غزة", "One-stop shop – Gaza", OSS, "السبت–الخميس ٨:٠٠–١٤:٠٠")],
    ),
    (
        "gaza-oss",
        "north-gaza-chamber",
        "pfesp",
        K.CHAMBER,
        "PS",
        "PS-NGZ",
        "الغرفة التجارية – محافظة الشمال",
        "North Gaza Chamber of Commerce",
        "+970 8 245 0011",
        [("الشباك الموحد – جباليا", "One-stop shop – Jabalia", OSS, "السبت–الخميس ٨:٠٠–١٣:٠٠")],
    ),
    (
        "gaza-oss",
        "khan-yunis-chamber",
        "pfesp",
        K.CHAMBER,
        "PS",
        "PS-KYS",
        "الغرفة التجارية – خان يونس",
        "Khan Yunis Chamber of Commerce",
        "+970 8 205 3344",
        [("الشباك الموحد – خان يونس", "One-stop shop – Khan Yunis", OSS, "السبت–الخميس ٨:٠٠–١٤:٠٠")],
    ),
    (
        "gaza-oss",
        "rafah-chamber",
        "pfesp",
        K.CHAMBER,
        "PS",
        "PS-RFH",
        "الغرفة التجارية – رفح",
        "Rafah Chamber of Commerce",
        "+970 8 213 4455",
        [("الشباك الموحد – رفح", "One-stop shop – Rafah", OSS, "السبت–الخميس ٨:٠٠–١٣:٠٠")],
    ),
    (
        "smeda",
        "smeda-hq",
        None,
        K.COORDINATING_BODY,
        "SY",
        "SY-DI",
        "هيئة تنمية المشروعات الصغيرة والمتوسطة – الإدارة العامة",
        "SME Development Agency – headquarters",
        "+963 11 611 0000",
        [],
    ),
    (
        "smeda",
        "smeda-damascus",
        "smeda-hq",
        K.AGENCY_BRANCH,
        "SY",
        "SY-DI",
        "هيئة تنمية المشروعات – فرع دمشق",
        "SMEDA – Damascus branch",
        "+963 11 612 0000",
        [
            ("النافذة الواحدة – دمشق", "One-stop shop – Damascus", OSS, "الأحد–الخميس ٨:٣٠–١٥:٠٠"),
            ("حاضنة الأعمال – المزة", "Business incubator – Mezzeh", HELPDESK, "الأحد–الخميس ٩:٠٠–١٤:٠٠"),
        ],
    ),
    (
        "smeda",
        "smeda-aleppo",
        "smeda-hq",
        K.AGENCY_BRANCH,
        "SY",
        "SY-HL",
        "هيئة تنمية المشروعات – فرع حلب",
        "SMEDA – Aleppo branch",
        "+963 21 221 0000",
        [("النافذة الواحدة – حلب", "One-stop shop – Aleppo", OSS, "الأحد–الخميس ٨:٣٠–١٥:٠٠")],
    ),
    (
        "smeda",
        "productive-families-office",
        "smeda-hq",
        K.GOVERNMENT,
        "SY",
        "SY-DI",
        "المكتب الإقليمي للأسر المنتجة والصناعات الحرفية والتقليدية",
        "Regional office for productive families and traditional crafts",
        "+963 11 613 0000",
        [],
    ),
    (
        "hadramawt-lending",
        "smeps-hadramawt",
        None,
        K.COORDINATING_BODY,
        "YE",
        "YE-HD",
        "وكالة تنمية المنشآت الصغيرة والأصغر – فرع حضرموت",
        "SMEPS – Hadramawt branch",
        "+967 5 352 000",
        [("مكتب خدمة الشباب – المكلا", "Youth service desk – Mukalla", HELPDESK, "السبت–الأربعاء ٨:٠٠–١٣:٠٠")],
    ),
    (
        "hadramawt-lending",
        "sfd-mukalla",
        "smeps-hadramawt",
        K.FUND,
        "YE",
        "YE-HD",
        "الصندوق الاجتماعي للتنمية – فرع المكلا",
        "Social Fund for Development – Mukalla",
        "+967 5 303 111",
        [],
    ),
    (
        "hadramawt-lending",
        "al-awn-foundation",
        "smeps-hadramawt",
        K.NGO,
        "YE",
        "YE-HD",
        "مؤسسة العون للتنمية",
        "Al-Awn Foundation for Development",
        "+967 5 354 222",
        [],
    ),
    (
        "hadramawt-lending",
        "rawabi-alkhair",
        "smeps-hadramawt",
        K.NGO,
        "YE",
        "YE-HD",
        "مؤسسة روابي الخير التنموية",
        "Rawabi Al-Khair Development Foundation",
        "+967 5 356 333",
        [],
    ),
    (
        "hadramawt-lending",
        "hadramawt-microfinance",
        "smeps-hadramawt",
        K.LENDER,
        "YE",
        "YE-HD",
        "برنامج حضرموت للتمويل الأصغر",
        "Hadramawt Microfinance Programme",
        "+967 5 357 444",
        [],
    ),
    (
        "palga",
        "apla",
        None,
        K.COORDINATING_BODY,
        "PS",
        "PS-RBH",
        "الاتحاد الفلسطيني للهيئات المحلية",
        "Association of Palestinian Local Authorities",
        "+970 2 240 6566",
        [],
    ),
    (
        "palga",
        "nablus-municipality",
        "apla",
        K.LOCAL_AUTHORITY,
        "PS",
        "PS-NBS",
        "بلدية نابلس",
        "Nablus Municipality",
        "+970 9 237 1111",
        [],
    ),
    (
        "palga",
        "beit-sahour-municipality",
        "apla",
        K.LOCAL_AUTHORITY,
        "PS",
        "PS-BTH",
        "بلدية بيت ساحور",
        "Beit Sahour Municipality",
        "+970 2 277 4474",
        [],
    ),
    (
        "palga",
        "aqraba-council",
        "apla",
        K.LOCAL_AUTHORITY,
        "PS",
        "PS-NBS",
        "مجلس قروي عقربا",
        "Aqraba village council",
        "+970 9 259 0000",
        [],
    ),
]

# e-mail, full name, Latin name, [(organisation slug, role, job title)]
STAFF = [
    ("admin@shubbak.example", "مدير المنصة", "Platform operator", []),
    (
        "rana.abdelrahim@munshati.example",
        "رنا عبد الرحيم صالح",
        "Rana Abdelrahim",
        [("fpcci-pmu", R.NETWORK_MANAGER, "منسقة المشروع الوطنية")],
    ),
    ("khaled.odeh@nablus-chamber.example", "خالد محمود عودة", "Khaled Odeh", [("nablus-chamber", R.ORG_ADMIN, "مدير الغرفة")]),
    (
        "lina.hamdan@nablus-chamber.example",
        "لينا سمير حمدان",
        "Lina Hamdan",
        [("nablus-chamber", R.COORDINATOR, "منسقة مكتب المساعدة"), ("jericho-chamber", R.OFFICER, "موظفة دعم (إسناد)")],
    ),
    ("ahmad.qasem@nablus-chamber.example", "أحمد يوسف قاسم", "Ahmad Qasem", [("nablus-chamber", R.OFFICER, "مساعد فني")]),
    (
        "fatima.tamimi@hebron-chamber.example",
        "فاطمة عبد الله التميمي",
        "Fatima Tamimi",
        [("hebron-chamber", R.COORDINATOR, "منسقة مكتب المساعدة")],
    ),
    ("yousef.atrash@hebron-chamber.example", "يوسف إبراهيم الأطرش", "Yousef Atrash", [("hebron-chamber", R.OFFICER, "مساعد إداري")]),
    (
        "maryam.issa@bethlehem-chamber.example",
        "مريم جريس عيسى",
        "Maryam Issa",
        [("bethlehem-chamber", R.COORDINATOR, "منسقة مكتب المساعدة")],
    ),
    ("omar.salem@jericho-chamber.example", "عمر سالم أبو داود", "Omar Abu Dawud", [("jericho-chamber", R.ORG_ADMIN, "مدير تنفيذي")]),
    (
        "huda.madhoun@middle-area-chamber.example",
        "هدى خليل المدهون",
        "Huda Madhoun",
        [("middle-area-chamber", R.COORDINATOR, "منسقة مكتب المساعدة")],
    ),
    ("saeed.dawoud@riyada.example", "سعيد داود الحسيني", "Saeed Husseini", [("riyada-experts", R.EXPERT, "خبير تخطيط مالي")]),
    ("mona.khatib@donor.example", "منى فريد الخطيب", "Mona Khatib", [("fpcci-pmu", R.VIEWER, "مسؤولة متابعة لدى الجهة المانحة")]),
    ("sami.shaban@pfesp.example", "سامي أبو شعبان", "Sami Abu Shaban", [("pfesp", R.NETWORK_MANAGER, "مدير برنامج الشباك الموحد")]),
    ("nour.farra@gaza-chamber.example", "نور حسن الفرا", "Nour Farra", [("gaza-chamber", R.OFFICER, "موظفة الشباك الموحد")]),
    ("reem.halabi@smeda.example", "ريم عدنان الحلبي", "Reem Halabi", [("smeda-hq", R.NETWORK_MANAGER, "معاونة المدير العام")]),
    ("bassel.hamwi@smeda.example", "باسل نزار الحموي", "Bassel Hamwi", [("smeda-aleppo", R.COORDINATOR, "رئيس النافذة الواحدة")]),
    ("awsan.baharoon@smeps.example", "أوسان عمر باهارون", "Awsan Baharoon", [("smeps-hadramawt", R.NETWORK_MANAGER, "مديرة الفرع")]),
    (
        "abdullah.bawazir@hmf.example",
        "عبد الله سالم باوزير",
        "Abdullah Bawazir",
        [("hadramawt-microfinance", R.PARTNER_STAFF, "مسؤول الإقراض")],
    ),
    ("ghada.shtayyeh@apla.example", "غادة زياد اشتية", "Ghada Shtayyeh", [("apla", R.NETWORK_MANAGER, "منسقة منصات تبادل الخبرات")]),
    ("ayman.masri@nablus-municipality.example", "أيمن رياض المصري", "Ayman Masri", [("nablus-municipality", R.OFFICER, "مهندس تخطيط")]),
]


# organisation slug, registering officer, person fields, consents, enterprise fields or None, owner role/share
CLIENTS = [
    ("nablus-chamber", "ahmad.qasem@nablus-chamber.example",
     {"first_name": "فاطمة", "father_name": "عبد الله", "grandfather_name": "محمود", "family_name": "الشكعة", "gender": "female",
      "birth_date": "1998-04-12", "id_type": "ps_id", "national_id": "401234562", "phone": "0599123456", "governorate": "PS-NBS",
      "locality": "رفيديا", "education": "university", "employment": "self_employed"},
     ["data", "share"],
     {"name_ar": "مطبخ فاطمة للمأكولات البيتية", "legal_form": "home_based", "status": "informal", "isic_division": "10",
      "women_full_time": 3, "revenue_band": "lt_20k", "governorate": "PS-NBS", "locality": "رفيديا"}, ("owner", 100)),
    ("nablus-chamber", "lina.hamdan@nablus-chamber.example",
     {"first_name": "محمد", "father_name": "يوسف", "grandfather_name": "عبد الرحمن", "family_name": "المصري", "gender": "male",
      "birth_date": "1985-09-30", "id_type": "ps_id", "national_id": "923456784", "phone": "+970 568 234 567", "governorate": "PS-NBS",
      "education": "institute", "employment": "self_employed"},
     ["data"],
     {"name_ar": "مشغل المصري للخياطة", "legal_form": "sole", "status": "registered", "registration_number": "562314890",
      "isic_division": "14", "women_full_time": 6, "men_full_time": 2, "revenue_band": "20k_100k", "governorate": "PS-NBS",
      "chamber_member": True, "chamber": "nablus-chamber", "membership_number": "N-10452"}, ("owner", 100)),
    ("hebron-chamber", "fatima.tamimi@hebron-chamber.example",
     {"first_name": "إبراهيم", "father_name": "خليل", "grandfather_name": "سليمان", "family_name": "الجعبري", "gender": "male",
      "birth_date": "2001-01-20", "phone": "٠٥٩٧٦٥٤٣٢١", "governorate": "PS-HBN", "education": "secondary", "employment": "job_seeker"},
     ["data", "contact"], None, None),
    ("hebron-chamber", "yousef.atrash@hebron-chamber.example",
     {"first_name": "آمنة", "father_name": "عيسى", "grandfather_name": "حسن", "family_name": "الزعتري", "gender": "female",
      "birth_date": "1990-07-05", "phone": "0598112233", "governorate": "PS-HBN", "locality": "دورا", "employment": "self_employed"},
     ["data"],
     {"name_ar": "تعاونية دورا للألبان", "legal_form": "cooperative", "status": "registered", "registration_number": "C-2231",
      "isic_division": "10", "women_full_time": 11, "men_part_time": 3, "revenue_band": "100k_500k", "governorate": "PS-HBN",
      "locality": "دورا"}, ("partner", 20)),
    ("gaza-chamber", "nour.farra@gaza-chamber.example",
     {"first_name": "سامي", "father_name": "رمضان", "grandfather_name": "أحمد", "family_name": "أبو شمالة", "gender": "male",
      "birth_date": "1996-11-02", "phone": "0592345678", "governorate": "PS-GZA", "displacement": "displaced", "war_injured": True,
      "employment": "job_seeker", "education": "university"},
     ["data", "share"], None, None),
    ("smeda-aleppo", "bassel.hamwi@smeda.example",
     {"first_name": "رهف", "father_name": "محمود", "grandfather_name": "عمر", "family_name": "الحلبي", "gender": "female",
      "birth_date": "1999-02-18", "id_type": "sy_id", "national_id": "02010123456", "phone": "0933123456", "governorate": "SY-HL",
      "employment": "self_employed"},
     ["data"],
     {"name_ar": "ورشة رهف للصابون الحلبي", "legal_form": "home_based", "status": "informal", "isic_division": "20",
      "women_full_time": 2, "revenue_band": "lt_20k", "governorate": "SY-HL"}, ("owner", 100)),
    ("smeps-hadramawt", "awsan.baharoon@smeps.example",
     {"first_name": "عبد الله", "father_name": "سالم", "grandfather_name": "عوض", "family_name": "باعباد", "gender": "male",
      "birth_date": "2000-06-10", "id_type": "ye_id", "national_id": "0110234567", "phone": "777123456", "governorate": "YE-HD",
      "locality": "المكلا", "education": "dropout", "employment": "job_seeker"},
     ["data", "share"], None, None),
]  # fmt: skip


class Command(BaseCommand):
    help = "Load the demo networks, organisations, desks and staff (safe to run again: nothing is duplicated)."

    @transaction.atomic
    def handle(self, *args, **options):
        password = settings.SHUBBAK_DEMO_PASSWORD
        if Network.objects.filter(slug="munshati").exists():
            self.stdout.write("Demo data is already loaded.")
        else:
            self._load(password)
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        _load_helpdesk(self)
        self.stdout.write(f"Log in at http://127.0.0.1:8000/ with any of these e-mails and the password «{password}»:")
        for email, name, _latin, roles in STAFF:
            what = "; ".join(f"{role.label} @ {slug}" for slug, role, _t in roles) or "Django admin (/admin/)"
            self.stdout.write(f"  {email:45} {name} — {what}")

    def _load(self, password: str) -> None:
        networks = {}
        for slug, kind, name_ar, name_en, funder in NETWORKS:
            networks[slug] = services.network_create(actor=None, slug=slug, kind=kind, name_ar=name_ar, name_en=name_en, funder=funder)
        organisations = {}
        for network, slug, parent, kind, country, gov, name_ar, name_en, phone, desks in ORGANISATIONS:
            data = dict(
                name_ar=name_ar, name_en=name_en, kind=kind, country=country, governorate=gov, phone=phone, email=f"info@{slug}.example"
            )
            data["parent"] = organisations.get(parent)
            organisation = services.organisation_create(actor=None, network=networks[network], slug=slug, data=data)
            organisations[slug] = organisation
            for desk_ar, desk_en, desk_kind, hours in desks:
                desk_data = dict(name_ar=desk_ar, name_en=desk_en, kind=desk_kind, opening_hours=hours, governorate=gov, phone=phone)
                services.desk_create(actor=None, organisation=organisation, data=desk_data)
            services.contact_create(
                actor=None,
                organisation=organisation,
                data=dict(name=f"الاستقبال – {name_ar}", position="الاستقبال والاستعلامات", phone=phone, is_primary=True),
            )
        for email, name, latin, roles in STAFF:
            user = user_create(actor=None, email=email, full_name=name, full_name_en=latin)
            user.set_password(password)
            user.is_staff = user.is_superuser = not roles  # the platform operator, for the Django admin
            user.save(update_fields=["password", "is_staff", "is_superuser"])
            for slug, role, title in roles:
                organisation = organisations[slug]
                services.membership_create(
                    actor=None,
                    organisation=organisation,
                    email=email,
                    full_name=name,
                    role=role,
                    title=title,
                    desk=organisation.desks.first(),
                )
        self._load_clients(organisations)

    def _load_clients(self, organisations) -> None:
        """A few clients and their enterprises, registered by desk officers through the registry services."""
        from shubbak.registry import services as registry

        for slug, officer_email, person, consents, enterprise, owner in CLIENTS:
            officer = User.objects.get(email=officer_email)
            organisation = organisations[slug]
            person = registry.person_create(actor=officer, organisation=organisation, data=dict(person), consents=consents, confirmed=True)
            if enterprise:
                data = dict(enterprise)
                if data.get("chamber"):
                    data["chamber"] = organisations[data["chamber"]]
                created = registry.enterprise_create(actor=officer, organisation=organisation, data=data, confirmed=True)
                registry.ownership_add(actor=officer, enterprise=created, person=person, role=owner[0], share=owner[1])
        # a formalisation: the home kitchen in Nablus registers
        kitchen = organisations["nablus-chamber"].enterprises.get(name_ar="مطبخ فاطمة للمأكولات البيتية")
        officer = User.objects.get(email="lina.hamdan@nablus-chamber.example")
        registry.enterprise_update(
            actor=officer, enterprise=kitchen, data={"status": "registered", "legal_form": "sole", "registration_number": "562330117"}
        )


# --- the helpdesk: catalogue, calendars, lunar holidays and cases in every state -------------------------------

HELPDESK_NETWORKS = ("munshati", "gaza-oss", "smeda", "hadramawt-lending")
WEEKEND_BY_COUNTRY = {"PS": "fri", "SY": "fri_sat", "YE": "fri_sat"}
WEEKEND_BY_ORGANISATION = {"bethlehem-chamber": "fri_sun"}  # its desk closes on Sundays
# The two Eids as the Umm al-Qura calendar gives them: APPROXIMATE, since the dates follow the sighting of the moon
# and the government announces the days off (often one more) shortly before. Admins correct them on the calendar page.
LUNAR_HOLIDAYS = {
    "nablus-chamber": [
        ("2026-03-20", "عيد الفطر – اليوم الأول"),
        ("2026-03-21", "عيد الفطر – اليوم الثاني"),
        ("2026-03-22", "عيد الفطر – اليوم الثالث"),
        ("2026-05-27", "عيد الأضحى – اليوم الأول"),
        ("2026-05-28", "عيد الأضحى – اليوم الثاني"),
        ("2026-05-29", "عيد الأضحى – اليوم الثالث"),
        ("2027-03-09", "عيد الفطر – اليوم الأول"),
        ("2027-03-10", "عيد الفطر – اليوم الثاني"),
        ("2027-03-11", "عيد الفطر – اليوم الثالث"),
        ("2027-05-16", "عيد الأضحى – اليوم الأول"),
        ("2027-05-17", "عيد الأضحى – اليوم الثاني"),
        ("2027-05-18", "عيد الأضحى – اليوم الثالث"),
    ]
}

AHMAD = "ahmad.qasem@nablus-chamber.example"  # the demo officer: most Nablus cases are his
LINA = "lina.hamdan@nablus-chamber.example"
FATIMA = "fatima.tamimi@hebron-chamber.example"
YOUSEF = "yousef.atrash@hebron-chamber.example"
NOUR = "nour.farra@gaza-chamber.example"
BASSEL = "bassel.hamwi@smeda.example"
AWSAN = "awsan.baharoon@smeps.example"
MARYAM = "maryam.issa@bethlehem-chamber.example"

# more clients, in the format of CLIENTS, for the cases below
HELPDESK_CLIENTS = [
    ("nablus-chamber", AHMAD,
     {"first_name": "سناء", "father_name": "محمد", "family_name": "عودة", "gender": "female", "birth_date": "1994-02-11",
      "phone": "0599456123", "governorate": "PS-NBS", "locality": "بلاطة", "education": "secondary", "employment": "self_employed"},
     ["data", "share"],
     {"name_ar": "مشغل سناء للتطريز", "legal_form": "home_based", "status": "informal", "isic_division": "13",
      "women_full_time": 2, "women_part_time": 3, "revenue_band": "lt_20k", "governorate": "PS-NBS", "locality": "بلاطة"}, ("owner", 100)),
    ("nablus-chamber", AHMAD,
     {"first_name": "خالد", "father_name": "عمر", "family_name": "دويكات", "gender": "male", "birth_date": "1988-10-03",
      "phone": "0568345912", "governorate": "PS-NBS", "education": "institute", "employment": "self_employed"},
     ["data"],
     {"name_ar": "مطبعة دويكات", "legal_form": "sole", "status": "registered", "registration_number": "562318774",
      "isic_division": "18", "men_full_time": 4, "women_full_time": 1, "revenue_band": "20k_100k", "governorate": "PS-NBS"}, ("owner", 100)),
    ("nablus-chamber", LINA,
     {"first_name": "رزان", "father_name": "سامر", "family_name": "الأغبر", "gender": "female", "birth_date": "2002-06-21",
      "phone": "0597812345", "email": "razan.aghbar@example.com", "governorate": "PS-NBS", "education": "university",
      "employment": "job_seeker"},
     ["data", "contact"], None, None),
    ("nablus-chamber", AHMAD,
     {"first_name": "يوسف", "father_name": "فايز", "family_name": "طوقان", "gender": "male", "birth_date": "1979-01-15",
      "phone": "0599781234", "governorate": "PS-NBS", "locality": "سبسطية", "employment": "self_employed"},
     ["data", "share"],
     {"name_ar": "معصرة طوقان للزيتون", "legal_form": "company", "status": "registered", "registration_number": "562301456",
      "isic_division": "10", "men_full_time": 9, "women_full_time": 2, "men_part_time": 6, "revenue_band": "100k_500k",
      "governorate": "PS-NBS", "locality": "سبسطية", "chamber_member": True, "chamber": "nablus-chamber",
      "membership_number": "N-08817"}, ("owner", 60)),
    ("nablus-chamber", AHMAD,
     {"first_name": "هبة", "father_name": "نبيل", "family_name": "شاهين", "gender": "female", "birth_date": "1997-12-02",
      "phone": "0598234567", "governorate": "PS-NBS", "education": "university", "employment": "self_employed"},
     ["data"],
     {"name_ar": "استوديو هبة للتصميم", "legal_form": "sole", "status": "registered", "registration_number": "562327781",
      "isic_division": "74", "women_full_time": 1, "revenue_band": "lt_20k", "governorate": "PS-NBS"}, ("owner", 100)),
    ("nablus-chamber", AHMAD,
     {"first_name": "مجدي", "father_name": "حسين", "family_name": "عرفات", "gender": "male", "birth_date": "1991-05-30",
      "phone": "0569123478", "governorate": "PS-NBS", "locality": "عصيرة الشمالية", "education": "institute",
      "employment": "self_employed"},
     ["data", "share"],
     {"name_ar": "منجرة عرفات", "legal_form": "sole", "status": "registered", "registration_number": "562319002",
      "isic_division": "31", "men_full_time": 3, "revenue_band": "20k_100k", "governorate": "PS-NBS",
      "locality": "عصيرة الشمالية"}, ("owner", 100)),
    ("nablus-chamber", AHMAD,
     {"first_name": "ليلى", "father_name": "راتب", "family_name": "النابلسي", "gender": "female", "birth_date": "1985-08-17",
      "phone": "0599334455", "governorate": "PS-NBS", "education": "secondary", "employment": "self_employed"},
     ["data"],
     {"name_ar": "حلويات ليلى", "legal_form": "sole", "status": "registered", "registration_number": "562311230",
      "isic_division": "10", "women_full_time": 4, "men_full_time": 1, "revenue_band": "20k_100k", "governorate": "PS-NBS",
      "chamber_member": True, "chamber": "nablus-chamber", "membership_number": "N-11230"}, ("owner", 100)),
    ("nablus-chamber", AHMAD,
     {"first_name": "عمر", "father_name": "جمال", "family_name": "البزرة", "gender": "male", "birth_date": "2000-09-09",
      "phone": "0597001122", "governorate": "PS-NBS", "education": "secondary", "employment": "job_seeker"},
     ["data", "share"], None, None),
    ("hebron-chamber", YOUSEF,
     {"first_name": "نسرين", "father_name": "عادل", "family_name": "أبو سنينة", "gender": "female", "birth_date": "1992-04-04",
      "phone": "0599667788", "governorate": "PS-HBN", "education": "university", "employment": "self_employed"},
     ["data"],
     {"name_ar": "زجاج أبو سنينة اليدوي", "legal_form": "partnership", "status": "registered", "registration_number": "563200871",
      "isic_division": "23", "men_full_time": 5, "women_full_time": 2, "revenue_band": "100k_500k", "governorate": "PS-HBN"},
     ("partner", 50)),
    ("hebron-chamber", YOUSEF,
     {"first_name": "طارق", "father_name": "منذر", "family_name": "القواسمي", "gender": "male", "birth_date": "1987-03-12",
      "phone": "0568776655", "governorate": "PS-HBN", "education": "secondary", "employment": "self_employed"},
     ["data"],
     {"name_ar": "مشغل القواسمي للأحذية", "legal_form": "sole", "status": "registered", "registration_number": "563211094",
      "isic_division": "15", "men_full_time": 7, "revenue_band": "100k_500k", "governorate": "PS-HBN"}, ("owner", 100)),
    ("gaza-chamber", NOUR,
     {"first_name": "آلاء", "father_name": "ماهر", "family_name": "الشوا", "gender": "female", "birth_date": "1998-07-25",
      "phone": "0592887766", "governorate": "PS-GZA", "displacement": "displaced", "education": "university",
      "employment": "job_seeker"},
     ["data", "share"], None, None),
    ("smeda-aleppo", BASSEL,
     {"first_name": "محمود", "father_name": "أحمد", "family_name": "الشهابي", "gender": "male", "birth_date": "1990-11-19",
      "phone": "0944556677", "governorate": "SY-HL", "employment": "self_employed"},
     ["data"],
     {"name_ar": "ورشة الشهابي للنسيج", "legal_form": "sole", "status": "registered", "registration_number": "HL-44871",
      "isic_division": "13", "men_full_time": 4, "women_full_time": 3, "revenue_band": "20k_100k", "governorate": "SY-HL"},
     ("owner", 100)),
    ("smeps-hadramawt", AWSAN,
     {"first_name": "سالم", "father_name": "عوض", "family_name": "بن بريك", "gender": "male", "birth_date": "1983-02-08",
      "phone": "771234567", "governorate": "YE-HD", "locality": "المكلا", "education": "secondary", "employment": "self_employed"},
     ["data", "share"],
     {"name_ar": "محل بن بريك لأدوات الصيد", "legal_form": "informal", "status": "informal", "isic_division": "47",
      "men_full_time": 2, "revenue_band": "lt_20k", "governorate": "YE-HD", "locality": "المكلا"}, ("owner", 100)),
]  # fmt: skip


@dataclass(frozen=True)
class DemoCase:
    """A request and what happened to it; `steps` are (days after it came in, who acts — "" for the client —, action, detail)."""

    key: str
    organisation: str
    age: float  # days ago it came in
    channel: str
    subject: str
    services: tuple[str, ...]
    client: tuple[str, str] = ()  # first and family name of a registered person
    enterprise: str = ""
    contact: tuple[str, str, str] = ()  # name, phone, e-mail given on the form
    taker: str = ""  # who took it at the desk or on the phone; none for the public form
    heard_from: str = ""
    priority: str = "normal"
    description: str = ""
    steps: tuple = ()


def _served(**results) -> dict:
    return {"outcome": "served", **results}


DEMO_CASES = [
    # --- Nablus: new, triaged, assigned, in progress, waiting, overdue, resolved, closed, reopened
    DemoCase("n01", "nablus-chamber", 0.1, "web", "تسجيل علامة تجارية لمنتجات صابون منزلي", ("trademark-registration",),
             contact=("منار الخياط", "0599887711", "manar.khayyat@example.com"), heard_from="social",
             description="أصنع الصابون النابلسي في البيت وأريد تسجيل اسم وشعار قبل البيع في المحلات."),
    DemoCase("n02", "nablus-chamber", 1.2, "web", "قرض لتوسعة محل بقالة", ("loan-application",),
             contact=("جهاد سمارة", "0568990011", ""), heard_from="friend"),
    DemoCase("n03", "nablus-chamber", 0.2, "phone", "استشارة قانونية في عقد إيجار المشغل", ("legal-advice",),
             client=("محمد", "المصري"), enterprise="مشغل المصري للخياطة", taker=LINA, priority="high"),
    DemoCase("n04", "nablus-chamber", 1.5, "web", "فكرة متجر إلكتروني لصابون نابلسي مصنوع يدوياً", ("idea-to-project", "online-presence"),
             client=("رزان", "الأغبر"), heard_from="event", steps=((0.2, LINA, "triage", {"priority": "high"}),)),
    DemoCase("n05", "nablus-chamber", 1.1, "walk_in", "ترخيص مشغل تطريز منزلي وتسجيله", ("home-based-licence", "formalisation"),
             client=("سناء", "عودة"), enterprise="مشغل سناء للتطريز", taker=LINA, heard_from="chamber",
             steps=((0.1, LINA, "assign", AHMAD),)),
    DemoCase("n06", "nablus-chamber", 0.15, "phone", "برنامج محاسبة بسيط للاستوديو", ("digital-tools",),
             client=("هبة", "شاهين"), enterprise="استوديو هبة للتصميم", taker=AHMAD, steps=((0.05, AHMAD, "assign", AHMAD),)),
    DemoCase("n07", "nablus-chamber", 6, "walk_in", "تسجيل علامة «حلويات ليلى»", ("trademark-registration",),
             client=("ليلى", "النابلسي"), enterprise="حلويات ليلى", taker=AHMAD, heard_from="chamber",
             steps=((0.05, AHMAD, "assign", AHMAD),
                    (0.1, AHMAD, "session", (45, "in_person", "شروط تسجيل العلامة والبحث عن علامات مشابهة", "لا توجد علامة مسجلة بالاسم نفسه في فئة الحلويات.")),
                    (1, AHMAD, "message", "أرسلنا لك قائمة المستندات: صورة الشعار بصيغة إلكترونية وقائمة المنتجات."),
                    (2.2, "", "reply", "سأحضر صورة الشعار يوم الأحد إن شاء الله."),
                    (4, AHMAD, "session", (30, "phone", "مراجعة الشعار وفئات التسجيل", "الشعار واضح؛ التسجيل في الفئة 30.")))),
    DemoCase("n08", "nablus-chamber", 4, "field_visit", "تصدير زيت الزيتون إلى الخليج", ("export-readiness", "certificate-of-origin"),
             client=("يوسف", "طوقان"), enterprise="معصرة طوقان للزيتون", taker=AHMAD, heard_from="field",
             steps=((0, AHMAD, "assign", AHMAD),
                    (0.05, AHMAD, "session", (90, "field", "زيارة المعصرة وتقييم خط التعبئة", "تحتاج المعصرة إلى شهادة فحص الحموضة وملصقات بالإنجليزية.")),
                    (1, AHMAD, "note", "أحلنا ملف الجودة إلى خبير التصدير في مكتب الريادة."))),
    DemoCase("n09", "nablus-chamber", 8, "walk_in", "قرض لشراء ماكينة نجارة حديثة", ("loan-application",),
             client=("مجدي", "عرفات"), enterprise="منجرة عرفات", taker=LINA,
             steps=((0.1, LINA, "assign", AHMAD),
                    (1, AHMAD, "session", (60, "in_person", "تجهيز الملف الائتماني", "المبلغ المطلوب ٢٠ ألف شيكل؛ الضمان كفالة شخصية.")),
                    (1.1, AHMAD, "message", "نحتاج كشف حساب بنكي لآخر ستة أشهر لإكمال طلب القرض."),
                    (3, AHMAD, "wait", "بانتظار كشف الحساب البنكي من العميل"))),
    DemoCase("n10", "nablus-chamber", 5, "phone", "خطة عمل لتوسعة المطبعة", ("business-plan",),
             client=("خالد", "دويكات"), enterprise="مطبعة دويكات", taker=AHMAD,
             steps=((0, AHMAD, "assign", AHMAD),
                    (1, AHMAD, "session", (40, "phone", "أهداف التوسعة", "يريد إضافة طباعة رقمية كبيرة الحجم.")),
                    (3, AHMAD, "wait", "بانتظار أرقام المبيعات لعام ٢٠٢٥"))),
    DemoCase("n11", "nablus-chamber", 30, "walk_in", "رخصة بلدية لمطبخ منزلي", ("licences",),
             client=("فاطمة", "الشكعة"), enterprise="مطبخ فاطمة للمأكولات البيتية", taker=LINA,
             steps=((0.1, LINA, "assign", AHMAD),
                    (2, AHMAD, "session", (30, "in_person", "متطلبات الترخيص الصحي", "تحتاج إلى فحص المطبخ من دائرة الصحة.")),
                    (9, AHMAD, "message", "تواصلنا مع البلدية وننتظر موعد الكشف الصحي."))),
    DemoCase("n12", "nablus-chamber", 32, "walk_in", "البحث عن عمل في الصيانة الكهربائية", ("job-matching",),
             client=("عمر", "البزرة"), taker=LINA, steps=((0.2, LINA, "assign", AHMAD),)),
    DemoCase("n13", "nablus-chamber", 9, "web", "تجديد عضوية الغرفة وشهادة تعريف", ("chamber-membership",),
             client=("محمد", "المصري"), enterprise="مشغل المصري للخياطة", heard_from="chamber",
             steps=((1, LINA, "triage", {}),)),
    DemoCase("n14", "nablus-chamber", 20, "walk_in", "خطة تسويق ومشاركة في معرض", ("marketing-plan", "fairs"),
             client=("محمد", "المصري"), enterprise="مشغل المصري للخياطة", taker=AHMAD,
             steps=((0, AHMAD, "assign", AHMAD),
                    (1, AHMAD, "session", (60, "in_person", "الزبائن المستهدفون والأسعار", "")),
                    (6, AHMAD, "session", (45, "online", "التحضير لمعرض صنع في فلسطين", "")),
                    (17, AHMAD, "resolve", _served(new_market="معرض «صنع في فلسطين» – رام الله", jobs_women=1,
                                                   outcome_note="شارك في المعرض وحصل على طلبيتين من محلات في رام الله.")))),
    DemoCase("n15", "nablus-chamber", 12, "web", "منحة لمشروع تربية نحل", ("grants",),
             contact=("أحمد الحاج", "0599221100", ""), heard_from="media",
             steps=((1, LINA, "triage", {}), (1.1, LINA, "assign", AHMAD),
                    (2, AHMAD, "message", "المنح المفتوحة حالياً للمنشآت القائمة فقط؛ سنبلغك عند فتح برنامج للمشاريع الجديدة."),
                    (2.1, AHMAD, "resolve", {"outcome": "not_eligible", "outcome_note": "المنح المتاحة لا تشمل المشاريع التي لم تبدأ."}))),
    DemoCase("n16", "nablus-chamber", 75, "walk_in", "تسجيل المطبخ المنزلي كمنشأة فردية", ("business-registration", "formalisation"),
             client=("فاطمة", "الشكعة"), enterprise="مطبخ فاطمة للمأكولات البيتية", taker=AHMAD, heard_from="friend",
             steps=((0, AHMAD, "assign", AHMAD),
                    (1, AHMAD, "session", (60, "in_person", "خطوات التسجيل والرسوم", "")),
                    (8, AHMAD, "session", (30, "in_person", "تقديم الملف لمسجل الشركات", "")),
                    (18, AHMAD, "resolve", _served(business_registered=True, formalised=True, jobs_women=2,
                                                   outcome_note="سُجّلت المنشأة برقم 562330117.")),
                    (19, AHMAD, "close", ""), (21, "", "rate", (5, "خدمة ممتازة وسريعة، شكراً لفريق منشأتي.")))),
    DemoCase("n17", "nablus-chamber", 120, "walk_in", "تمويل خط تعبئة جديد للمعصرة", ("loan-application", "financing-referral"),
             client=("يوسف", "طوقان"), enterprise="معصرة طوقان للزيتون", taker=LINA,
             steps=((0.1, LINA, "assign", AHMAD),
                    (2, AHMAD, "session", (75, "in_person", "دراسة الاحتياج التمويلي", "")),
                    (5, AHMAD, "message", "أُرسل ملفك إلى بنك فلسطين ومؤسسة فاتن للإقراض."),
                    (19, AHMAD, "resolve", _served(financing_amount=Decimal("30000"), financing_currency="USD", jobs_men=3,
                                                   outcome_note="قرض بقيمة ٣٠ ألف دولار لخط التعبئة.")),
                    (20, AHMAD, "close", ""), (23, "", "rate", (4, "الإجراءات طويلة لكن الموظف تابع معنا حتى النهاية.")))),
    DemoCase("n18", "nablus-chamber", 150, "phone", "تسجيل علامة «مطبعة دويكات»", ("trademark-registration",),
             client=("خالد", "دويكات"), enterprise="مطبعة دويكات", taker=AHMAD,
             steps=((0, AHMAD, "assign", AHMAD),
                    (1, AHMAD, "session", (30, "phone", "متطلبات تسجيل العلامة", "")),
                    (38, AHMAD, "resolve", _served(trademark_registered=True)),
                    (40, AHMAD, "close", ""), (41, "", "rate", (5, "")),
                    (135, AHMAD, "follow_up", "زادت الطلبيات من الشركات بعد تسجيل العلامة؛ يفكر في خطة توسعة."))),
    DemoCase("n19", "nablus-chamber", 45, "web", "استفسار عن دورة تدريبية", ("entrepreneurship-training",),
             contact=("سامي داود", "0597443322", ""), heard_from="social",
             steps=((1, LINA, "triage", {}), (1.1, LINA, "assign", AHMAD),
                    (2, AHMAD, "message", "الرجاء الاتصال بنا لتحديد موعد الدورة القادمة."),
                    (3, AHMAD, "wait", "بانتظار رد العميل"),
                    (20, AHMAD, "resolve", {"outcome": "no_response", "outcome_note": "لم يرد على ثلاث مكالمات."}),
                    (21, AHMAD, "close", ""))),
    DemoCase("n20", "nablus-chamber", 50, "walk_in", "صفحة تواصل اجتماعي للاستوديو", ("online-presence",),
             client=("هبة", "شاهين"), enterprise="استوديو هبة للتصميم", taker=AHMAD,
             steps=((0, AHMAD, "assign", AHMAD),
                    (1, AHMAD, "session", (60, "in_person", "إنشاء الصفحات وخريطة الموقع", "")),
                    (10, AHMAD, "resolve", _served()), (12, AHMAD, "close", ""),
                    (47, AHMAD, "reopen", "الصفحة توقفت بعد تغيير كلمة المرور وتحتاج إلى استرجاع."))),
    DemoCase("n21", "nablus-chamber", 14, "phone", "توظيف خياطات للمشغل", ("staff-recruitment",),
             client=("محمد", "المصري"), enterprise="مشغل المصري للخياطة", taker=LINA,
             steps=((0, LINA, "assign", AHMAD),
                    (3, AHMAD, "note", "رشّحنا خمس متقدمات من سجل الباحثين عن عمل."),
                    (9, AHMAD, "resolve", _served(jobs_women=3, outcome_note="وُظّفت ثلاث خياطات بعقود دائمة.")),
                    (10, AHMAD, "close", ""), (11, "", "rate", (4, "")))),
    DemoCase("n22", "nablus-chamber", 0.3, "field_visit", "تشخيص احتياجات مشغل الخياطة", ("needs-diagnosis",),
             client=("محمد", "المصري"), enterprise="مشغل المصري للخياطة", taker=AHMAD),
    # --- Hebron
    DemoCase("h01", "hebron-chamber", 0.5, "web", "تسجيل علامة تجارية لزيت زيتون", ("trademark-registration",),
             contact=("سهى التميمي", "0598776600", "suha.tamimi@example.com"), heard_from="social"),
    DemoCase("h02", "hebron-chamber", 7, "walk_in", "تصدير الزجاج اليدوي والمشاركة في معارض", ("export-markets", "fairs"),
             client=("نسرين", "أبو سنينة"), enterprise="زجاج أبو سنينة اليدوي", taker=FATIMA,
             steps=((0.1, FATIMA, "assign", YOUSEF),
                    (1, YOUSEF, "session", (50, "in_person", "الأسواق المستهدفة في الأردن والخليج", "")),
                    (3, YOUSEF, "message", "سجلناكم في معرض عمّان الدولي؛ نرسل التفاصيل قريباً."))),
    DemoCase("h03", "hebron-chamber", 40, "walk_in", "البحث عن عمل في مصانع الأحذية", ("job-matching",),
             client=("إبراهيم", "الجعبري"), taker=YOUSEF,
             steps=((0, YOUSEF, "assign", YOUSEF),
                    (5, YOUSEF, "session", (30, "in_person", "المهارات والخبرة", "")),
                    (15, YOUSEF, "resolve", _served(jobs_men=1, outcome_note="عُيّن في مشغل القواسمي للأحذية.")),
                    (16, YOUSEF, "close", ""), (18, "", "rate", (5, "شكراً، وجدت عملاً خلال أسبوعين.")))),
    DemoCase("h04", "hebron-chamber", 6, "phone", "خطة تسويق للأحذية في السوق المحلي", ("marketing-plan",),
             client=("طارق", "القواسمي"), enterprise="مشغل القواسمي للأحذية", taker=YOUSEF,
             steps=((0, YOUSEF, "assign", YOUSEF),
                    (1, YOUSEF, "session", (40, "phone", "تحليل المنافسين", "")),
                    (2, YOUSEF, "wait", "بانتظار صور المنتجات وقائمة الأسعار"))),
    DemoCase("h05", "hebron-chamber", 25, "walk_in", "منحة معدات لتعاونية الألبان", ("grants",),
             client=("آمنة", "الزعتري"), enterprise="تعاونية دورا للألبان", taker=FATIMA,
             steps=((0, FATIMA, "assign", YOUSEF),
                    (2, YOUSEF, "session", (60, "in_person", "إعداد طلب المنحة", "")),
                    (22, YOUSEF, "resolve", _served(financing_amount=Decimal("12000"), financing_currency="USD", jobs_women=2,
                                                    new_market="محلات الألبان في بيت لحم")))),
    DemoCase("h06", "hebron-chamber", 2, "walk_in", "عقود عمل لعاملات التعاونية", ("labour-law",),
             client=("آمنة", "الزعتري"), enterprise="تعاونية دورا للألبان", taker=FATIMA, steps=((0.1, FATIMA, "assign", YOUSEF),)),
    # --- Gaza
    DemoCase("g01", "gaza-chamber", 1, "web", "تدريب مهني في صيانة الألواح الشمسية", ("vocational-training",),
             client=("سامي", "أبو شمالة"), heard_from="partner"),
    DemoCase("g02", "gaza-chamber", 9, "walk_in", "العمل الحر في التصميم عبر الإنترنت", ("self-employment", "online-presence"),
             client=("آلاء", "الشوا"), taker=NOUR,
             steps=((0, NOUR, "assign", NOUR),
                    (1, NOUR, "session", (45, "online", "منصات العمل الحر وفتح حساب", "الإنترنت متقطع؛ الجلسة القادمة في مقر الغرفة.")),
                    (5, NOUR, "message", "حجزنا لك مكاناً في مساحة العمل المشتركة يومي الأحد والثلاثاء."))),
    DemoCase("g03", "gaza-chamber", 60, "walk_in", "فرصة عمل في مخبز", ("job-matching",),
             client=("سامي", "أبو شمالة"), taker=NOUR,
             steps=((0, NOUR, "assign", NOUR),
                    (9, NOUR, "resolve", _served(jobs_men=1, outcome_note="عمل في مخبز بعقد مؤقت لستة أشهر.")),
                    (10, NOUR, "close", ""), (12, "", "rate", (4, "")))),
    DemoCase("g04", "gaza-chamber", 25, "web", "تسجيل ورشة حدادة", ("business-registration",),
             contact=("محمود أبو عيدة", "0599112233", ""), heard_from="friend",
             steps=((1, NOUR, "triage", {}), (1.1, NOUR, "assign", NOUR), (3, NOUR, "start", ""))),
    # --- Aleppo
    DemoCase("a01", "smeda-aleppo", 10, "walk_in", "تسويق صابون الغار وتسجيل الورشة", ("productive-families", "formalisation"),
             client=("رهف", "الحلبي"), enterprise="ورشة رهف للصابون الحلبي", taker=BASSEL,
             steps=((0, BASSEL, "assign", BASSEL),
                    (2, BASSEL, "session", (60, "in_person", "المشاركة في سوق الجمعة للأسر المنتجة", "")))),
    DemoCase("a02", "smeda-aleppo", 90, "walk_in", "تمويل أنوال جديدة للورشة", ("loan-application",),
             client=("محمود", "الشهابي"), enterprise="ورشة الشهابي للنسيج", taker=BASSEL,
             steps=((0, BASSEL, "assign", BASSEL),
                    (20, BASSEL, "resolve", _served(financing_amount=Decimal("25000000"), financing_currency="SYP", jobs_men=2, jobs_women=1)),
                    (21, BASSEL, "close", ""), (25, "", "rate", (4, "")))),
    DemoCase("a03", "smeda-aleppo", 0.4, "web", "الانضمام إلى حاضنة الأعمال", ("incubation",),
             contact=("لمى حداد", "0933221100", "lama.haddad@example.com"), heard_from="event"),
    # --- Mukalla
    DemoCase("m01", "smeps-hadramawt", 70, "walk_in", "مشروع صغير لبيع الأسماك", ("self-employment", "financing-referral"),
             client=("عبد الله", "باعباد"), taker=AWSAN,
             steps=((0, AWSAN, "assign", AWSAN),
                    (3, AWSAN, "session", (45, "in_person", "فكرة المشروع والتكاليف", "")),
                    (25, AWSAN, "resolve", _served(financing_amount=Decimal("1500"), financing_currency="USD", jobs_men=1,
                                                   outcome_note="قرض أصغر من برنامج حضرموت للتمويل الأصغر.")),
                    (26, AWSAN, "close", ""), (30, "", "rate", (5, "جزاكم الله خيراً.")))),
    DemoCase("m02", "smeps-hadramawt", 8, "walk_in", "قرض لشراء مخزون أدوات الصيد", ("financing-referral",),
             client=("سالم", "بن بريك"), enterprise="محل بن بريك لأدوات الصيد", taker=AWSAN,
             steps=((0, AWSAN, "assign", AWSAN),
                    (1, AWSAN, "session", (30, "in_person", "شروط الإقراض", "")),
                    (2, AWSAN, "wait", "بانتظار ضمانة من التاجر الكفيل"))),
    DemoCase("m03", "smeps-hadramawt", 0.3, "phone", "دورة في إدارة المشاريع الصغيرة", ("entrepreneurship-training",),
             contact=("أمل باوزير", "777654321", ""), taker=AWSAN),
    # --- Bethlehem
    DemoCase("b01", "bethlehem-chamber", 3, "walk_in", "تصدير التحف من خشب الزيتون", ("export-readiness",),
             contact=("جورج قمصية", "0599443311", ""), taker=MARYAM, steps=((0.1, MARYAM, "assign", MARYAM),)),
    DemoCase("b02", "bethlehem-chamber", 18, "walk_in", "حجز إلكتروني لبيت ضيافة", ("online-presence", "e-commerce"),
             contact=("رولا عيسى", "0598112200", "rula.issa@example.com"), taker=MARYAM,
             steps=((0, MARYAM, "assign", MARYAM),
                    (2, MARYAM, "session", (60, "in_person", "صفحة بيت الضيافة على مواقع الحجز", "")),
                    (15, MARYAM, "resolve", {"outcome": "partly_served",
                                             "outcome_note": "الصفحات جاهزة؛ الدفع الإلكتروني ينتظر حساباً بنكياً تجارياً."}))),
]  # fmt: skip


def _load_helpdesk(command) -> None:
    """The helpdesk demo: catalogues, calendars, holidays and cases. Each part checks what exists, so it runs again safely."""
    added_services = 0
    for network in Network.objects.filter(slug__in=HELPDESK_NETWORKS):
        added_services += catalogue_load(actor=None, network=network)[1]
    for organisation in Organisation.objects.filter(network__slug__in=HELPDESK_NETWORKS):
        weekend = WEEKEND_BY_ORGANISATION.get(organisation.slug, WEEKEND_BY_COUNTRY.get(organisation.country, "fri"))
        helpdesk.calendar_update(actor=None, organisation=organisation, weekend=weekend, national_holidays=True)
    for slug, days in LUNAR_HOLIDAYS.items():
        organisation = Organisation.objects.get(slug=slug)
        taken = {d.isoformat() for d in Holiday.objects.filter(organisation=organisation).values_list("date", flat=True)}
        for day, name in days:
            if day not in taken:
                helpdesk.holiday_add(actor=None, organisation=organisation, date=datetime.date.fromisoformat(day), name=name)
    _register_helpdesk_clients()
    done = set(Case.objects.filter(idempotency_key__startswith="demo-").values_list("idempotency_key", flat=True))
    added_cases = 0
    for demo in DEMO_CASES:
        if f"demo-{demo.key}" not in done:
            _play(demo)
            added_cases += 1
    helpdesk.check_deadlines()  # the quarter-hourly job: escalates the overdue demo cases now
    command.stdout.write(f"Helpdesk: {added_services} catalogue services and {added_cases} demo cases added.")


def _register_helpdesk_clients() -> None:
    from shubbak.registry import services as registry
    from shubbak.registry.models import Person

    for slug, officer_email, person, consents, enterprise, owner in HELPDESK_CLIENTS:
        organisation = Organisation.objects.get(slug=slug)
        if Person.objects.filter(organisation=organisation, first_name=person["first_name"], family_name=person["family_name"]).exists():
            continue
        officer = User.objects.get(email=officer_email)
        created = registry.person_create(actor=officer, organisation=organisation, data=dict(person), consents=consents, confirmed=True)
        if enterprise:
            data = dict(enterprise)
            if data.get("chamber"):
                data["chamber"] = Organisation.objects.get(slug=data["chamber"])
            record = registry.enterprise_create(actor=officer, organisation=organisation, data=data, confirmed=True)
            registry.ownership_add(actor=officer, enterprise=record, person=created, role=owner[0], share=owner[1])


@contextmanager
def _on(moment: datetime.datetime):
    """Write as if it were `moment`: the services stamp every write, clock and due date with timezone.now().

    The history is played through the real services (so it is audited, timed by the working calendar and on the
    timeline); only the clock is set back, and the e-mails of the past are not sent today. Timeline entries take
    their time from a model default bound at import, so they are given the moment afterwards.
    """
    last = CaseEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with (
        mock.patch("django.utils.timezone.now", return_value=moment),
        mock.patch("shubbak.notifications.tasks.email_notification"),
        mock.patch("shubbak.helpdesk.tasks.email_client"),
    ):
        yield
    CaseEvent.objects.filter(pk__gt=last).update(created_at=moment)


def _play(demo: DemoCase) -> None:
    """Open the demo case on its day and play its steps on theirs."""
    from shubbak.registry.models import Enterprise, Person

    organisation = Organisation.objects.get(slug=demo.organisation)
    real_now = timezone.now()
    opened = real_now - datetime.timedelta(days=demo.age)
    person = Person.objects.get(organisation=organisation, first_name=demo.client[0], family_name=demo.client[1]) if demo.client else None
    enterprise = Enterprise.objects.get(organisation=organisation, name_ar=demo.enterprise) if demo.enterprise else None
    taker = User.objects.get(email=demo.taker) if demo.taker else None
    data = {
        "subject": demo.subject,
        "description": demo.description,
        "channel": demo.channel,
        "heard_from": demo.heard_from,
        "priority": demo.priority,
        "desk": organisation.desks.first(),
    }
    if demo.contact:
        data.update(contact_name=demo.contact[0], contact_phone=demo.contact[1], contact_email=demo.contact[2])
    if taker is not None:  # at the desk the officer finds or registers the client at once; web requests are linked at triage
        data.update(person=person, enterprise=enterprise)
    chosen = list(organisation.network.services.filter(code__in=demo.services))
    with _on(opened):
        case = helpdesk.case_create(actor=taker, organisation=organisation, data=data, services=chosen, idempotency_key=f"demo-{demo.key}")
    for offset, email, action, detail in demo.steps:
        moment = opened + datetime.timedelta(days=offset)
        if moment >= real_now:
            raise ValueError(f"demo case {demo.key}: step «{action}» would be in the future")
        actor = User.objects.get(email=email) if email else None
        with _on(moment):
            case = Case.objects.get(pk=case.pk)
            if action == "triage":
                helpdesk.case_triage(actor=actor, case=case, person=person, enterprise=enterprise, **detail)
            elif action == "assign":
                helpdesk.case_assign(actor=actor, case=case, assignee=User.objects.get(email=detail))
            elif action in ("start", "wait", "resume"):
                helpdesk.case_transition(actor=actor, case=case, action=action, text=detail)
            elif action == "session":
                minutes, mode, topic, notes = detail
                session = Session(date=timezone.localdate(), minutes=minutes, mode=mode, topic=topic, notes=notes, service=chosen[0])
                helpdesk.session_add(actor=actor, case=case, session=session)
            elif action == "message":
                helpdesk.message_send(actor=actor, case=case, text=detail)
            elif action == "reply":
                helpdesk.client_reply(case=case, text=detail)
            elif action == "note":
                helpdesk.note_add(actor=actor, case=case, text=detail)
            elif action == "resolve":
                helpdesk.case_resolve(actor=actor, case=case, outcome=detail)
            elif action == "close":
                helpdesk.case_close(actor=actor, case=case, text=detail)
            elif action == "reopen":
                helpdesk.case_reopen(actor=actor, case=case, text=detail)
            elif action == "rate":
                helpdesk.client_rate(case=case, rating=detail[0], comment=detail[1])
            elif action == "follow_up":
                helpdesk.follow_up_done(actor=actor, follow_up=case.follow_ups.filter(done_at__isnull=True).first(), note=detail)
            else:
                raise ValueError(f"demo case {demo.key}: unknown step «{action}»")
