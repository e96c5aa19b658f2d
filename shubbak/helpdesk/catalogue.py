"""The default service catalogue a network starts from: the services of the MSME helpdesks and one-stop shops.

Drawn from the programmes' own descriptions: consulting, legal and administrative services, business and trademark
registration, the move from the informal to the formal economy, access to finance, marketing and market access,
digital tools, export, training, incubation and productive families, and employment services. Targets are in working
days; documents are one per line, as the form shows them. Network managers adapt it afterwards in the catalogue page.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q

from shubbak.organisations.models import Network

from . import services
from .models import Service, ServiceCategory

IN_HOUSE, EXPERT, PARTNER = "in_house", "expert", "partner"

ID_CARD = "صورة الهوية الشخصية"
REGISTRATION = "شهادة تسجيل المنشأة (إن كانت مسجلة)"
PRODUCT_PHOTOS = "صور واضحة للمنتجات أو الخدمات"


@dataclass(frozen=True)
class DefaultService:
    code: str
    name_ar: str
    name_en: str
    description_ar: str
    description_en: str
    delivery: tuple[str, ...]
    documents: tuple[str, ...]
    first_response_days: int
    resolution_days: int
    is_public: bool = True


@dataclass(frozen=True)
class DefaultCategory:
    name_ar: str
    name_en: str
    services: list[DefaultService] = field(default_factory=list)


S = DefaultService

CATALOGUE: list[DefaultCategory] = [
    DefaultCategory(
        "استشارات الأعمال",
        "Business consulting",
        [
            S(
                "business-plan",
                "إعداد خطة عمل",
                "Business plan",
                "مرافقة صاحب المشروع في كتابة خطة عمل واضحة: السوق، والتكاليف، والتمويل المطلوب.",
                "Help the owner write a clear business plan: market, costs and the financing needed.",
                (IN_HOUSE, EXPERT),
                (ID_CARD, "وصف مختصر لفكرة المشروع أو النشاط القائم", "سجل المبيعات والمصاريف لآخر سنة (إن وجد)"),
                2,
                20,
            ),
            S(
                "feasibility-study",
                "دراسة جدوى اقتصادية",
                "Feasibility study",
                "دراسة جدوى لمشروع جديد أو لتوسعة مشروع قائم يعدّها خبير محلي معتمد.",
                "A feasibility study for a new project or an expansion, prepared by an approved local expert.",
                (EXPERT,),
                (ID_CARD, "وصف المشروع المقترح وموقعه", "عروض أسعار المعدات والمواد الأولية (إن وجدت)"),
                3,
                30,
            ),
            S(
                "management-advice",
                "استشارة إدارية ومالية",
                "Management and financial advice",
                "جلسات استشارية في التسعير والتكاليف وإدارة النقد والمخزون.",
                "Advisory sessions on pricing, costs, cash and stock management.",
                (IN_HOUSE, EXPERT),
                (ID_CARD, "سجلات المبيعات والمصاريف المتوفرة"),
                2,
                10,
            ),
            S(
                "bookkeeping",
                "تنظيم الحسابات والدفاتر",
                "Bookkeeping set-up",
                "إعداد دفاتر حسابات بسيطة تناسب المنشأة وتدريب صاحبها على استخدامها.",
                "Simple books that fit the business, and training the owner to keep them.",
                (IN_HOUSE, EXPERT),
                ("فواتير الشراء والبيع لآخر ثلاثة أشهر", "كشف حساب بنكي (إن وجد)"),
                2,
                15,
            ),
            S(
                "needs-diagnosis",
                "تشخيص احتياجات المنشأة (زيارة ميدانية)",
                "Enterprise needs diagnosis (field visit)",
                "زيارة ميدانية يجريها موظف المكتب لتحديد احتياجات المنشأة من الخدمات.",
                "A field visit by a desk officer to find which services the enterprise needs.",
                (IN_HOUSE,),
                (),
                2,
                7,
                is_public=False,
            ),
        ],
    ),
    DefaultCategory(
        "الخدمات القانونية",
        "Legal services",
        [
            S(
                "legal-advice",
                "استشارة قانونية",
                "Legal advice",
                "استشارة من المستشار القانوني في مسائل المنشأة التجارية.",
                "Advice from a legal adviser on the enterprise's commercial matters.",
                (IN_HOUSE, EXPERT),
                (ID_CARD, "المستندات المتعلقة بالمسألة (عقود، مراسلات، إنذارات)"),
                2,
                7,
            ),
            S(
                "contracts",
                "صياغة العقود ومراجعتها",
                "Drafting and reviewing contracts",
                "صياغة عقود الشراكة والإيجار والتوريد أو مراجعتها قبل التوقيع.",
                "Partnership, lease and supply contracts drafted or reviewed before signing.",
                (EXPERT,),
                (ID_CARD, "مسودة العقد أو تفاصيل الاتفاق", "بيانات الطرف الآخر"),
                2,
                10,
            ),
            S(
                "labour-law",
                "استشارات قانون العمل",
                "Labour law advice",
                "حقوق العاملين وواجبات صاحب العمل: العقود والأجور والإجازات.",
                "Workers' rights and employers' duties: contracts, wages and leave.",
                (IN_HOUSE, EXPERT),
                (ID_CARD, "عقود العمل أو كشوف الرواتب (إن وجدت)"),
                2,
                10,
            ),
        ],
    ),
    DefaultCategory(
        "الخدمات الإدارية والتسجيل",
        "Administrative services and registration",
        [
            S(
                "business-registration",
                "تسجيل الشركات والمنشآت",
                "Business registration",
                "تجهيز ملف التسجيل ومتابعته لدى مسجل الشركات حتى صدور شهادة التسجيل.",
                "Prepare the registration file and follow it with the companies registrar until the certificate is issued.",
                (IN_HOUSE, PARTNER),
                (
                    "صورة الهوية الشخصية لكل شريك",
                    "ثلاثة أسماء تجارية مقترحة بالترتيب",
                    "عقد إيجار المقر أو إثبات ملكيته",
                    "عقد التأسيس والنظام الداخلي (للشركات)",
                    "إيصال دفع رسوم التسجيل",
                ),
                1,
                15,
            ),
            S(
                "trademark-registration",
                "تسجيل علامة تجارية",
                "Trademark registration",
                "البحث عن العلامة وتقديم طلب تسجيلها ومتابعته لدى مكتب العلامات التجارية.",
                "Search the mark, file its registration and follow it with the trademark office.",
                (IN_HOUSE, PARTNER),
                (
                    "صورة الهوية الشخصية أو شهادة تسجيل المنشأة",
                    "صورة واضحة للعلامة (الشعار) بصيغة إلكترونية",
                    "قائمة السلع أو الخدمات التي تحملها العلامة",
                    "تفويض موقّع إن قدّم الطلب وكيل",
                ),
                2,
                30,
            ),
            S(
                "licences",
                "رخص المهن وتراخيص البلدية",
                "Professional and municipal licences",
                "استخراج رخصة المهنة أو ترخيص المحل من البلدية أو الجهة المختصة وتجديدهما.",
                "Obtain or renew the trade licence and the shop permit from the municipality or the authority concerned.",
                (IN_HOUSE, PARTNER),
                (ID_CARD, "شهادة تسجيل المنشأة", "عقد إيجار المقر أو إثبات ملكيته", "مخطط الموقع (إن طُلب)"),
                2,
                15,
            ),
            S(
                "chamber-membership",
                "عضوية الغرفة التجارية وشهاداتها",
                "Chamber membership and certificates",
                "الانتساب إلى الغرفة أو تجديد العضوية واستخراج الشهادات وكتب التعريف.",
                "Join the chamber or renew membership, and obtain its certificates and letters.",
                (IN_HOUSE,),
                ("شهادة تسجيل المنشأة", ID_CARD, "رخصة المهن سارية المفعول"),
                1,
                5,
            ),
            S(
                "government-procedures",
                "تسهيل المعاملات لدى الدوائر الحكومية",
                "Help with government procedures",
                "توجيه صاحب المنشأة ومتابعة معاملته لدى الدوائر الحكومية ذات العلاقة.",
                "Guide the owner and follow the file with the government departments concerned.",
                (IN_HOUSE, PARTNER),
                (ID_CARD, "المستندات التي تطلبها الدائرة للمعاملة"),
                1,
                10,
            ),
        ],
    ),
    DefaultCategory(
        "الانتقال إلى الاقتصاد الرسمي",
        "Formalisation",
        [
            S(
                "formalisation",
                "مرافقة المنشآت غير المسجلة نحو التسجيل",
                "Formalisation support",
                "خطة خطوة بخطوة لانتقال المنشأة من القطاع غير المنظم إلى المنظم، مع شرح الكلفة والفائدة.",
                "A step-by-step plan for an informal business to formalise, with its costs and benefits explained.",
                (IN_HOUSE,),
                (ID_CARD, "وصف النشاط ومكانه وعدد العاملين"),
                2,
                30,
            ),
            S(
                "tax-registration",
                "التسجيل الضريبي وفتح الملف الضريبي",
                "Tax registration",
                "فتح ملف ضريبي للمنشأة وشرح التزاماتها الضريبية الدورية.",
                "Open the enterprise's tax file and explain its regular tax duties.",
                (IN_HOUSE, PARTNER),
                (ID_CARD, "شهادة تسجيل المنشأة", "عقد إيجار المقر أو إثبات ملكيته"),
                2,
                15,
            ),
            S(
                "home-based-licence",
                "ترخيص المشاريع المنزلية",
                "Licensing a home-based business",
                "ترخيص المشروع المنزلي (الطعام، الخياطة، الحرف) لدى البلدية والجهات الصحية.",
                "License a home-based business (food, tailoring, crafts) with the municipality and health authorities.",
                (IN_HOUSE, PARTNER),
                (ID_CARD, "إثبات السكن (عقد إيجار أو فاتورة خدمات)", "وصف المنتجات وطريقة إنتاجها"),
                2,
                20,
            ),
        ],
    ),
    DefaultCategory(
        "الوصول إلى التمويل",
        "Access to finance",
        [
            S(
                "loan-application",
                "تجهيز طلب قرض وملف ائتماني",
                "Preparing a loan application",
                "مساعدة المنشأة في تجهيز ملف ائتماني مكتمل يقدَّم إلى البنك أو مؤسسة الإقراض.",
                "Help the enterprise prepare a complete credit file for a bank or a lender.",
                (IN_HOUSE,),
                (ID_CARD, "خطة العمل أو دراسة الجدوى", "كشف حساب بنكي لآخر ستة أشهر", "بيانات الكفلاء أو الضمانات المتوفرة"),
                2,
                15,
            ),
            S(
                "financing-referral",
                "الربط مع مؤسسات الإقراض والتمويل الأصغر",
                "Referral to lenders and microfinance",
                "إحالة المنشأة إلى شركاء الإقراض والتمويل الأصغر المناسبين لحجمها واحتياجها.",
                "Refer the enterprise to the lending and microfinance partners that fit its size and need.",
                (PARTNER,),
                (ID_CARD, "ملخص المشروع والمبلغ المطلوب"),
                2,
                20,
            ),
            S(
                "grants",
                "المنح وبرامج الدعم",
                "Grants and support programmes",
                "التعريف بالمنح وبرامج الدعم المفتوحة ومساعدة المنشأة في التقدم إليها.",
                "Tell the enterprise which grants and programmes are open and help it apply.",
                (IN_HOUSE, PARTNER),
                (ID_CARD, REGISTRATION, "ملخص المشروع والاحتياج"),
                2,
                20,
            ),
        ],
    ),
    DefaultCategory(
        "التسويق والوصول إلى الأسواق",
        "Marketing and market access",
        [
            S(
                "marketing-plan",
                "خطة تسويق",
                "Marketing plan",
                "تحديد الزبائن المستهدفين والأسعار وقنوات البيع في خطة تسويق عملية.",
                "Target customers, prices and sales channels in a practical marketing plan.",
                (IN_HOUSE, EXPERT),
                (PRODUCT_PHOTOS, "قائمة الأسعار الحالية"),
                2,
                15,
            ),
            S(
                "fairs",
                "المشاركة في المعارض وأسواق الأسر المنتجة",
                "Fairs, exhibitions and producers' markets",
                "حجز مكان للمنشأة في المعارض ومهرجانات البيع وأسواق الأسر المنتجة.",
                "A place for the enterprise at fairs, sales festivals and producers' markets.",
                (IN_HOUSE, PARTNER),
                (PRODUCT_PHOTOS, REGISTRATION),
                2,
                20,
            ),
            S(
                "branding",
                "تطوير العلامة والتغليف",
                "Branding and packaging",
                "تصميم شعار وتغليف يرفع قيمة المنتج ويناسب السوق المستهدف.",
                "A logo and packaging that add value to the product and suit its market.",
                (EXPERT,),
                (PRODUCT_PHOTOS, "الشعار والتغليف الحاليان (إن وجدا)"),
                3,
                20,
            ),
            S(
                "buyer-matching",
                "لقاءات الأعمال والربط مع المشترين",
                "Business matchmaking with buyers",
                "ترتيب لقاءات مع تجار الجملة والمشترين والموردين.",
                "Meetings with wholesalers, buyers and suppliers.",
                (IN_HOUSE, PARTNER),
                ("ملف تعريفي بالمنشأة ومنتجاتها", "الطاقة الإنتاجية الشهرية"),
                2,
                30,
            ),
        ],
    ),
    DefaultCategory(
        "التحول الرقمي",
        "Digital transformation",
        [
            S(
                "online-presence",
                "الحضور الإلكتروني ووسائل التواصل",
                "Online presence and social media",
                "إنشاء صفحات المنشأة على وسائل التواصل وخريطة الموقع وتدريب صاحبها على إدارتها.",
                "Set up the enterprise's social media pages and map listing, and train the owner to run them.",
                (IN_HOUSE, EXPERT),
                (PRODUCT_PHOTOS, "الشعار (إن وجد)"),
                2,
                10,
            ),
            S(
                "e-commerce",
                "متجر إلكتروني ودفع إلكتروني",
                "Online shop and e-payments",
                "إطلاق متجر إلكتروني بسيط وربطه بوسائل الدفع والتوصيل المتاحة.",
                "Launch a simple online shop linked to the payment and delivery services available.",
                (EXPERT, PARTNER),
                (ID_CARD, "شهادة تسجيل المنشأة", "قائمة المنتجات بأسعارها"),
                3,
                20,
            ),
            S(
                "digital-tools",
                "أدوات رقمية للإدارة والمحاسبة",
                "Digital tools for management and accounting",
                "اختيار برنامج محاسبة أو نقطة بيع مناسبة وتدريب العاملين عليها.",
                "Choose an accounting or point-of-sale tool that fits, and train the staff to use it.",
                (IN_HOUSE, EXPERT),
                (),
                2,
                10,
            ),
        ],
    ),
    DefaultCategory(
        "التصدير",
        "Export",
        [
            S(
                "export-readiness",
                "تقييم الجاهزية للتصدير",
                "Export readiness assessment",
                "تقييم قدرة المنشأة ومنتجاتها على التصدير وخطة لسد الفجوات.",
                "Assess whether the enterprise and its products are ready to export, and plan to close the gaps.",
                (EXPERT,),
                ("شهادة تسجيل المنشأة", "وصف المنتجات وطاقتها الإنتاجية", "شهادات الجودة (إن وجدت)"),
                3,
                20,
            ),
            S(
                "certificate-of-origin",
                "شهادات المنشأ وتصديق الفواتير",
                "Certificates of origin and invoice certification",
                "إصدار شهادة المنشأ وتصديق الفواتير التجارية للشحنات المصدّرة.",
                "Issue the certificate of origin and certify commercial invoices for export shipments.",
                (IN_HOUSE,),
                ("الفاتورة التجارية", "قائمة التعبئة", "شهادة تسجيل المنشأة وعضوية الغرفة سارية المفعول"),
                1,
                3,
            ),
            S(
                "export-markets",
                "معلومات الأسواق الخارجية ومتطلباتها",
                "Foreign market information",
                "معلومات عن الأسواق العربية والإقليمية: الطلب والمواصفات والرسوم.",
                "Information on Arab and regional markets: demand, standards and duties.",
                (IN_HOUSE, PARTNER),
                ("وصف المنتج والسوق المستهدف",),
                2,
                15,
            ),
        ],
    ),
    DefaultCategory(
        "التدريب وبناء القدرات",
        "Training and capacity building",
        [
            S(
                "entrepreneurship-training",
                "تدريب رواد الأعمال",
                "Entrepreneurship training",
                "دورة في تأسيس المشروع الصغير وإدارته للمبادرين وأصحاب الأفكار.",
                "A course on starting and running a small business for new entrepreneurs.",
                (IN_HOUSE, PARTNER),
                (ID_CARD, "نموذج التسجيل في الدورة"),
                3,
                30,
            ),
            S(
                "selling-skills",
                "دورة فن البيع وخدمة الزبائن",
                "Selling and customer service course",
                "مهارات البيع والتفاوض وخدمة الزبائن لأصحاب المشاريع والعاملين فيها.",
                "Selling, negotiation and customer service skills for owners and their staff.",
                (IN_HOUSE, PARTNER),
                (ID_CARD,),
                3,
                30,
            ),
            S(
                "financial-literacy",
                "الثقافة المالية لإدارة المشروع",
                "Financial literacy for small businesses",
                "فصل أموال المشروع عن أموال الأسرة، والادخار، وإدارة الدين.",
                "Keeping business and household money apart, saving and managing debt.",
                (IN_HOUSE,),
                (ID_CARD,),
                3,
                30,
            ),
            S(
                "coaching",
                "الإرشاد والمتابعة الفردية",
                "One-to-one coaching and mentoring",
                "متابعة منتظمة مع مرشد أو خبير لمدة محددة لتحقيق أهداف متفق عليها.",
                "Regular follow-up with a mentor or expert for a set time towards agreed goals.",
                (IN_HOUSE, EXPERT),
                (),
                2,
                30,
            ),
        ],
    ),
    DefaultCategory(
        "ريادة الأعمال والاحتضان",
        "Entrepreneurship and incubation",
        [
            S(
                "idea-to-project",
                "تحويل الفكرة إلى مشروع",
                "From idea to project",
                "مرافقة أصحاب الأفكار الإبداعية لتطويرها إلى مشاريع إنتاجية تخلق فرص عمل.",
                "Help people with a new idea turn it into a productive business that creates jobs.",
                (IN_HOUSE, EXPERT),
                (ID_CARD, "وصف مكتوب للفكرة"),
                2,
                20,
            ),
            S(
                "incubation",
                "الاحتضان في حاضنة أعمال",
                "Business incubation",
                "مكان عمل وإرشاد وخدمات مشتركة للمشاريع الناشئة في حاضنة أعمال شريكة.",
                "Workspace, mentoring and shared services for start-ups in a partner incubator.",
                (PARTNER,),
                (ID_CARD, "نموذج أولي أو خطة عمل مختصرة"),
                3,
                30,
            ),
            S(
                "productive-families",
                "دعم الأسر المنتجة والحرف التقليدية",
                "Productive families and traditional crafts",
                "تدريب الأسر المنتجة والحرفيين وتسويق منتجاتهم وربطهم بالتمويل.",
                "Training, marketing and financing links for productive families and craftspeople.",
                (IN_HOUSE, PARTNER),
                (ID_CARD, "صور المنتجات الحرفية"),
                3,
                30,
            ),
        ],
    ),
    DefaultCategory(
        "خدمات التشغيل",
        "Employment services",
        [
            S(
                "job-matching",
                "المواءمة بين الباحثين عن عمل وفرص العمل",
                "Job matching",
                "تسجيل الباحثين عن عمل وترشيحهم لفرص العمل المتاحة لدى المنشآت.",
                "Register job seekers and put them forward for the vacancies enterprises offer.",
                (IN_HOUSE,),
                (ID_CARD, "السيرة الذاتية", "الشهادات العلمية والمهنية"),
                2,
                20,
            ),
            S(
                "vocational-training",
                "التدريب المهني والتدريب أثناء العمل",
                "Vocational and on-the-job training",
                "إلحاق الشباب بدورات مهنية أو بتدريب أثناء العمل لدى منشآت شريكة.",
                "Place young people in vocational courses or on-the-job training with partner enterprises.",
                (PARTNER,),
                (ID_CARD, "آخر شهادة دراسية"),
                3,
                30,
            ),
            S(
                "self-employment",
                "التشغيل الذاتي",
                "Self-employment",
                "مرافقة الشباب والخريجين في بدء عمل خاص بهم، مع الربط بالتمويل الأصغر.",
                "Help young people and graduates start their own work, with links to microfinance.",
                (IN_HOUSE, PARTNER),
                (ID_CARD, "وصف فكرة المشروع"),
                2,
                20,
            ),
            S(
                "staff-recruitment",
                "توظيف العاملين للمنشآت",
                "Recruitment for enterprises",
                "نشر الشواغر وفرز المتقدمين وترشيح المناسبين للمنشأة.",
                "Advertise vacancies, screen applicants and shortlist the right ones for the enterprise.",
                (IN_HOUSE,),
                ("وصف الوظيفة والمؤهلات المطلوبة", "شهادة تسجيل المنشأة"),
                2,
                15,
            ),
        ],
    ),
]


@transaction.atomic
def catalogue_load(*, actor, network: Network) -> tuple[int, int]:
    """Add the default categories and services that the network's catalogue lacks; returns (categories, services) added.

    Safe to run again: a category is found by either of its names, a service by its code, and nothing a manager
    changed since is overwritten.
    """
    existing_codes = set(Service.objects.filter(network=network).values_list("code", flat=True))
    added_categories = added_services = 0
    for position, default in enumerate(CATALOGUE, start=1):
        category = ServiceCategory.objects.filter(Q(name_ar=default.name_ar) | Q(name_en=default.name_en), network=network).first()
        missing = [s for s in default.services if s.code not in existing_codes]
        if category is None:
            if not missing:
                continue  # its services were moved to another category: leave the catalogue as the managers made it
            category = ServiceCategory(network=network, name_ar=default.name_ar, name_en=default.name_en, position=position * 10)
            services.category_save(actor=actor, category=category)
            added_categories += 1
        for index, item in enumerate(default.services, start=1):
            if item.code in existing_codes:
                continue
            service = Service(
                network=network,
                category=category,
                code=item.code,
                name_ar=item.name_ar,
                name_en=item.name_en,
                description_ar=item.description_ar,
                description_en=item.description_en,
                in_house=IN_HOUSE in item.delivery,
                by_expert=EXPERT in item.delivery,
                by_partner=PARTNER in item.delivery,
                required_documents="\n".join(item.documents),
                first_response_days=item.first_response_days,
                resolution_days=item.resolution_days,
                is_public=item.is_public,
                position=index * 10,
            )
            services.service_save(actor=actor, service=service)
            existing_codes.add(item.code)
            added_services += 1
    return added_categories, added_services
