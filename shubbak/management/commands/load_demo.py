"""Load the demo network once: five networks, their organisations and desks, staff in every role."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from shubbak.accounts.models import User
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
