"""Generate a large synthetic registry (people and enterprises) to measure search and list pages.

Names are real Palestinian, Syrian and Yemeni first and family names, weighted so that common names
are common, and stored in the spellings people really type: with or without hamza on alef, ة or ه,
ى or ي, «عبد الله» or «عبدالله», sometimes with harakat or tatweel. Search text, size class and
women/youth ownership are derived by the same rules as the services.

Generated data bypasses the services and the audit log on purpose: it is synthetic benchmark data,
written with bulk inserts so that 500,000 people take minutes, not hours.
"""

import bisect
import contextlib
import datetime
import itertools
import json
import math
import random
import re
import time
from decimal import Decimal
from types import SimpleNamespace

from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from shubbak.helpdesk.services import add_months
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
        "Generate synthetic data for benchmarks: people and enterprises (e.g. --people 500000 --enterprises 200000) and "
        "helpdesk cases (--cases 1000000), spread over --organisations generated organisations: in the demo networks if "
        "load_demo ran, else in a generated network «bench». With --cases, each organisation gets a desk, a coordinator and "
        "officers, a working calendar with the lunar holidays, and its network the default service catalogue if it has none; "
        "the cases come with their requested services, timelines, sessions, outcomes, ratings and follow-ups. Generated data "
        "bypasses the services and the audit log on purpose (no notification, no audit entry per row): it is synthetic "
        "benchmark data, written with bulk inserts. Never run it on a database with real records."
    )

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=None,
                            help="People to add: 10,000 by default; with --cases, enough for one person per 5 cases.")  # fmt: skip
        parser.add_argument("--enterprises", type=int, default=None,
                            help="Enterprises to add: 4,000 by default; with --cases, enough for one per 12 cases.")  # fmt: skip
        parser.add_argument("--cases", type=int, default=0, help="Helpdesk cases to add, received over the last three years.")
        parser.add_argument("--organisations", type=int, default=50, help="Generated organisations to spread the records over.")
        parser.add_argument("--seed", type=int, default=None, help="Random seed, for the same data every run.")

    def handle(self, *args, people, enterprises, cases: int, organisations: int, seed, verbosity: int = 1, **options):
        if (people or 0) < 0 or (enterprises or 0) < 0 or cases < 0 or organisations < 1:
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
        made = {}
        try:
            with transaction.atomic():
                orgs = self._organisations(organisations)
                if people is None:
                    people = max(0, cases // 5 - Person.objects.filter(organisation__in=orgs).count()) if cases else 10_000
                if enterprises is None:
                    enterprises = max(0, cases // 12 - Enterprise.objects.filter(organisation__in=orgs).count()) if cases else 4_000
                owners = self._people(orgs, people, started)
                self._enterprises(orgs, owners, enterprises, started)
                if cases:
                    made = CaseGenerator(self, orgs, started).run(cases)
            self._say(f"Committed in {time.monotonic() - started:.1f} s; updating the planner's statistics")
            with connection.cursor() as cursor:
                # On PostgreSQL also VACUUM: until the visibility map is set, an index-only count reads the table too
                # (the desk dashboard took 130 ms instead of 40 on a freshly generated million cases).
                vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block  # (not in a caller's transaction)
                cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
        finally:
            if bulk:
                with connection.cursor() as cursor:
                    cursor.execute("PRAGMA synchronous=NORMAL")
        helpdesk = (f", {made['cases']:,} cases with {made['events']:,} timeline entries, {made['services']:,} requested services, "
                    f"{made['sessions']:,} sessions and {made['follow_ups']:,} follow-ups" if made else "")  # fmt: skip
        self._say(f"Generated {people:,} people, {enterprises:,} enterprises{helpdesk} in {len(orgs)} organisations ({vendor}) "
                  f"in {time.monotonic() - started:.1f} s.")  # fmt: skip

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


# --- Helpdesk cases (--cases) -----------------------------------------------------------------------------------

CASE_BATCH = 2_000
CASE_YEARS = 3
LONG_TIMELINE_EVERY = 500  # every 500th case that got under way has 50+ timeline entries (the case page benchmark)
DAY = 86_400
STAFF_DOMAIN = "shubbak.example"
WEEKEND_BY_COUNTRY = {"PS": "fri", "SY": "fri_sat", "YE": "fri_sat"}
WEEKEND_BY_GOVERNORATE = {"PS-BTH": "fri_sun"}  # Bethlehem's desks close on Sunday too
LUNAR_HOLIDAYS = {  # Eid al-Fitr, Eid al-Adha (with Arafat day), Hijri new year, the Prophet's birthday
    2023: ["04-21", "04-22", "04-23", "06-27", "06-28", "06-29", "06-30", "07-19", "09-27"],
    2024: ["04-10", "04-11", "04-12", "06-15", "06-16", "06-17", "06-18", "07-07", "09-15"],
    2025: ["03-30", "03-31", "04-01", "06-05", "06-06", "06-07", "06-08", "06-26", "09-04"],
    2026: ["03-20", "03-21", "03-22", "05-26", "05-27", "05-28", "05-29", "06-16", "08-25"],
    2027: ["03-10", "03-11", "03-12", "05-15", "05-16", "05-17", "05-18", "06-06", "08-14"],
}
LUNAR_NAMES = ["عيد الفطر"] * 3 + ["عيد الأضحى"] * 4 + ["رأس السنة الهجرية", "المولد النبوي"]
SERVICE_WEIGHTS = {  # how often each default service is asked for; the others weigh 1
    "business-registration": 12, "licences": 8, "management-advice": 8, "business-plan": 8, "legal-advice": 6,
    "loan-application": 10, "financing-referral": 6, "grants": 8, "formalisation": 5, "trademark-registration": 3,
    "marketing-plan": 5, "online-presence": 4, "entrepreneurship-training": 6, "job-matching": 4, "productive-families": 4,
}  # fmt: skip
IMPACT = {  # service code → the outcome field it can lead to
    "business-registration": "business_registered", "licences": "business_registered", "trademark-registration": "trademark_registered",
    "formalisation": "formalised", "tax-registration": "formalised", "home-based-licence": "formalised",
    "loan-application": "financing", "financing-referral": "financing", "grants": "financing",
    "marketing-plan": "market", "fairs": "market", "buyer-matching": "market", "export-markets": "market", "export-readiness": "market",
    "e-commerce": "market", "job-matching": "jobs", "staff-recruitment": "jobs", "self-employment": "jobs",
}  # fmt: skip


class Weighted:
    """Values drawn with fixed weights (`random.choices` adds the weights up again on every call)."""

    def __init__(self, values, weights):
        self.values, self.cumulative = list(values), list(itertools.accumulate(weights))
        self.total = self.cumulative[-1]

    def pick(self, rng: random.Random):
        return self.values[bisect.bisect_right(self.cumulative, rng.random() * self.total)]


CHANNELS = Weighted(["web", "walk_in", "phone", "field_visit", "email", "api"], [35, 30, 20, 7, 5, 3])
CHANNELS_ON_REST_DAYS = Weighted(["web", "api", "email"], [80, 10, 10])
STAFF_CHANNELS = {"walk_in", "phone", "field_visit"}
HEARD_FROM = Weighted(["social", "friend", "chamber", "partner", "event", "media", "field", "other"], [35, 20, 15, 10, 8, 5, 4, 3])
CAMPAIGNS = ["حملة منشأتي على فيسبوك", "معرض المنتجات المحلية", "يوم الريادة في الجامعة", "ورشة الغرفة التجارية", "إذاعة محلية"]
PRIORITIES = Weighted(["low", "normal", "high", "urgent"], [15, 65, 15, 5])
OUTCOMES = Weighted(["served", "partly_served", "not_eligible", "withdrew"], [68, 14, 9, 9])
CURRENCIES = {
    "PS": Weighted(["ILS", "USD", "JOD"], [50, 30, 20]),
    "SY": Weighted(["SYP", "USD"], [30, 70]),
    "YE": Weighted(["YER", "USD"], [40, 60]),
}
PER_DOLLAR = {"ILS": 3.6, "USD": 1, "JOD": 0.7, "EUR": 0.9, "SYP": 13_000, "YER": 530}
MARKETS = ["السوق الأردني", "أسواق الخليج", "المتاجر الكبرى المحلية", "السوق الإلكتروني", "أسواق الضفة الغربية", "السوق الأوروبي"]
SUBJECTS = ["طلب {}", "استفسار عن {}", "المساعدة في {}", "{}", "أرغب في {}"]
DESCRIPTIONS = [
    "أعمل في هذا المجال منذ سنوات وأحتاج إلى المساعدة في تطوير عملي.",
    "مشروعي صغير ويعمل من المنزل، وأريد أن أعرف الخطوات المطلوبة.",
    "تضرر المشروع في الفترة الأخيرة وأحتاج إلى دعم لإعادة تشغيله.",
    "نريد التوسع وتشغيل عاملين جدد، ونحتاج إلى استشارة.",
    "لدي فكرة مشروع وأحتاج إلى من يساعدني في البدء.",
    "راجعت الغرفة سابقاً وطُلب مني تقديم الطلب من خلال المكتب.",
]
NOTES = [
    "تم الاتصال بالعميل وتحديد موعد.", "المستندات ناقصة: صورة الهوية.", "تمت مراجعة الملف مع المنسق.",
    "العميل مؤهل للخدمة حسب المعايير.", "تم التواصل مع الجهة الشريكة.", "بانتظار رد البلدية.",
    "زيارة ميدانية مقررة الأسبوع القادم.", "تم تحديث بيانات المنشأة في السجل.",
]  # fmt: skip
MESSAGES_OUT = [
    "مرحباً، استلمنا طلبكم وسيتواصل معكم الموظف المختص.", "يرجى إرسال صورة الهوية وشهادة التسجيل.",
    "تم تحديد موعد لجلسة استشارية يوم الأحد الساعة العاشرة.", "نرجو تأكيد رقم الهاتف للتواصل.",
    "تم إنجاز المطلوب، يرجى مراجعة المكتب لاستلام الوثائق.",
]  # fmt: skip
MESSAGES_IN = ["شكراً، سأرسل المستندات غداً.", "أرسلت المستندات المطلوبة.", "هل يمكن تغيير الموعد؟", "متى يصبح الطلب جاهزاً؟"]
WAITING_REASONS = ["بانتظار المستندات من العميل", "بانتظار رد العميل", "العميل مسافر حتى نهاية الشهر", ""]
SERVICES_WANTED = Weighted([1, 2, 3], [60, 30, 10])
SESSIONS_HELD = Weighted([0, 1, 2, 3], [50, 35, 12, 3])
RATINGS = Weighted([5, 4, 3, 2, 1], [45, 30, 13, 7, 5])
EXTRA_KINDS = Weighted(["note", "message_out", "message_in"], [60, 25, 15])
SESSION_MINUTES = [30, 45, 60, 60, 90, 120]
SESSION_TOPICS = ["جلسة استشارية", "مراجعة المستندات", "متابعة الإجراءات", "تحضير الطلب", "زيارة ميدانية للمنشأة", "مراجعة الخطة"]
SESSION_MODES = Weighted(["in_person", "phone", "online", "field"], [50, 25, 15, 10])
OUTCOME_NOTES = ["تم تقديم الخدمة كاملة.", "حصل العميل على الوثائق المطلوبة.", "أحيل العميل إلى الجهة المختصة.", "لم تستكمل المستندات."]
RATING_COMMENTS = ["خدمة ممتازة وتعامل راقٍ", "شكراً لكم على المتابعة", "تأخر الرد قليلاً", "استفدت كثيراً من الجلسات", "لم تحل مشكلتي"]
STATUS_DATA: dict[tuple, str] = {}
FOLLOW_UP_NOTES = ["المشروع مستمر ويعمل بشكل جيد", "تم تشغيل عامل جديد", "ما زال العميل يبحث عن تمويل", "زادت المبيعات بعد المعرض"]
STALE_STAGES = Weighted(["new", "triaged", "assigned", "in_progress", "waiting"], [8, 10, 17, 25, 40])
CASE_COLUMNS = [
    "id", "organisation_id", "desk_id", "code", "status", "priority", "channel", "heard_from", "campaign", "subject", "description",
    "person_id", "enterprise_id", "contact_name", "contact_phone", "contact_email", "assigned_to_id", "created_by_id",
    "idempotency_key", "created_at", "updated_at", "first_response_due", "resolution_due", "first_response_at", "paused_at",
    "paused_seconds", "due_soon_notified_at", "escalated_at", "resolved_at", "closed_at", "outcome", "outcome_note",
    "business_registered", "trademark_registered", "formalised", "jobs_women", "jobs_men", "financing_amount",
    "financing_currency", "new_market", "rating", "rating_comment", "rated_at",
]  # fmt: skip
EVENT_COLUMNS = ["case_id", "kind", "actor_id", "text", "data", "created_at"]
CASE_SERVICE_COLUMNS = ["case_id", "service_id", "delivery", "status", "note"]
SESSION_COLUMNS = ["id", "case_id", "organisation_id", "service_id", "staff_id", "date", "minutes", "mode", "topic", "notes", "created_at"]
FOLLOW_UP_COLUMNS = ["id", "case_id", "organisation_id", "assigned_to_id", "due_on", "done_at", "note"]


def staff_email(organisation_slug: str, role: str, number: int = 0) -> str:
    """The e-mail of a generated staff member: bench-001-coordinator@…, bench-001-officer-3@…"""
    return f"{organisation_slug}-{role}{f'-{number}' if number else ''}@{STAFF_DOMAIN}"


class RowWriter:
    """Rows of database-ready values (in `columns` order) into a table: executemany on SQLite, COPY on PostgreSQL."""

    def __init__(self, model, columns: list[str]):
        known = {f.column for f in model._meta.concrete_fields}
        if set(columns) - known:
            raise CommandError(f"Not columns of {model._meta.db_table}: {sorted(set(columns) - known)}")
        required = {f.column for f in model._meta.concrete_fields if not f.null and not f.primary_key}
        if required - set(columns):
            raise CommandError(f"Columns of {model._meta.db_table} without a value: {sorted(required - set(columns))}")
        quote = connection.ops.quote_name
        table, names = quote(model._meta.db_table), ", ".join(quote(c) for c in columns)
        self.model = model
        self.postgres = connection.vendor == "postgresql"
        if self.postgres:
            self.sql = f"COPY {table} ({names}) FROM STDIN"
        else:
            self.sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
        self.count, self.seconds = 0, 0.0

    def __call__(self, rows: list[tuple]) -> None:
        if not rows:
            return
        started = time.perf_counter()
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(self.sql) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(self.sql, rows)
        self.count += len(rows)
        self.seconds += time.perf_counter() - started

    def next_id(self) -> int:
        return (self.model.objects.aggregate(top=models.Max("id"))["top"] or 0) + 1

    def finish(self) -> None:
        """Move the id sequence past the ids given explicitly (PostgreSQL)."""
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [self.model]):
                cursor.execute(sql)


@contextlib.contextmanager
def foreign_keys_checked_at_the_end(models_: list) -> None:
    """On PostgreSQL, the tables' foreign keys dropped during a bulk load and added back after it, in its transaction.

    Django's foreign keys there are DEFERRABLE INITIALLY DEFERRED: each inserted row queues a check (and its memory) that
    runs at commit, row by row; adding the constraint back checks all the rows in one join instead.
    """
    if connection.vendor != "postgresql":
        yield
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) ORDER BY conrelid, conname",
            [[m._meta.db_table for m in models_]],
        )
        constraints = cursor.fetchall()
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # a table with checks still pending cannot be altered
        for table, name, _ in constraints:
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's default
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the referenced tables (people, desks …) are altered too
        for table, name, definition in constraints:
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@contextlib.contextmanager
def case_text_index_filled_at_the_end() -> None:
    """On SQLite, the trigram index over case subjects (helpdesk migrations 0002–0003) filled once after the bulk load.

    Its insert trigger costs about 100 µs a case, as FTS5 keeps merging its segments; one 'rebuild' indexes a million
    subjects in about 12 s. The triggers are put back as they were, in the same transaction.
    """
    from shubbak.helpdesk.selectors import case_text_index

    if not case_text_index():
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'helpdesk_case' AND name LIKE 'helpdesk_case_fts_%'"
        )
        triggers = cursor.fetchall()
        for name, _ in triggers:
            cursor.execute(f"DROP TRIGGER {connection.ops.quote_name(name)}")
    yield
    if not triggers:  # the index is not there (migrations before 0002)
        return
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO helpdesk_case_fts(helpdesk_case_fts) VALUES ('rebuild')")
        for _, sql in triggers:
            cursor.execute(sql)


class LocalDays:
    """The project zone's days from `first_day`: when each begins, as UTC seconds (a day when the clocks change lasts
    23 or 25 hours), and moments written as the database stores them. Moments are whole UTC seconds since the epoch."""

    def __init__(self, first_day: datetime.date, days: int, postgres: bool):
        from zoneinfo import ZoneInfo

        from django.conf import settings

        zone = ZoneInfo(settings.TIME_ZONE)
        self.first_day = first_day
        self.days = [first_day + datetime.timedelta(days=d) for d in range(days + 1)]
        self.starts = [int(datetime.datetime.combine(day, datetime.time(), tzinfo=zone).timestamp()) for day in self.days]
        self.iso_days = [d.isoformat() for d in self.days]
        suffix = "+00" if postgres else ""  # SQLite stores naive UTC text, as Django writes it
        self.clock_times = [f" {h:02d}:{m:02d}:{s:02d}{suffix}" for h in range(24) for m in range(60) for s in range(60)]
        self.utc_days: dict[int, str] = {}

    def day(self, moment: int) -> int:
        """The index of the local day the moment falls on."""
        return bisect.bisect_right(self.starts, moment) - 1

    def text(self, moment: int | None) -> str | None:
        """The moment as the database stores it (UTC)."""
        if moment is None:
            return None
        day, seconds = divmod(moment, DAY)
        date = self.utc_days.get(day)
        if date is None:
            date = self.utc_days[day] = datetime.date.fromordinal(719163 + day).isoformat()  # 719163: 1970-01-01
        return date + self.clock_times[seconds]

    def date(self, moment: int) -> str:
        return self.iso_days[self.day(moment)]


class WorkClock:
    """`Calendar.add_working_seconds` of one organisation on whole seconds, its working days looked up in a table."""

    def __init__(self, calendar, days: LocalDays):
        self.working = bytes(calendar.is_working_day(day) for day in days.days)
        self.starts = days.starts

    def add(self, moment: int, seconds: float) -> int:
        starts, working = self.starts, self.working
        day = bisect.bisect_right(starts, moment) - 1
        remaining = int(seconds)
        while True:
            if working[day]:
                begin = moment if moment > starts[day] else starts[day]
                available = starts[day + 1] - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
            day += 1

    def is_working(self, moment: int) -> bool:
        return bool(self.working[bisect.bisect_right(self.starts, moment) - 1])


class Desks(SimpleNamespace):
    """One generated organisation's helpdesk: desks, staff, calendar clock, clients and catalogue."""


class CaseGenerator:
    """Cases with their requested services, timelines, sessions and follow-ups, written in bulk, oldest first."""

    def __init__(self, command, orgs: list[Organisation], started: float):
        self.command, self.rng, self.started = command, command.rng, started
        self.postgres = connection.vendor == "postgresql"
        self.today = timezone.localdate()
        first_day = self.today - datetime.timedelta(days=365 * CASE_YEARS + 7)
        self.time = LocalDays(first_day, (self.today - first_day).days + 4 * 365, self.postgres)
        self.now = int(time.time())
        self.start = self.now - 365 * CASE_YEARS * DAY
        self.orgs = orgs
        self.catalogues = self._catalogues(orgs)
        self.desks = [self._desk(org) for org in orgs]
        # a few big chambers and many small offices; bench-001 is one of the busiest
        weights = [2.0] + [0.4 + (i * 37 % 100) / 62 for i in range(1, len(orgs))]
        self.cum_weights = list(itertools.accumulate(weights))
        self.code_step = self.rng.randrange(10**15, 10**16) * 31 + 1  # coprime with 31: the code is a bijection of the id
        self.code_offset = self.rng.randrange(31**12)

    # --- set-up: catalogue, desks, staff, calendars ------------------------------------------------------------

    def _catalogues(self, orgs) -> dict[int, list]:
        from shubbak.helpdesk.catalogue import catalogue_load
        from shubbak.helpdesk.models import Service

        found = {}
        for network_id in sorted({o.network_id for o in orgs}):
            network = Network.objects.get(pk=network_id)
            if not Service.objects.filter(network=network, is_active=True).exists():
                catalogue_load(actor=None, network=network)
            services = list(Service.objects.filter(network=network, is_active=True).order_by("id"))
            found[network_id] = SimpleNamespace(
                services=services, cum_weights=list(itertools.accumulate(SERVICE_WEIGHTS.get(s.code, 1) for s in services))
            )
        return found

    def _desk(self, org: Organisation) -> Desks:
        from django.contrib.auth.hashers import make_password

        from shubbak.accounts.models import User
        from shubbak.helpdesk import calendars
        from shubbak.helpdesk.models import Holiday, WorkingCalendar
        from shubbak.organisations.models import Desk, Membership

        place = GOVERNORATES_AR.get(org.governorate, "").split(" (")[0]
        desk, _ = Desk.objects.get_or_create(
            organisation=org,
            kind=Desk.Kind.HELPDESK,
            defaults={"name_ar": f"مكتب منشأتي – {place}", "name_en": f"Helpdesk {org.slug}", "governorate": org.governorate},
        )
        index = int(org.slug.rsplit("-", 1)[-1]) if org.slug.rsplit("-", 1)[-1].isdigit() else 1
        officers = max(3, 8 - index % 6)

        def member(role: str, number: int = 0):
            female = self.rng.random() < 0.45
            name = " ".join([(self.command.female if female else self.command.male).pick(self.rng), self.command.male.pick(self.rng),
                             self.command.families[org.country].pick(self.rng)])  # fmt: skip
            user, _ = User.objects.get_or_create(
                email=staff_email(org.slug, role, number), defaults={"full_name": name, "password": make_password(None)}
            )
            Membership.objects.get_or_create(user=user, organisation=org, defaults={"role": role, "desk": desk})
            return user.pk, user.full_name

        coordinator = member(Membership.Role.COORDINATOR)
        staff = [member(Membership.Role.OFFICER, k) for k in range(1, officers + 1)]
        weekend = WEEKEND_BY_GOVERNORATE.get(org.governorate, WEEKEND_BY_COUNTRY.get(org.country, "fri"))
        setting, _ = WorkingCalendar.objects.get_or_create(organisation=org, defaults={"weekend": weekend})
        Holiday.objects.bulk_create(
            [
                Holiday(organisation=org, date=datetime.date.fromisoformat(f"{year}-{day}"), name=name)
                for year, days in LUNAR_HOLIDAYS.items()
                for day, name in zip(days, LUNAR_NAMES)
            ],
            ignore_conflicts=True,
        )
        calendar = calendars.Calendar(  # as services.calendar_for builds it
            rest_days=calendars.WEEKENDS[setting.weekend],
            holidays=frozenset(Holiday.objects.filter(organisation=org).values_list("date", flat=True)),
            country=org.country if setting.national_holidays else "",
        )
        people = list(Person.objects.filter(organisation=org, merged_into__isnull=True).order_by("id").values_list("id", flat=True))
        owned = dict(
            Ownership.objects.filter(enterprise__organisation=org, person__organisation=org, role="owner").values_list(
                "person_id", "enterprise_id"
            )
        )
        return Desks(
            org=org,
            desk_id=desk.pk,
            coordinator=coordinator,
            officers=staff,
            officer_weights=list(itertools.accumulate(1 + (k % 3) for k in range(len(staff)))),  # some officers carry more
            calendar=calendar,
            clock=WorkClock(calendar, self.time),
            people=people,
            owned=owned,
            catalogue=self.catalogues[org.network_id],
        )

    # --- the cases -----------------------------------------------------------------------------------------------

    def run(self, count: int) -> dict[str, int]:
        from shubbak.helpdesk.models import Case, CaseEvent, CaseService, FollowUp, Session

        self.cases, self.events = RowWriter(Case, CASE_COLUMNS), RowWriter(CaseEvent, EVENT_COLUMNS)
        self.services, self.sessions = RowWriter(CaseService, CASE_SERVICE_COLUMNS), RowWriter(Session, SESSION_COLUMNS)
        self.follow_ups = RowWriter(FollowUp, FOLLOW_UP_COLUMNS)
        pk, self.session_pk, self.follow_up_pk = self.cases.next_id(), self.sessions.next_id(), self.follow_ups.next_id()
        self.under_way = 0  # cases that got under way so far
        self.command._say(f"{len(self.orgs)} helpdesks with {sum(len(d.officers) + 1 for d in self.desks)} staff; "
                          f"{sum(len(d.people) for d in self.desks):,} people to serve")  # fmt: skip
        with foreign_keys_checked_at_the_end([Case, CaseEvent, CaseService, Session, FollowUp]), case_text_index_filled_at_the_end():
            self._write(count, pk)
            finishing = time.monotonic()
        self.command._say(f"{'foreign keys checked' if self.postgres else 'subject index filled'} in {time.monotonic() - finishing:.1f} s")
        for writer in (self.cases, self.sessions, self.follow_ups):
            writer.finish()
        writers = (self.cases, self.events, self.services, self.sessions, self.follow_ups)
        self.command._say("writing: " + ", ".join(f"{w.model._meta.db_table} {w.seconds:.1f} s" for w in writers))
        return {
            "cases": self.cases.count,
            "events": self.events.count,
            "services": self.services.count,
            "sessions": self.sessions.count,
            "follow_ups": self.follow_ups.count,
        }

    def _write(self, count: int, pk: int) -> None:
        done = 0
        while done < count:
            size = min(CASE_BATCH, count - done)
            drawn = sorted((self._received(done + i, count) for i in range(size)), key=lambda d: d[1])
            self.batch = SimpleNamespace(cases=[], events=[], services=[], sessions=[], follow_ups=[])
            names = self._client_names(drawn)
            for desks, created, channel, person in drawn:
                self._case(pk, desks, created, channel, person, names)
                pk += 1
            b = self.batch
            self.cases(b.cases)
            self.services(b.services)
            self.sessions(b.sessions)
            self.follow_ups(b.follow_ups)
            self.events(b.events)
            done += size
            if done % 50_000 == 0 or done == count:
                self.command._say(f"cases {done:,}/{count:,}, timeline entries {self.events.count:,} "
                                  f"({time.monotonic() - self.started:.1f} s)")  # fmt: skip

    def _received(self, k: int, count: int) -> tuple:
        """When case k of count came in (more requests every year), where, how, and from whom."""
        rng = self.rng
        q = (k + rng.random()) / count
        u = (math.sqrt(1 + 8 * q) - 1) / 2  # the volume grows: three times as many requests now as three years ago
        desks = self.desks[bisect.bisect_left(self.cum_weights, rng.random() * self.cum_weights[-1])]
        moment = self.start + int(u * (self.now - self.start))
        day = self.time.day(moment)
        open_day = desks.clock.is_working(moment)
        channel = (CHANNELS if open_day else CHANNELS_ON_REST_DAYS).pick(rng)
        if channel in STAFF_CHANNELS:
            seconds = rng.randrange(8 * 3600, 15 * 3600 + 1800)
        else:
            seconds = rng.randrange(6 * 3600, 23 * 3600)
        created = min(self.time.starts[day] + seconds, self.now - rng.randrange(60, 1800))
        person = desks.people[rng.randrange(len(desks.people))] if desks.people and rng.random() < 0.95 else None
        return desks, created, channel, person

    def _client_names(self, drawn) -> dict[int, tuple]:
        """The name, phone and e-mail a client gave on the public form (the person's own), for this batch."""
        wanted = {person for _, _, channel, person in drawn if person and channel in ("web", "api", "email")}
        rows = Person.objects.filter(id__in=wanted).values_list("id", "first_name", "father_name", "family_name", "phone", "email")
        return {pk: (f"{first} {father} {family}".replace("  ", " "), phone, email) for pk, first, father, family, phone, email in rows}

    def _case(self, pk: int, desks: Desks, created: int, channel: str, person: int | None, names: dict) -> None:
        rng, clock, now, text = self.rng, desks.clock, self.now, self.time.text
        random = rng.random
        catalogue = desks.catalogue
        wanted = SERVICES_WANTED.pick(rng)
        services = []
        for _ in range(wanted):
            service = catalogue.services[bisect.bisect_left(catalogue.cum_weights, random() * catalogue.cum_weights[-1])]
            if service not in services:
                services.append(service)
        first_days = min(s.first_response_days for s in services)
        resolution_days = min(s.resolution_days for s in services)
        first_response_due = clock.add(created, first_days * DAY)
        resolution_due = clock.add(created, resolution_days * DAY)
        officer_id, officer_name = desks.officers[bisect.bisect_left(desks.officer_weights, random() * desks.officer_weights[-1])]
        coordinator_id, _ = desks.coordinator
        taken_by = (officer_id if random() < 0.8 else coordinator_id) if channel in STAFF_CHANNELS else None

        # the plan: when each step would happen (working days after the one before); the clock decides what did
        def after(moment: int, low: float, high: float) -> int:
            return clock.add(moment, (low + (high - low) * random()) * DAY)

        def lognormal(moment: int, median_days: float, sigma: float) -> int:
            return clock.add(moment, min(median_days * math.exp(rng.gauss(0, sigma)), 120) * DAY)

        triage = after(created, 0.02, 0.6) if random() < 0.35 else None
        junk = random() < 0.05  # spam and duplicates are closed at triage, unassigned
        assign = respond = start = wait = resume = resolve = None
        by_session = False
        outcome = ""
        waited = 0  # working seconds
        if junk:
            triage = triage or after(created, 0.02, 0.4)
            resolve = after(triage, 0.01, 0.5)
            outcome = "duplicate" if random() < 0.6 else "spam"
        else:
            assign = lognormal(triage or created, 0.3, 0.8)
            respond = lognormal(assign, 0.4, 1.0)
            by_session = random() < 0.45
            start = respond if by_session else after(respond, 0.0, 1.0)
            work_from = start
            if random() < 0.25:
                wait = after(start, 0.3, 3)
                if random() < 0.3:  # the client never came back
                    waited = int((5 + 10 * random()) * DAY)
                    resolve = clock.add(wait, waited)
                    outcome = "no_response"
                else:
                    waited = int(min(2 * math.exp(rng.gauss(0, 0.7)), 30) * DAY)
                    resume = work_from = clock.add(wait, waited)
            if resolve is None:
                resolve = lognormal(work_from, 5, 0.7)
                outcome = OUTCOMES.pick(rng)
        close = lognormal(resolve, 1.2, 1.0) if random() < 0.96 else None  # a few resolved cases are never closed
        # some cases stall and stay open, more of the recent ones
        age_days = (now - created) / DAY
        if not junk and random() < 0.3 * math.exp(-age_days / 150) + 0.035:
            stage = STALE_STAGES.pick(rng)
            resolve = close = None
            outcome = ""
            if stage == "new":
                triage = assign = respond = start = wait = resume = None
            elif stage == "triaged":
                triage = triage or after(created, 0.02, 0.6)
                assign = start = wait = resume = None
                respond = respond if random() < 0.5 and not by_session else None
            elif stage == "assigned":
                start = wait = resume = None
                respond = respond if random() < 0.6 and not by_session else None
            elif stage == "in_progress" and resume is None:
                wait = None
            elif stage == "waiting":
                wait = wait or after(start, 0.3, 3)
                resume = None
        # what has happened by now: the steps come one after the other, so a step still to come has none after it
        triage, assign, respond, start, wait, resume, resolve, close = (
            None if moment is None or moment > now else moment for moment in (triage, assign, respond, start, wait, resume, resolve, close)
        )
        status = "new"
        steps = [(triage, "triaged"), (assign, "assigned"), (start, "in_progress"), (wait, "waiting"), (resume, "in_progress"),
                 (resolve, "resolved"), (close, "closed")]  # fmt: skip
        for moment, reached in steps:
            if moment is not None:
                status = reached
        if resolve is None:
            outcome = ""
        if start is None:
            by_session = False
        if resume is None and outcome != "no_response":
            waited = 0  # no pause ended yet: the clock stopped at `wait` and nothing was added
        if waited:
            resolution_due = clock.add(resolution_due, waited)
        resolved_at = resolve if status in ("resolved", "closed") else None
        closed_at = close if status == "closed" else None
        running_until = resolved_at if resolved_at is not None else (wait if status == "waiting" else now)
        escalated = min(resolution_due + rng.randrange(60, 900), now) if resolution_due < running_until and resolution_due < now else None
        warned = resolution_due - DAY + 300
        due_soon = warned if assign is not None and assign <= warned < running_until and warned <= now else None
        assigned_to = officer_id if assign is not None else None

        # outcome and impact
        impact = {"business_registered": False, "trademark_registered": False, "formalised": False, "jobs_women": 0, "jobs_men": 0,
                  "financing_amount": None, "financing_currency": "", "new_market": "", "outcome_note": ""}  # fmt: skip
        if outcome in ("served", "partly_served"):
            for service in services:
                kind = IMPACT.get(service.code)
                if kind in ("business_registered", "trademark_registered", "formalised") and random() < 0.7:
                    impact[kind] = True
                elif kind == "financing" and random() < 0.45:
                    currency = CURRENCIES.get(desks.org.country, CURRENCIES["PS"]).pick(rng)
                    dollars = min(8000 * math.exp(rng.gauss(0, 0.9)), 200_000)
                    impact["financing_amount"] = f"{round(dollars * PER_DOLLAR[currency], -2):.2f}"
                    impact["financing_currency"] = currency
                elif kind == "market" and random() < 0.3:
                    impact["new_market"] = rng.choice(MARKETS)
                elif kind == "jobs" and random() < 0.5:
                    impact["jobs_women"], impact["jobs_men"] = rng.randint(0, 3), rng.randint(1, 3)
            if random() < 0.12 and not impact["jobs_men"]:
                impact["jobs_women"], impact["jobs_men"] = rng.randint(0, 2), rng.randint(0, 2)
        if outcome and random() < 0.5:
            impact["outcome_note"] = rng.choice(OUTCOME_NOTES)
        rating = rated_at = None
        rating_comment = ""
        if closed_at is not None and random() < 0.35:
            moment = closed_at + rng.randrange(600, 6 * DAY)
            if moment <= now:
                rating, rated_at = RATINGS.pick(rng), moment
                rating_comment = rng.choice(RATING_COMMENTS) if random() < 0.3 else ""

        # timeline, sessions, follow-ups
        events = []
        actor = officer_id

        def event(moment: int, kind: str, by: int | None, words: str = "", data: str = "{}") -> None:
            events.append((moment, kind, by, words, data))  # data as JSON text: json.dumps per entry costs more than the rest

        def status_event(moment: int, action: str, before: str, to: str, by: int | None, words: str = "") -> None:
            data = STATUS_DATA.get((action, before, to))
            if data is None:
                data = STATUS_DATA[(action, before, to)] = json.dumps({"action": action, "before": before, "after": to})
            event(moment, "status", by, words, data)

        event(created, "created", taken_by, "", f'{{"channel": "{channel}", "services": [{", ".join(str(s.pk) for s in services)}]}}')
        if triage is not None:
            status_event(triage, "triage", "new", "triaged", coordinator_id)
        if assign is not None:
            by = officer_id if random() < 0.3 else coordinator_id
            event(assign, "assigned", by, "", json.dumps({"previous": "", "assignee": officer_name}))
        end = resolved_at if resolved_at is not None else now
        session_times = []
        if start is not None:
            count = SESSIONS_HELD.pick(rng)
            if by_session:
                session_times.append(respond)
                count = max(0, count - 1)
            session_times += sorted(start + int((end - start) * random()) for _ in range(count))
        if respond is not None and not by_session:
            event(respond, "message_out", officer_id if assign is not None else coordinator_id, rng.choice(MESSAGES_OUT))
        if start is not None:
            status_event(start, "start", "assigned", "in_progress", officer_id)
        for moment in session_times:
            service = rng.choice(services)
            minutes = rng.choice(SESSION_MINUTES)
            mode = SESSION_MODES.pick(rng)
            topic = f"{rng.choice(SESSION_TOPICS)}: {service.name_ar}"[:200]
            self.batch.sessions.append((self.session_pk, pk, desks.org.id, service.pk, officer_id, self.time.date(moment), minutes, mode,
                                        topic, rng.choice(NOTES) if random() < 0.4 else "", text(moment)))  # fmt: skip
            event(moment, "session", officer_id, topic, f'{{"session": {self.session_pk}, "minutes": {minutes}, "mode": "{mode}"}}')
            self.session_pk += 1
        if wait is not None:
            status_event(wait, "wait", "in_progress", "waiting", officer_id, rng.choice(WAITING_REASONS))
            if resume is not None:
                event(resume - 60, "message_in", None, rng.choice(MESSAGES_IN))
                status_event(resume, "resume", "waiting", "in_progress", None)
        if escalated is not None:
            event(escalated, "escalated", None)
        if resolved_at is not None:
            before = "waiting" if outcome == "no_response" else ("triaged" if junk else "in_progress")
            status_event(resolved_at, "resolve", before, "resolved", actor if not junk else coordinator_id)
            event(resolved_at, "outcome", actor if not junk else coordinator_id, "", f'{{"outcome": "{outcome}"}}')
        if closed_at is not None:
            status_event(closed_at, "close", "resolved", "closed", actor if not junk else coordinator_id)
        if rated_at is not None:
            event(rated_at, "rated", None, rating_comment, f'{{"rating": {rating}}}')
        if closed_at is not None and outcome in ("served", "partly_served") and random() < 0.3:
            closed_day = self.time.days[self.time.day(closed_at)]
            for months in (3, 6):
                due_on = add_months(closed_day, months)
                done_at = None
                if due_on < self.today and random() < 0.75:
                    moment = (
                        self.time.starts[(due_on - self.time.first_day).days] + rng.randrange(9 * 3600, 15 * 3600) + rng.randrange(20) * DAY
                    )
                    done_at = moment if moment <= now else None
                note = rng.choice(FOLLOW_UP_NOTES) if done_at else ""
                self.batch.follow_ups.append((self.follow_up_pk, pk, desks.org.id, officer_id, due_on.isoformat(), text(done_at), note))
                if done_at is not None:
                    event(done_at, "follow_up", officer_id, note, f'{{"follow_up": {self.follow_up_pk}}}')
                self.follow_up_pk += 1
        last = max(moment for moment, *_ in events)
        extra = 0 if len(events) >= 3 else 3 - len(events)
        if start is not None:
            self.under_way += 1  # (counted, not read off the id: the ids start wherever the table's last one ended)
            if self.under_way % LONG_TIMELINE_EVERY == 0:
                extra += 46 + rng.randrange(10)
        if extra:
            first = assign or triage or created
            until = max(last, first + 1)
            for _ in range(extra):
                moment = first + int((until - first) * random())
                kind = EXTRA_KINDS.pick(rng) if start is not None else "note"
                words = rng.choice(NOTES if kind == "note" else MESSAGES_OUT if kind == "message_out" else MESSAGES_IN)
                event(moment, kind, None if kind == "message_in" else officer_id if assign else coordinator_id, words)
        for moment, kind, by, words, data in events:
            self.batch.events.append((pk, kind, by, words, data, text(moment)))

        # the case and its requested services
        if status in ("resolved", "closed"):
            delivered = {"served": "delivered", "partly_served": None}.get(outcome, "not_delivered")
        else:
            delivered = "in_progress" if status == "in_progress" else "requested"
        for i, service in enumerate(services):
            state = delivered or ("delivered" if i == 0 else rng.choice(["delivered", "not_delivered"]))
            if delivered == "in_progress" and i:
                state = "requested"
            how = "in_house" if service.in_house else ("expert" if service.by_expert else "partner")
            self.batch.services.append((pk, service.pk, how, state, ""))
        contact_name, contact_phone, contact_email = names.get(person, ("", "", "")) if person else ("", "", "")
        if person is None:
            contact_name = f"{self.command.male.pick(rng)} {self.command.families[desks.org.country].pick(rng)}"
            contact_phone = self.command._phone(desks.org.country)
        enterprise = desks.owned.get(person) if person and random() < 0.7 else None
        heard = HEARD_FROM.pick(rng) if channel in ("web", "api") or random() < 0.6 else ""
        subject = rng.choice(SUBJECTS).format(services[0].name_ar)
        if len(services) > 1:
            subject += f" و{services[1].name_ar}"
        self.batch.cases.append((
            pk, desks.org.id, desks.desk_id if random() < 0.9 else None, self._code(pk), status, PRIORITIES.pick(rng), channel,
            heard, rng.choice(CAMPAIGNS) if heard and random() < 0.08 else "", subject[:200],
            rng.choice(DESCRIPTIONS) if random() < 0.7 else "", person, enterprise, contact_name[:200], contact_phone, contact_email,
            assigned_to, taken_by, None, text(created), text(max(last, created)), text(first_response_due), text(resolution_due),
            text(respond), text(wait if status == "waiting" else None), waited, text(due_soon), text(escalated), text(resolved_at),
            text(closed_at), outcome, impact["outcome_note"], impact["business_registered"], impact["trademark_registered"],
            impact["formalised"], impact["jobs_women"], impact["jobs_men"], impact["financing_amount"], impact["financing_currency"],
            impact["new_market"], rating, rating_comment, text(rated_at),
        ))  # fmt: skip

    def _code(self, pk: int) -> str:
        """A tracking code that looks random, drawn as a bijection of the id so that no two cases share one."""
        from shubbak.helpdesk.models import TRACKING_ALPHABET, TRACKING_LENGTH

        value = (pk * self.code_step + self.code_offset) % 31**TRACKING_LENGTH
        digits = []
        for _ in range(TRACKING_LENGTH):
            value, digit = divmod(value, 31)
            digits.append(TRACKING_ALPHABET[digit])
        return "".join(digits)
