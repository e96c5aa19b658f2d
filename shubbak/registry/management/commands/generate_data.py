"""Generate a large synthetic registry (people and enterprises) to measure search and list pages.

Names are real Palestinian, Syrian and Yemeni first and family names, weighted so that common names
are common, and stored in the spellings people really type: with or without hamza on alef, ة or ه,
ى or ي, «عبد الله» or «عبدالله», sometimes with harakat or tatweel. Search text, size class and
women/youth ownership are derived by the same rules as the services.

Generated data bypasses the services and the audit log on purpose: it is synthetic benchmark data,
written with bulk inserts so that 500,000 people take minutes, not hours.
"""

import datetime
import json
import random
import re
import time
from decimal import Decimal
from types import SimpleNamespace

from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from shubbak.organisations.models import Network, Organisation
from shubbak.places import GOVERNORATES_AR
from shubbak.registry import rules
from shubbak.registry.isic import DATA as ISIC_DATA
from shubbak.registry.models import Enterprise, Ownership, Person, StatusChange

BATCH = 5_000
DEMO_NETWORKS = ["munshati", "gaza-oss", "smeda", "hadramawt-lending", "palga"]  # the slugs load_demo creates
BENCH_COUNTRIES = ["PS", "PS", "SY", "YE"]  # a generated network's chambers: half in Palestine
GAZA = {"PS-GZA", "PS-NGZ", "PS-DEB", "PS-KYS", "PS-RFH"}  # most people there are displaced

# --- Names: «Arabic=Latin/Latin» entries, most frequent first -------------------------------------

MALE = """
محمد=Mohammed/Muhammad/Mohamed/Mohammad; أحمد=Ahmad/Ahmed; محمود=Mahmoud/Mahmud; علي=Ali; عبد الله=Abdullah/Abdallah;
خالد=Khaled/Khalid; يوسف=Yousef/Yusuf/Youssef; إبراهيم=Ibrahim/Ebrahim; عمر=Omar/Umar; حسن=Hassan/Hasan;
مصطفى=Mustafa/Mostafa; حسين=Hussein/Hussain; عبد الرحمن=Abdulrahman/Abdelrahman; سامي=Sami; صالح=Saleh/Salih;
سعيد=Saeed/Said; إسماعيل=Ismail/Esmail; يحيى=Yahya/Yehia; موسى=Mousa/Musa; عيسى=Issa/Eisa; سليمان=Suleiman/Sulaiman;
ناصر=Nasser/Naser; جمال=Jamal/Gamal; كمال=Kamal; عادل=Adel/Adil; فادي=Fadi; رامي=Rami; باسل=Basel/Bassel; بلال=Bilal;
أنس=Anas; معاذ=Moath/Muadh; حمزة=Hamza/Hamzeh; طارق=Tareq/Tariq; زياد=Ziad/Ziyad; وليد=Walid/Waleed; ماجد=Majed/Majid;
نبيل=Nabil/Nabeel; رائد=Raed; عماد=Imad/Emad; إياد=Iyad/Eyad; أيمن=Ayman; أسامة=Osama/Usama; هشام=Hisham/Hesham;
هاني=Hani/Hany; وائل=Wael; مهند=Muhannad/Mohanad; عبد الرحيم=Abdelrahim/Abdulrahim; عبد الكريم=Abdelkarim/Abdulkarim;
عبد العزيز=Abdulaziz/Abdelaziz; عبد الفتاح=Abdelfattah/Abdulfattah; عبد الناصر=Abdelnasser/Abdulnaser;
عبد الرؤوف=Abdelraouf/Abdulraouf; عبد السلام=Abdulsalam/Abdelsalam; عبد الحميد=Abdelhamid/Abdulhamid;
عبد القادر=Abdelkader/Abdulqader; عبد اللطيف=Abdellatif/Abdullatif; عبد الإله=Abdulilah/Abdelilah;
عبد الملك=Abdulmalik/Abdelmalek; عبد الواحد=Abdulwahed/Abdelwahid; عبد الباسط=Abdulbaset/Abdelbasit;
عبد الرزاق=Abdulrazzaq/Abdelrazek; عبد الغني=Abdulghani/Abdelghani; عبد الجبار=Abduljabbar; عبد الوهاب=Abdulwahab;
عبد المجيد=Abdulmajeed/Abdelmajid; عبد الهادي=Abdulhadi/Abdelhadi; عبد الحكيم=Abdulhakim; فؤاد=Fuad/Fouad;
مأمون=Mamoun; جهاد=Jihad; نضال=Nidal; رأفت=Raafat/Rafat; عاطف=Atef/Atif; منذر=Munther/Mondher; منير=Munir/Mounir;
سمير=Samir/Sameer; نزار=Nizar; غسان=Ghassan; ثائر=Thaer; قيس=Qais/Kais; ليث=Laith/Layth; مجدي=Majdi/Magdy;
شادي=Shadi; رياض=Riyad/Riad; فراس=Firas/Feras; مؤمن=Moamen/Mumin; مؤيد=Moayad/Muayyad; لؤي=Louay/Luay; أدهم=Adham;
أمجد=Amjad; أنور=Anwar; أكرم=Akram; إيهاب=Ihab/Ehab; يزن=Yazan; يامن=Yamen; تيسير=Taiseer/Tayseer;
توفيق=Tawfiq/Tawfik; جميل=Jamil/Jameel; حازم=Hazem/Hazim; حاتم=Hatem/Hatim; حسام=Hussam/Hosam; خليل=Khalil;
داود=Dawood/Daoud; ربيع=Rabee/Rabie; رشيد=Rashid/Rasheed; زهير=Zuhair/Zouheir; سالم=Salem/Salim; سامر=Samer;
سفيان=Sufyan/Sofian; شريف=Sharif/Sherif; صبحي=Subhi/Sobhi; ضياء=Diaa; طلال=Talal; عاصم=Asem/Asim; عدنان=Adnan;
عصام=Issam/Essam; علاء=Alaa; عمار=Ammar; غازي=Ghazi; فارس=Fares/Faris; فايز=Fayez/Faiz; فيصل=Faisal/Faysal;
قاسم=Qasem/Qassim; ماهر=Maher; مازن=Mazen; مالك=Malek/Malik; مراد=Murad/Mourad; مروان=Marwan; معتز=Moataz/Mutaz;
منصور=Mansour/Mansur; نادر=Nader; ناجي=Naji; نعيم=Naim/Naeem; هيثم=Haitham/Haytham; وسيم=Wasim/Waseem;
ياسر=Yaser/Yasser; يونس=Younes/Yunis; بشار=Bashar; بشير=Bashir/Basheer; جلال=Jalal; صلاح=Salah; فتحي=Fathi/Fathy;
كامل=Kamel/Kamil; مهدي=Mahdi/Mehdi; نايف=Nayef/Naif; هادي=Hadi; همام=Hammam/Humam; أسعد=Asaad/Asad;
مختار=Mukhtar; فضل=Fadl/Fadel; عبده=Abdo/Abduh; قائد=Qaed; مطهر=Mutahar; أمين=Amin/Ameen; عارف=Aref/Arif;
نشوان=Nashwan; صادق=Sadeq/Sadiq; فهد=Fahd/Fahad; بدر=Badr/Bader; سلطان=Sultan; شوقي=Shawqi/Shawki; حافظ=Hafez/Hafiz;
زكريا=Zakaria/Zakariya; إدريس=Idris/Edris; أيوب=Ayoub/Ayyub; عثمان=Othman/Uthman; أبو بكر=Abubakr/Abu Bakr;
هارون=Haroun; نوح=Nouh; جورج=George; حنا=Hanna; إلياس=Elias/Ilyas; جريس=Jiries/Geries; يعقوب=Yacoub/Yaqub;
ميخائيل=Michael/Mikhail; عوض=Awad; لطفي=Lutfi; ربحي=Rebhi; شاكر=Shaker; عزام=Azzam; محسن=Mohsen/Muhsin;
مرعي=Marei; وضاح=Waddah; غالب=Ghaleb; ناجح=Najeh; معين=Moein/Mueen; سهيل=Suhail/Sohail; رضوان=Radwan/Ridwan
"""

FEMALE = """
فاطمة=Fatima/Fatmeh; مريم=Maryam/Mariam; عائشة=Aisha/Aysha; خديجة=Khadija; زينب=Zainab/Zeinab; آمنة=Amina/Amneh;
سارة=Sara/Sarah; نور=Nour/Noor; هدى=Huda/Hoda; هبة=Hiba/Heba; رنا=Rana; رانيا=Rania/Ranya; ريم=Reem/Rim;
لينا=Lina/Leena; منى=Mona/Muna; سلمى=Salma; ليلى=Layla/Leila; سعاد=Suad/Souad; سماح=Samah; سمر=Samar;
سناء=Sanaa; شيماء=Shaimaa/Shayma; صفاء=Safaa; دعاء=Duaa/Doaa; إسراء=Israa/Esraa; آلاء=Alaa; أسماء=Asmaa/Asma;
أمل=Amal; إيمان=Iman/Eman; بيان=Bayan; تسنيم=Tasneem/Tasnim; جنى=Jana; حنان=Hanan; حلا=Hala; دانة=Dana;
ديما=Dima; رشا=Rasha; رغد=Raghad; رهف=Rahaf; روان=Rawan; ريما=Rima/Reema; زهرة=Zahra; سجى=Saja; سهى=Suha;
سوسن=Sawsan; شهد=Shahd; عبير=Abeer/Abir; عفاف=Afaf; غادة=Ghada; فرح=Farah; لبنى=Lubna; ميساء=Maysaa/Maisa;
ميس=Mais/Mays; نادية=Nadia; نسرين=Nisreen/Nesrine; نهى=Noha/Nuha; نوال=Nawal; هالة=Hala; هيا=Haya;
وفاء=Wafaa/Wafa; ولاء=Walaa; ياسمين=Yasmin/Yasmeen; يسرى=Yusra/Yosra; رزان=Razan; رولا=Rula/Roula; دينا=Dina;
مها=Maha; ندى=Nada; نجلاء=Najlaa; نجوى=Najwa; هناء=Hanaa; بشرى=Bushra; جميلة=Jamila; حليمة=Halima;
رقية=Ruqayya/Rokaya; سمية=Sumaya/Somaya; صفية=Safiya; عزيزة=Aziza; فدوى=Fadwa; كوثر=Kawthar; لطيفة=Latifa;
ماجدة=Majida/Magda; نعمة=Nima; هند=Hind; وداد=Widad; إخلاص=Ikhlas; انتصار=Intisar; ابتسام=Ibtisam;
إلهام=Ilham/Elham; أروى=Arwa; بلقيس=Balqis/Belqees; ذكرى=Thikra/Zikra; سبأ=Saba; تقوى=Taqwa; رحاب=Rehab;
أسيل=Aseel; آية=Aya/Ayah; بتول=Batool; جود=Joud; مرام=Maram; منار=Manar; نغم=Nagham; هديل=Hadeel; وعد=Waad;
يارا=Yara; رؤى=Ruaa/Roaa; ضحى=Duha/Doha; علا=Ola/Ula; علياء=Alia/Alyaa; فاتن=Faten; نائلة=Naila; رائدة=Raeda;
سوزان=Suzan; ماري=Mary; ميرنا=Mirna; خلود=Kholoud; ختام=Khitam; أريج=Areej; منال=Manal; عبلة=Abla; سهام=Siham;
هيام=Hiyam; رجاء=Rajaa; عائدة=Aida; جيهان=Jihan; سهير=Suhair; ابتهال=Ibtihal; أنسام=Ansam; لمياء=Lamia/Lamya;
رهام=Reham; أماني=Amani; تهاني=Tahani; نسمة=Nesma; غدير=Ghadeer; مي=May/Mai; إسلام=Islam; فيروز=Fairouz
"""

FAMILY_PS = """
التميمي=Al-Tamimi; الشريف=Al-Sharif; الجعبري=Al-Jaabari; القواسمي=Al-Qawasmi; النتشة=Natsheh; الزعتري=Al-Zaatari;
أبو سنينة=Abu Sneineh; الحسيني=Al-Husseini; النشاشيبي=Nashashibi; الخالدي=Al-Khalidi; الدجاني=Al-Dajani;
العلمي=Al-Alami; نسيبة=Nusseibeh; جودة=Judeh/Jawdeh; البرغوثي=Barghouti; الريماوي=Al-Rimawi; عبد الهادي=Abdelhadi;
طوقان=Touqan; المصري=Al-Masri; الشكعة=Al-Shakaa; النابلسي=Al-Nabulsi; عرفات=Arafat; حجاوي=Hijjawi; الأغا=Al-Agha;
الفرا=Al-Farra; الشوا=Al-Shawa; أبو شعبان=Abu Shaban; الحلو=Al-Helou; المدهون=Al-Madhoun; الريس=Al-Rayes;
أبو ستة=Abu Sitta; سكيك=Skaik; حلس=Helles; الخضري=Al-Khodari; الكرد=Al-Kurd; أبو رمضان=Abu Ramadan;
الصوراني=Al-Sourani; الوحيدي=Al-Wuhaidi; بسيسو=Bseiso; الطويل=Al-Tawil; أبو عيشة=Abu Aisheh; عودة=Odeh/Awdeh;
حمدان=Hamdan; قاسم=Qasem; صالح=Saleh; عيسى=Issa; خوري=Khoury; حنانيا=Hananiya; قمصية=Qumsieh; الأعرج=Al-Araj;
سلامة=Salameh; أبو غوش=Abu Ghosh; زيدان=Zeidan; عمرو=Amro; الهشلمون=Al-Hashlamoun; أبو عرقوب=Abu Arqoub;
دويك=Dweik; غيث=Ghaith; مسك=Misk; الرجبي=Al-Rajabi; سدر=Sider; أبو ميزر=Abu Mayzar; عريقات=Erekat;
الخطيب=Al-Khatib; ياسين=Yassin; الجمل=Al-Jamal; حماد=Hammad; النجار=Al-Najjar; الحداد=Al-Haddad; العطار=Al-Attar;
الخياط=Al-Khayyat; السقا=Al-Saqqa; الدباغ=Al-Dabbagh; القدومي=Al-Qaddoumi; عبد ربه=Abed Rabbo; مرار=Marar;
صوافطة=Sawafta; دراغمة=Daraghmeh; ضبابات=Dababat; أبو الرب=Abu Alrub; جرار=Jarrar; السعدي=Al-Saadi;
طحاينة=Tahayneh; زكارنة=Zakarneh; كميل=Kmail; ملحم=Melhem; حنون=Hannoun; عابد=Abed; نزال=Nazzal; شاهين=Shaheen;
أبو حسن=Abu Hasan; الشاعر=Al-Shaer; أبو خضير=Abu Khdeir; عوض=Awad; أبو شمالة=Abu Shamaleh; الأسطل=Al-Astal;
برهوم=Barhoum; قشطة=Qishta; أبو طه=Abu Taha; البطش=Al-Batsh; المغربي=Al-Maghrebi; الهندي=Al-Hindi; عاشور=Ashour;
اللوح=Al-Louh; أبو جزر=Abu Jazar; حجازي=Hijazi; زقوت=Zaqout; شراب=Sharab; حمادة=Hamada; الدحدوح=Al-Dahdouh;
الكحلوت=Al-Kahlout; أبو عمرة=Abu Amra; نصار=Nassar; صيام=Siam; الغول=Al-Ghoul; أبو مدين=Abu Medein;
الجبالي=Al-Jabali; الشنطي=Al-Shanti; سمارة=Samara; أبو ندى=Abu Nada; طافش=Tafesh; الصفدي=Al-Safadi;
أبو دقة=Abu Daqqa; السراج=Al-Sarraj; شحادة=Shehadeh; مهنا=Muhanna; أبو هلال=Abu Hilal; البنا=Al-Banna;
الزرو=Al-Zaro; التكروري=Al-Takrouri; الشلالدة=Shalaldeh; أبو زينة=Abu Zeineh; بدران=Badran; العويوي=Al-Oweiwi;
غنام=Ghannam; الحروب=Al-Haroub; أبو عياش=Abu Ayyash; فقهاء=Fuqaha; يعيش=Yaish; الكيلاني=Kilani; العالول=Aloul;
اشتية=Shtayyeh; خريشة=Khraisheh; عليان=Alayan; الأطرش=Al-Atrash; أبو داود=Abu Dawud; التلاوي=Tellawi;
الطيراوي=Tirawi; شبانة=Shabaneh; المحتسب=Al-Muhtaseb; الشرباتي=Sharabati; البطران=Batran; العملة=Al-Amleh;
جابر=Jaber; أبو صبحة=Abu Sobha; العرجا=Al-Arja; طقاطقة=Taqatqa; فرح=Farah; الأسمر=Al-Asmar; الزير=Al-Zeer;
أبو الهيجاء=Abu Al-Hayja; السايح=Al-Sayeh; عبد العال=Abdelaal; الترك=Al-Turk; أبو زيد=Abu Zaid
"""

FAMILY_SY = """
الحلبي=Al-Halabi; الحموي=Al-Hamwi; الحمصي=Al-Homsi; الشامي=Al-Shami; الدمشقي=Al-Dimashqi; الأتاسي=Al-Atassi;
العظم=Al-Azm; القباني=Qabbani; الجندي=Al-Jundi; السباعي=Al-Sibai; الزعبي=Al-Zoubi; المقداد=Al-Miqdad;
الحريري=Al-Hariri; الأسعد=Al-Asaad; العلي=Al-Ali; الحسن=Al-Hasan; الأحمد=Al-Ahmad; المحمد=Al-Mohammad;
العمر=Al-Omar; الخليل=Al-Khalil; الإبراهيم=Al-Ibrahim; الحسين=Al-Hussein; الصالح=Al-Saleh; الحمد=Al-Hamad;
الموسى=Al-Mousa; السيد=Al-Sayed; الكردي=Al-Kurdi; شعبان=Shaaban; سليمان=Suleiman; درويش=Darwish;
الأيوبي=Al-Ayoubi; البيطار=Al-Bitar; الشهابي=Al-Shihabi; الجابري=Al-Jabiri; الكيالي=Kayyali; الرفاعي=Al-Rifai;
النحاس=Al-Nahhas; الدقاق=Al-Daqqaq; الطباع=Al-Tabbaa; السمان=Al-Samman; القوتلي=Quwatli; البارودي=Baroudi;
حداد=Haddad; نصر=Nasr; عبود=Abboud; يازجي=Yazigi; منصور=Mansour; سلوم=Salloum; ديب=Deeb; معروف=Maarouf;
حيدر=Haidar; إسماعيل=Ismail; عثمان=Othman; قدور=Qaddour; الخضر=Al-Khidr; الفارس=Al-Fares; الجاسم=Al-Jassem;
العيسى=Al-Issa; البكري=Al-Bakri; الشمعة=Al-Shamaa; المعلم=Al-Moallem; الحكيم=Al-Hakim; القاسم=Al-Qasem;
الصباغ=Al-Sabbagh; الحلاق=Al-Hallaq; مراد=Murad; الملا=Al-Mulla; الدالاتي=Dalati; الصابوني=Sabouni;
الغزي=Al-Ghazzi; الحفار=Al-Haffar; كرم=Karam; عرنوس=Arnous; عباس=Abbas; يوسف=Youssef; بركات=Barakat;
الأخرس=Al-Akhras; العمري=Al-Omari; المالح=Al-Maleh; الخوري=Al-Khoury; قطان=Qattan; زيتون=Zaitoun;
الجزائري=Al-Jazairi; العجلاني=Al-Ajlani; المرعشلي=Marashli; الطرابلسي=Trabulsi; الإدلبي=Al-Idlibi; الديري=Al-Deiri;
الرقاوي=Al-Raqqawi; الحوراني=Al-Hourani; الحمود=Al-Hmoud; العبيد=Al-Obaid; النعيمي=Al-Nuaimi; الخالد=Al-Khaled;
الحافظ=Al-Hafez; السعيد=Al-Saeed; مصطفى=Mustafa; الأحمر=Al-Ahmar; الشيخ=Al-Sheikh; العبد الله=Al-Abdullah;
الحاج حسين=Al-Haj Hussein; أبو الخير=Abu Al-Khair; الأصفر=Al-Asfar; الخطيب=Al-Khatib; نجار=Najjar; الطحان=Al-Tahhan
"""

FAMILY_YE = """
باوزير=Bawazir; باهارون=Baharoon; العمودي=Al-Amoudi; بن بريك=Bin Break/Bin Brik; الكاف=Al-Kaf; السقاف=Al-Saqqaf;
العطاس=Al-Attas; الحبشي=Al-Habshi; باعبود=Baabood; بامطرف=Bamatraf; باسلامة=Basalamah; بافقيه=Bafaqih;
بن دغر=Bin Daghr; الجفري=Al-Jifri; المحضار=Al-Mehdhar; الأهدل=Al-Ahdal; الحكيمي=Al-Hakimi; الشرعبي=Al-Sharabi;
الصبري=Al-Sabri; العريقي=Al-Oraiqi; الأغبري=Al-Aghbari; المخلافي=Al-Mikhlafi; الحميري=Al-Himyari;
الإرياني=Al-Eryani; المتوكل=Al-Mutawakel; الوزير=Al-Wazir; الكبسي=Al-Kibsi; العنسي=Al-Ansi; الحاشدي=Al-Hashidi;
الصنعاني=Al-Sanaani; العديني=Al-Odaini; الذماري=Al-Dhamari; الريمي=Al-Rimi; البيضاني=Al-Baidhani;
اليافعي=Al-Yafei; الضالعي=Al-Dhalei; الحضرمي=Al-Hadrami; الكثيري=Al-Kathiri; باعشن=Baeshen; بلفقيه=Balfaqih;
بن حفيظ=Bin Hafeez; باصرة=Basurrah; بازرعة=Bazaraa; باشراحيل=Basharahil; باحميد=Bahamid; بامعلم=Bamualim;
العولقي=Al-Awlaki; الجعدني=Al-Jaadani; الفضلي=Al-Fadhli; الحبيشي=Al-Hubaishi; القباطي=Al-Qubati;
السامعي=Al-Samei; الشيباني=Al-Shaibani; الزبيري=Al-Zubairi; المقطري=Al-Maqtari; الأصبحي=Al-Asbahi;
المريسي=Al-Muraisi; الهمداني=Al-Hamdani; الخولاني=Al-Khawlani; سيف=Saif; ناشر=Nasher; قائد=Qaed; غالب=Ghaleb;
مقبل=Muqbil; القدسي=Al-Qudsi; النعمان=Al-Noman; الأكوع=Al-Akwa; الجرادي=Al-Jaradi; المقالح=Al-Maqaleh;
العواضي=Al-Awadhi; الآنسي=Al-Anesi; الرداعي=Al-Radaei; العبسي=Al-Absi; السنباني=Al-Sanabani; الوصابي=Al-Wesabi;
الجبري=Al-Jabri; الشميري=Al-Shamiri; الكمالي=Al-Kamali; باجمال=Bajammal; بن عفيف=Bin Afif; بن طالب=Bin Talib;
العامري=Al-Amri; الحارثي=Al-Harthi; المرادي=Al-Muradi; العزاني=Al-Azzani; المطري=Al-Matari; الدبعي=Al-Dubai;
المعمري=Al-Maamari; الشرجبي=Al-Sharjabi; الأديمي=Al-Adimi; البريهي=Al-Buraihi; الصوفي=Al-Sufi;
الزنداني=Al-Zindani; السلامي=Al-Salami; الشعيبي=Al-Shuaibi; المحويتي=Al-Mahwiti; باعلوي=Baalawi;
بن شملان=Bin Shamlan; باكريت=Bakrit; الأهدلي=Al-Ahdali; أبو راس=Abu Ras; أبو طالب=Abu Talib
"""

# Vocalised spellings of common names, as some people write them on forms.
VOCALISED = {
    "محمد": "مُحَمَّد", "أحمد": "أَحْمَد", "محمود": "مَحْمُود", "علي": "عَلِيّ", "عبد الله": "عَبْدُ الله", "فاطمة": "فَاطِمَة",
    "مريم": "مَرْيَم", "خديجة": "خَدِيجَة", "يوسف": "يُوسُف", "إبراهيم": "إِبْرَاهِيم", "عمر": "عُمَر", "حسن": "حَسَن",
    "حسين": "حُسَيْن", "مصطفى": "مُصْطَفَى", "زينب": "زَيْنَب", "سارة": "سَارَة", "نور": "نُور", "هدى": "هُدَى",
    "خالد": "خَالِد", "يحيى": "يَحْيَى", "عيسى": "عِيسَى", "موسى": "مُوسَى", "آمنة": "آمِنَة", "عائشة": "عَائِشَة",
}  # fmt: skip

COUNTRY_CODES = {"PS": "970", "SY": "963", "YE": "967"}
MOBILE_PREFIXES = {"PS": ["59", "56"], "SY": ["93", "94", "95", "96", "98", "99"], "YE": ["70", "71", "73", "77", "78"]}
LANDLINE_PREFIXES = {"PS": ["2", "8", "9", "4"], "SY": ["11", "21", "31", "33", "41"], "YE": ["1", "2", "4", "5"]}
LANDLINE_DIGITS = {"PS": 8, "SY": 9, "YE": 7}  # national number with its area code
NATIONAL_ID = {  # ID types and their weights, per country
    "PS": (["ps_id", "unrwa", "passport", ""], [85, 5, 3, 7]),
    "SY": (["sy_id", "unrwa", "passport", ""], [80, 3, 5, 12]),
    "YE": (["ye_id", "passport", ""], [75, 10, 15]),
}
COUNTRIES = list(COUNTRY_CODES)
EDUCATION, EDUCATION_WEIGHTS = ["university", "institute", "secondary", "dropout", "none", ""], [30, 15, 30, 12, 5, 8]
EMPLOYMENT, EMPLOYMENT_WEIGHTS = ["employed", "self_employed", "job_seeker", "student", "inactive", ""], [18, 25, 32, 10, 10, 5]
DISPLACEMENT = ["resident", "displaced", "refugee", "returnee"]
DISPLACED_WEIGHTS, RESIDENT_WEIGHTS = [25, 55, 15, 5], [80, 8, 10, 2]

LOCALITIES = {
    "PS-NBS": "نابلس عصيرة الشمالية بيتا حوارة عقربا سبسطية بلاطة عسكر",
    "PS-HBN": "الخليل دورا يطا حلحول بني_نعيم سعير بيت_أمر الظاهرية",
    "PS-BTH": "بيت_لحم بيت_ساحور بيت_جالا الدوحة الخضر تقوع",
    "PS-RBH": "رام_الله البيرة بيرزيت سلواد ترمسعيا بيتونيا",
    "PS-JEN": "جنين قباطية يعبد عرابة برقين",
    "PS-TKM": "طولكرم عنبتا دير_الغصون بلعا",
    "PS-QQA": "قلقيلية عزون حبلة",
    "PS-SLT": "سلفيت بديا كفل_حارس",
    "PS-TBS": "طوباس طمون عقابا",
    "PS-JRH": "أريحا العوجا الجفتلك",
    "PS-JEM": "القدس العيزرية أبو_ديس الرام بيت_حنينا",
    "PS-GZA": "غزة الشجاعية الرمال الزيتون الشاطئ تل_الهوى",
    "PS-NGZ": "جباليا بيت_لاهيا بيت_حانون",
    "PS-DEB": "دير_البلح النصيرات البريج المغازي الزوايدة",
    "PS-KYS": "خان_يونس بني_سهيلا عبسان القرارة",
    "PS-RFH": "رفح الشابورة تل_السلطان",
    "SY-DI": "دمشق المزة الميدان باب_توما ركن_الدين",
    "SY-RD": "دوما جرمانا التل يبرود قطنا داريا",
    "SY-HL": "حلب منبج الباب عفرين السفيرة",
    "SY-HI": "حمص تلكلخ الرستن القصير",
    "SY-HM": "حماة السلمية مصياف محردة",
    "SY-LA": "اللاذقية جبلة الحفة",
    "SY-TA": "طرطوس بانياس صافيتا",
    "SY-ID": "إدلب معرة_النعمان سراقب أريحا",
    "SY-DR": "درعا نوى بصرى_الشام إزرع",
    "SY-SU": "السويداء شهبا صلخد",
    "SY-DY": "دير_الزور الميادين البوكمال",
    "SY-HA": "الحسكة القامشلي رأس_العين",
    "SY-RA": "الرقة الطبقة تل_أبيض",
    "SY-QU": "القنيطرة خان_أرنبة",
    "YE-HD": "المكلا سيئون الشحر تريم شبام غيل_باوزير",
    "YE-AD": "عدن كريتر المعلا الشيخ_عثمان المنصورة",
    "YE-TA": "تعز المخا التربة الحوبان",
    "YE-SA": "صنعاء معين السبعين شعوب",
    "YE-SN": "بني_مطر همدان سنحان",
    "YE-IB": "إب جبلة يريم القاعدة",
    "YE-HU": "الحديدة زبيد باجل بيت_الفقيه",
    "YE-DH": "ذمار عنس جهران",
    "YE-LA": "الحوطة تبن",
    "YE-AB": "زنجبار جعار لودر",
    "YE-MA": "مأرب صرواح",
    "YE-SH": "عتق بيحان",
}
STREETS = (
    "الجامعة عمر_المختار الشهداء القدس الملك_فيصل صلاح_الدين الاستقلال النصر الجلاء بغداد الثورة الزبيري الستين "
    "الرشيد الوحدة فلسطين الميناء السوق البلدية المدارس"
)
# Revenue band weights (lt_20k … gt_2m) by the smallest head count of an employee band.
REVENUE_BY_SIZE = {1: [70, 25, 5, 0, 0], 5: [30, 50, 18, 2, 0], 10: [10, 40, 40, 9, 1], 20: [2, 18, 50, 25, 5], 50: [0, 5, 30, 45, 20]}

# What an enterprise does: Arabic and English prefix of its name, ISIC division, legal forms it usually takes.
ACTIVITIES = [
    ("مخبز", "Bakery", "10", "sole informal home_based"),
    ("مطعم", "Restaurant", "56", "sole partnership informal"),
    ("مقهى", "Cafe", "56", "sole informal"),
    ("صيدلية", "Pharmacy", "47", "sole company"),
    ("سوبرماركت", "Supermarket", "47", "sole partnership company"),
    ("بقالة", "Grocery", "47", "sole informal"),
    ("ملحمة", "Butchery", "47", "sole informal"),
    ("ورشة حدادة", "Metal workshop", "25", "sole informal partnership"),
    ("منجرة", "Carpentry", "31", "sole informal partnership"),
    ("معرض أثاث", "Furniture showroom", "47", "sole company"),
    ("مشغل خياطة", "Sewing workshop", "14", "home_based informal sole cooperative"),
    ("مشغل تطريز", "Embroidery workshop", "13", "home_based informal cooperative"),
    ("مصنع صابون", "Soap factory", "20", "company partnership"),
    ("مصنع حجر ورخام", "Stone and marble factory", "23", "company partnership"),
    ("معصرة زيتون", "Olive press", "10", "cooperative company partnership"),
    ("محمص", "Roastery", "10", "sole informal"),
    ("مزرعة", "Farm", "01", "sole informal cooperative"),
    ("جمعية تعاونية زراعية", "Agricultural cooperative", "01", "cooperative"),
    ("مناحل", "Apiary", "01", "home_based informal sole"),
    ("قارب صيد", "Fishing boat", "03", "informal sole"),
    ("شركة مقاولات", "Contracting company", "41", "company partnership"),
    ("شركة برمجيات", "Software company", "62", "company partnership"),
    ("مطبعة", "Printing press", "18", "sole company"),
    ("مكتب محاسبة", "Accounting office", "69", "sole partnership"),
    ("مكتب محاماة", "Law office", "69", "sole partnership"),
    ("مركز تدريب", "Training centre", "85", "company sole"),
    ("روضة أطفال", "Kindergarten", "85", "sole cooperative"),
    ("صالون تجميل", "Beauty salon", "96", "home_based sole informal"),
    ("مغسلة", "Laundry", "96", "sole informal"),
    ("عيادة", "Clinic", "86", "sole partnership"),
    ("مختبر طبي", "Medical laboratory", "86", "company partnership"),
    ("كراج صيانة سيارات", "Car repair garage", "45", "sole informal"),
    ("مكتب سياحة وسفر", "Travel agency", "79", "company"),
    ("فندق", "Hotel", "55", "company"),
    ("مكتب عقارات", "Real estate office", "68", "sole"),
    ("شركة نقل", "Transport company", "49", "company partnership"),
    ("استوديو تصوير", "Photo studio", "74", "sole informal"),
    ("مكتبة", "Bookshop", "47", "sole"),
    ("محل حلويات", "Sweets shop", "10", "sole informal home_based"),
    ("مطبخ إنتاجي", "Productive kitchen", "10", "home_based informal cooperative"),
]
GOOD_WORDS = [
    ("الأمل", "Al-Amal"), ("النور", "Al-Nour"), ("الفجر", "Al-Fajr"), ("الشفاء", "Al-Shifa"), ("البركة", "Al-Baraka"),
    ("الرحمة", "Al-Rahma"), ("الإخلاص", "Al-Ikhlas"), ("السلام", "Al-Salam"), ("الوفاء", "Al-Wafa"), ("القدس", "Al-Quds"),
    ("الأقصى", "Al-Aqsa"), ("الكرمل", "Al-Karmel"), ("الزيتون", "Al-Zaytoun"), ("الياسمين", "Al-Yasmin"), ("الريف", "Al-Reef"),
    ("الأصالة", "Al-Asala"), ("الجودة", "Al-Jawda"), ("النجاح", "Al-Najah"), ("الرواد", "Al-Rowad"), ("المستقبل", "Al-Mustaqbal"),
    ("الشروق", "Al-Shorouq"), ("الهدى", "Al-Huda"), ("الفرسان", "Al-Fursan"), ("الشام", "Al-Sham"), ("سبأ", "Saba"),
    ("حضرموت", "Hadramawt"), ("عدن", "Aden"), ("الوطن", "Al-Watan"), ("الأندلس", "Al-Andalus"), ("الربيع", "Al-Rabee"),
    ("السنابل", "Al-Sanabel"), ("الندى", "Al-Nada"), ("الضياء", "Al-Diyaa"), ("التقوى", "Al-Taqwa"), ("الكوثر", "Al-Kawthar"),
    ("الرسالة", "Al-Risala"), ("البيادر", "Al-Bayader"), ("العودة", "Al-Awda"), ("الصمود", "Al-Sumud"), ("النخيل", "Al-Nakheel"),
]  # fmt: skip
SUFFIXES = ["للتجارة العامة", "للمواد الغذائية", "للصناعات الغذائية", "للاستيراد والتصدير", "والخدمات", "الحديث", "الحديثة"]
FAMILY_FIRMS = ["وأولاده", "وإخوانه", "وشركاه"]

HAMZA_ON_ALEF = str.maketrans("أإآ", "ااا")
HARAKAT = "\u064e\u064f\u0650\u0652"  # fatha, damma, kasra, sukun
NON_JOINING = set("اأإآدذرزوؤةءى ")
JOINED_PREFIX = re.compile(r"^(عبد|أبو|ابو|بن) ")
END_TA_MARBUTA = re.compile(r"ة\b")
END_ALEF_MAQSURA = re.compile(r"ى\b")


def _entries(text: str) -> list[tuple[str, list[str]]]:
    """[(Arabic, [Latin spellings])] from «Arabic=Latin/Latin; …» text."""
    out = []
    for item in re.split(r"[;\n]", text):
        if item.strip():
            arabic, latin = item.split("=")
            out.append((arabic.strip(), [s.strip() for s in latin.split("/")]))
    return out


def _zipf(n: int, exponent: float) -> list[float]:
    """Cumulative weights for n items, the first the most frequent."""
    total, cumulative = 0.0, []
    for rank in range(1, n + 1):
        total += 1 / rank**exponent
        cumulative.append(total)
    return cumulative


def palestinian_id(rng: random.Random) -> str:
    """A 9-digit Palestinian ID whose last digit checks the others (as rules.clean_national_id verifies)."""
    body = f"{rng.choice('489')}{rng.randrange(10**7):07d}"
    total = 0
    for i, ch in enumerate(body):
        product = int(ch) * (1 + i % 2)
        total += product - 9 if product > 9 else product
    return body + str((10 - total % 10) % 10)


class Speller:
    """The spellings a name is really stored in, sampled once per name so that each row only picks one."""

    SAMPLES = 40

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.cache: dict[str, list[str]] = {}

    def spell(self, name: str) -> str:
        choices = self.cache.get(name)
        if choices is None:
            choices = self.cache[name] = [self._variant(name) for _ in range(self.SAMPLES)]
        return self.rng.choice(choices)

    def _variant(self, name: str) -> str:
        rng = self.rng
        if rng.random() < 0.03:  # with harakat, as on some printed forms
            name = VOCALISED.get(name) or self._vocalise(name)
        if rng.random() < 0.30:  # hamza left off the alef (the most common difference)
            name = name.translate(HAMZA_ON_ALEF)
        if rng.random() < 0.15:
            name = END_TA_MARBUTA.sub("ه", name)
        if rng.random() < 0.25:
            name = END_ALEF_MAQSURA.sub("ي", name)
        if rng.random() < 0.35:  # عبد الله → عبدالله, أبو شعبان → أبوشعبان
            name = JOINED_PREFIX.sub(r"\1", name)
        if rng.random() < 0.01:
            name = self._tatweel(name)
        return name

    def _vocalise(self, name: str) -> str:
        return "".join(ch + (self.rng.choice(HARAKAT) if ch != " " and self.rng.random() < 0.5 else "") for ch in name)

    def _tatweel(self, name: str) -> str:
        spots = [i for i in range(1, len(name) - 1) if name[i] not in NON_JOINING and name[i + 1] != " "]
        if not spots:
            return name
        i = self.rng.choice(spots)
        return name[: i + 1] + "ـ" + name[i + 1 :]


class NameBook:
    """Weighted name lists with their Latin spellings."""

    def __init__(self, entries: list[tuple[str, list[str]]], exponent: float):
        self.names = [arabic for arabic, _ in entries]
        self.latin = dict(entries)
        self.cumulative = _zipf(len(entries), exponent)

    def pick(self, rng: random.Random) -> str:
        return rng.choices(self.names, cum_weights=self.cumulative)[0]


class BulkInsert:
    """Batched INSERTs of plain dicts into a model's table: every concrete column, defaults for the missing ones.

    Model instances and the ORM's insert compiler cost more than the database itself at this volume. Rows take
    explicit ids where given (so owners can point at people without reading ids back); `finish` moves the
    table's id sequence past them on databases that have one.
    """

    def __init__(self, model):
        self.model = model
        now = timezone.now()
        ops = connection.ops
        self.fields = list(model._meta.concrete_fields)
        self.columns = [f.attname for f in self.fields]
        self.defaults, self.adapters = {}, {}
        for field in self.fields:
            if isinstance(field, models.DateTimeField):
                default = ops.adapt_datetimefield_value(now if field.auto_now or field.auto_now_add else field.get_default())
            else:
                default = field.get_db_prep_save(field.get_default(), connection)
            self.defaults[field.attname] = default
            if isinstance(field, models.DateTimeField):
                self.adapters[field.attname] = ops.adapt_datetimefield_value
            elif isinstance(field, models.DateField):
                self.adapters[field.attname] = ops.adapt_datefield_value
            elif isinstance(field, models.DecimalField):
                self.adapters[field.attname] = ops.adapt_decimalfield_value

    def next_id(self) -> int:
        return (self.model.objects.aggregate(top=models.Max("id"))["top"] or 0) + 1

    def __call__(self, rows: list[dict]) -> None:
        if not rows:
            return
        columns = [c for c in self.columns if c != "id" or "id" in rows[0]]
        quote = connection.ops.quote_name
        sql = "INSERT INTO {} ({}) VALUES ({})".format(
            quote(self.model._meta.db_table), ", ".join(quote(c) for c in columns), ", ".join(["%s"] * len(columns))
        )
        defaults, adapters = self.defaults, self.adapters
        values = []
        for row in rows:
            record = []
            for column in columns:
                if column in row:
                    value = row[column]
                    if value is not None and column in adapters:
                        value = adapters[column](value)
                else:
                    value = defaults[column]
                record.append(value)
            values.append(record)
        with connection.cursor() as cursor:
            cursor.executemany(sql, values)

    def finish(self) -> None:
        statements = connection.ops.sequence_reset_sql(no_style(), [self.model])
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


class Command(BaseCommand):
    help = (
        "Generate synthetic people and enterprises for benchmarks (e.g. --people 500000 --enterprises 200000), spread over "
        "--organisations generated organisations: in the demo networks if load_demo ran, else in a generated network «bench». "
        "Generated data bypasses the services and the audit log on purpose: it is synthetic benchmark data, written with bulk "
        "inserts. Never run it on a database with real records."
    )

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=10_000)
        parser.add_argument("--enterprises", type=int, default=4_000)
        parser.add_argument("--organisations", type=int, default=50, help="Generated organisations to spread the records over.")
        parser.add_argument("--seed", type=int, default=None, help="Random seed, for the same data every run.")

    def handle(self, *args, people: int, enterprises: int, organisations: int, seed, verbosity: int = 1, **options):
        if people < 0 or enterprises < 0 or organisations < 1:
            raise CommandError("Counts must be positive, with at least one organisation.")
        self.verbosity = verbosity
        self.rng = random.Random(seed)
        self.speller = Speller(self.rng)
        self.male, self.female = NameBook(_entries(MALE), 0.9), NameBook(_entries(FEMALE), 0.85)
        self.families = {c: NameBook(_entries(t), 0.7) for c, t in (("PS", FAMILY_PS), ("SY", FAMILY_SY), ("YE", FAMILY_YE))}
        self.families_latin = {k: v for book in self.families.values() for k, v in book.latin.items()}
        isic = json.loads(ISIC_DATA.read_text(encoding="utf-8"))
        self.sections = {d["code"]: s["code"] for s in isic for d in s["divisions"]}  # division -> section
        self.used_ids: set[str] = set()
        self.streets = STREETS.split()
        self.today = timezone.localdate()
        started = time.monotonic()
        vendor = connection.vendor
        bulk = vendor == "sqlite" and not connection.in_atomic_block
        if bulk:  # a bulk load: no fsync, a large page cache; the connection goes back to normal afterwards
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA synchronous=OFF")
                cursor.execute("PRAGMA cache_size=-262144")
                cursor.execute("PRAGMA temp_store=MEMORY")
        try:
            with transaction.atomic():
                orgs = self._organisations(organisations)
                owners = self._people(orgs, people, started)
                self._enterprises(orgs, owners, enterprises, started)
            self._say(f"Committed in {time.monotonic() - started:.1f} s; updating the planner's statistics")
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        finally:
            if bulk:
                with connection.cursor() as cursor:
                    cursor.execute("PRAGMA synchronous=NORMAL")
        self._say(f"Generated {people:,} people and {enterprises:,} enterprises in {len(orgs)} organisations ({vendor}) in "
                  f"{time.monotonic() - started:.1f} s.")  # fmt: skip

    def _say(self, text: str) -> None:
        if self.verbosity:
            self.stdout.write(text)

    # --- organisations ---------------------------------------------------------------------------

    def _organisations(self, count: int) -> list[Organisation]:
        """`count` generated chambers, bench-001…: spread over the demo networks, or in a generated network «bench»."""
        networks = list(Network.objects.filter(slug__in=DEMO_NETWORKS).order_by("id"))
        if networks:
            roots = {o.network_id: o for o in Organisation.objects.filter(network__in=networks, parent__isnull=True).order_by("-id")}
            homes = [(n, roots.get(n.id)) for n in networks]
        else:
            network, _ = Network.objects.get_or_create(
                slug="bench",
                defaults={"name_ar": "شبكة بيانات الاختبار", "name_en": "Generated benchmark network", "kind": Network.Kind.HELPDESK},
            )
            homes = [(network, None)]
        orgs = []
        for i in range(count):
            network, parent = homes[i % len(homes)]
            country = parent.country if parent else BENCH_COUNTRIES[i % len(BENCH_COUNTRIES)]
            governorates = sorted(code for code in GOVERNORATES_AR if code.startswith(country + "-"))
            governorate = governorates[(i // len(homes)) % len(governorates)]
            place = GOVERNORATES_AR[governorate].split(" (")[0]
            org, _ = Organisation.objects.get_or_create(
                slug=f"bench-{i + 1:03d}",
                defaults={
                    "network": network,
                    "parent": parent,
                    "kind": Organisation.Kind.CHAMBER,
                    "country": country,
                    "governorate": governorate,
                    "name_ar": f"غرفة تجارة وصناعة {place} – مكتب {i + 1}",
                    "name_en": f"Generated chamber {i + 1}",
                },
            )
            orgs.append(org)
        self._say(f"{len(orgs)} organisations in {len({o.network_id for o in orgs})} network(s)")
        return orgs

    # --- people ----------------------------------------------------------------------------------

    def _phone(self, country: str, mobile: bool = True) -> str:
        rng = self.rng
        if mobile:
            return f"+{COUNTRY_CODES[country]}{rng.choice(MOBILE_PREFIXES[country])}{rng.randrange(10**7):07d}"
        prefix = rng.choice(LANDLINE_PREFIXES[country])
        rest = LANDLINE_DIGITS[country] - len(prefix)
        return f"+{COUNTRY_CODES[country]}{prefix}{rng.randrange(10**rest):0{rest}d}"

    def _national_id(self, id_type: str) -> str:
        rng = self.rng
        while True:
            if id_type == "ps_id":
                value = palestinian_id(rng)
            elif id_type in ("sy_id", "ye_id"):
                value = f"{rng.randrange(1, 10)}{rng.randrange(10**10):010d}"
            elif id_type == "unrwa":
                value = f"{rng.randrange(10**9, 10**10)}"
            else:
                value = f"{rng.choice('ANPRS')}{rng.randrange(10**7):07d}"
            if value not in self.used_ids:
                self.used_ids.add(value)
                return value

    def _latin(self, names: list[str]) -> str:
        rng, parts = self.rng, []
        for name in names:
            spellings = self.male.latin.get(name) or self.female.latin.get(name) or self.families_latin.get(name)
            if not spellings:
                return ""
            latin = rng.choice(spellings)
            if latin.startswith("Al-") and rng.random() < 0.3:
                latin = rng.choice([latin[3:], "El-" + latin[3:], "Al" + latin[3:].lower()])
            parts.append(latin)
        text = " ".join(parts)
        return text.upper() if rng.random() < 0.1 else text

    def _place(self, org: Organisation) -> tuple[str, str]:
        rng = self.rng
        if rng.random() < 0.6:
            governorate = org.governorate
        else:
            governorate = rng.choice([c for c in GOVERNORATES_AR if c.startswith(org.country + "-")])
        towns = LOCALITIES.get(governorate)
        town = rng.choice(towns.split()).replace("_", " ") if towns else GOVERNORATES_AR[governorate].split(" (")[0]
        return governorate, town

    def _street(self) -> str:
        return self.rng.choice(self.streets).replace("_", " ")

    def _person(self, org: Organisation, pk: int) -> dict:
        rng, spell = self.rng, self.speller.spell
        country = org.country
        female = rng.random() < 0.47
        first = (self.female if female else self.male).pick(rng)
        father, grandfather = self.male.pick(rng), self.male.pick(rng)
        home = country if rng.random() < 0.9 else rng.choice(COUNTRIES)
        family = self.families[home].pick(rng)
        id_type = rng.choices(*NATIONAL_ID[country])[0]
        age_days = int((16 + 54 * rng.betavariate(1.6, 3.2)) * 365.25) + rng.randrange(365)
        governorate, town = self._place(org)
        displaced = governorate in GAZA or country != "PS"
        latin = self._latin([first, father, family]) if rng.random() < 0.35 else ""
        person = {
            "id": pk,
            "organisation_id": org.id,
            "first_name": spell(first),
            "father_name": spell(father),
            "grandfather_name": spell(grandfather) if rng.random() < 0.85 else "",
            "family_name": spell(family),
            "name_latin": latin,
            "id_type": id_type,
            "national_id": self._national_id(id_type) if id_type else "",
            "gender": "female" if female else "male",
            "birth_date": self.today - datetime.timedelta(days=age_days) if rng.random() < 0.95 else None,
            "phone": self._phone(country) if rng.random() < 0.9 else "",
            "phone_alt": self._phone(country, mobile=rng.random() < 0.7) if rng.random() < 0.15 else "",
            "email": f"{latin.split()[0].lower()}.{rng.randrange(1000, 99999)}@example.com" if latin and rng.random() < 0.3 else "",
            "education": rng.choices(EDUCATION, EDUCATION_WEIGHTS)[0],
            "has_disability": rng.random() < 0.06,
            "war_injured": rng.random() < (0.06 if displaced and country == "PS" else 0.015),
            "displacement": rng.choices(DISPLACEMENT, DISPLACED_WEIGHTS if displaced else RESIDENT_WEIGHTS)[0],
            "employment": rng.choices(EMPLOYMENT, EMPLOYMENT_WEIGHTS)[0],
            "governorate": governorate,
            "locality": town,
            "address": f"شارع {self._street()}" if rng.random() < 0.6 else "",
        }
        person["search_text"] = rules.person_search_text(SimpleNamespace(**person))
        return person

    def _people(self, orgs: list[Organisation], count: int, started: float) -> dict[int, list[tuple[int, bool, datetime.date | None]]]:
        """Insert the people; returns, per organisation, (id, is_female, birth_date) of each, to pick enterprise owners from."""
        owners: dict[int, list] = {o.id: [] for o in orgs}
        insert = BulkInsert(Person)
        pk = insert.next_id()
        done = 0
        while done < count:
            batch = []
            for _ in range(min(BATCH, count - done)):
                batch.append(self._person(self.rng.choice(orgs), pk))
                pk += 1
            insert(batch)
            for p in batch:
                owners[p["organisation_id"]].append((p["id"], p["gender"] == "female", p["birth_date"]))
            done += len(batch)
            if done % 50_000 == 0 or done == count:
                self._say(f"people {done:,}/{count:,} ({time.monotonic() - started:.1f} s)")
        insert.finish()
        return owners

    # --- enterprises -----------------------------------------------------------------------------

    def _employees(self) -> tuple[int, int, int, int, str]:
        rng = self.rng
        band = rng.choices([(1, 4), (5, 9), (10, 19), (20, 49), (50, 200)], [70, 17, 8, 4, 1])[0]
        total = rng.randint(*band)
        part = int(total * rng.random() * 0.4)
        full = total - part
        women_share = rng.betavariate(1.2, 2.5)
        wf, wp = round(full * women_share), round(part * women_share)
        revenue = rng.choices(Enterprise.Revenue.values, REVENUE_BY_SIZE[band[0]])[0] if rng.random() < 0.8 else ""
        return wf, full - wf, wp, part - wp, revenue

    def _enterprise(self, org: Organisation, people: list, pk: int) -> tuple[dict, list[tuple[int, str, Decimal | None]]]:
        rng, spell = self.rng, self.speller.spell
        country = org.country
        prefix_ar, prefix_en, division, forms = rng.choice(ACTIVITIES)
        owners = []
        if people and rng.random() < 0.95:
            picked = rng.sample(people, 2) if rng.random() < 0.15 and len(people) > 1 else [rng.choice(people)]
            share = Decimal(100 // len(picked)) if len(picked) > 1 and rng.random() < 0.7 else None
            owners = [(pid, "owner" if i == 0 else "partner", share, female, born) for i, (pid, female, born) in enumerate(picked)]
        family = self.families[country].pick(rng)
        word, word_en = rng.choice(GOOD_WORDS)
        if rng.random() < 0.45:  # named after the family, or a good word
            name_ar, name_en = f"{prefix_ar} {spell(family)}", f"{self.families_latin[family][0]} {prefix_en}"
            if rng.random() < 0.2:
                name_ar += " " + rng.choice(FAMILY_FIRMS)
        else:
            name_ar, name_en = f"{prefix_ar} {spell(word)}", f"{word_en} {prefix_en}"
        if rng.random() < 0.25:
            name_ar += " " + rng.choice(SUFFIXES)
        legal_form = rng.choice(forms.split())
        if legal_form in ("informal", "home_based"):
            status = rng.choices(["informal", "idea", "closed"], [88, 8, 4])[0]
        else:
            status = rng.choices(["registered", "suspended", "closed", "informal"], [86, 4, 4, 6])[0]
        registered = status in ("registered", "suspended", "closed") and legal_form not in ("informal", "home_based")
        founded = self.today - datetime.timedelta(days=rng.randrange(30, 40 * 365))
        member = org.kind == Organisation.Kind.CHAMBER and registered and rng.random() < 0.6
        wf, mf, wp, mp, revenue = self._employees()
        governorate, town = self._place(org)
        shares = [None if share is None else float(share) for _, _, share, _, _ in owners]
        youth_age = self.youth_age[org.network_id]
        enterprise = {
            "id": pk,
            "organisation_id": org.id,
            "name_ar": name_ar,
            "name_en": name_en if rng.random() < 0.3 else "",
            "legal_form": legal_form,
            "status": status,
            "registration_number": f"{56 if country == 'PS' else 10}{rng.randrange(10**7):07d}" if registered else "",
            "registration_date": founded + datetime.timedelta(days=rng.randrange(0, 365)) if registered else None,
            "chamber_member": member,
            "chamber_id": org.id if member else None,
            "membership_number": f"{org.id}-{rng.randrange(1, 99999)}" if member else "",
            "isic_section": self.sections[division],
            "isic_division": division,
            "women_full_time": wf,
            "men_full_time": mf,
            "women_part_time": wp,
            "men_part_time": mp,
            "revenue_band": revenue,
            "size_class": rules.size_class(country=country, employees=wf + mf + wp + mp, revenue_band=revenue),
            "founded_on": founded,
            "governorate": governorate,
            "locality": town,
            "address": f"شارع {self._street()}" if rng.random() < 0.7 else "",
            "phone": self._phone(country, mobile=rng.random() < 0.6) if rng.random() < 0.85 else "",
            "email": f"info.{rng.randrange(10**6)}@example.com" if rng.random() < 0.2 else "",
            "women_owned": rules.held_by_majority([(o[3], s) for o, s in zip(owners, shares)]),
            "youth_owned": rules.held_by_majority([(o[4] is not None and self._age(o[4]) <= youth_age, s) for o, s in zip(owners, shares)]),
        }
        enterprise["search_text"] = rules.enterprise_search_text(SimpleNamespace(**enterprise))
        return enterprise, [(pid, role, share) for pid, role, share, _, _ in owners]

    def _age(self, born: datetime.date) -> int:
        today = self.today
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))

    def _enterprises(self, orgs: list[Organisation], people: dict, count: int, started: float) -> None:
        missing = {division for _, _, division, _ in ACTIVITIES} - set(self.sections)
        if missing:
            raise CommandError(f"ISIC divisions not in {ISIC_DATA.name}: {sorted(missing)}")
        self.youth_age = dict(Network.objects.filter(organisations__in=orgs).values_list("id", "youth_max_age"))
        insert, insert_owners, insert_changes = BulkInsert(Enterprise), BulkInsert(Ownership), BulkInsert(StatusChange)
        pk = insert.next_id()
        done = 0
        while done < count:
            rows = []
            for _ in range(min(BATCH, count - done)):
                org = self.rng.choice(orgs)
                rows.append(self._enterprise(org, people[org.id], pk))
                pk += 1
            insert([e for e, _ in rows])
            insert_owners([{"enterprise_id": e["id"], "person_id": p, "role": r, "share": s} for e, owners in rows for p, r, s in owners])
            insert_changes([{"enterprise_id": e["id"], "from_status": "", "to_status": e["status"]} for e, _ in rows])
            done += len(rows)
            if done % 50_000 == 0 or done == count:
                self._say(f"enterprises {done:,}/{count:,} ({time.monotonic() - started:.1f} s)")
        insert.finish()
