"""Load the demo network once: five networks, their organisations and desks, staff in every role."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from shubbak.accounts.services import user_create
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
