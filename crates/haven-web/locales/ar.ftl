# نصوص واجهة Haven للموظفين والجمهور — العربية (الفصحى المعاصرة).
# يحمل هذا الملف معرّفات الرسائل نفسها الموجودة في en.ftl؛ ويتحقق اختبار من ذلك.
# ملاحظة: الأحرف الخفية U+2066/U+2069 (عزل الاتجاه من اليسار إلى اليمين) تحيط بالأمثلة
# والقيم ذات الاتجاه اللاتيني (كالتاريخ والوقت ورقم الهاتف) حتى تُعرض بترتيبها الصحيح.

language-name = العربية
language = اللغة
change = تغيير
skip-to-content = الانتقال إلى المحتوى
nav-label = القائمة الرئيسية
nav-home = الرئيسية
nav-persons = الأشخاص
nav-stats = الأرقام
nav-organisations = المنظمات
nav-users = حسابات الموظفين
nav-audit = سجل التدقيق
nav-account = حسابي
sign-in = تسجيل الدخول
sign-out = تسجيل الخروج
verify = تحقّق
search = بحث
save = حفظ
cancel = إلغاء
back-home = العودة إلى صفحة البداية
not-recorded = غير مسجَّل
demo-banner = الوضع التجريبي: جميع البيانات هنا وهمية. لا تُدخل بيانات أشخاص حقيقيين.
form-has-errors = يُرجى تصحيح ما يلي:

## الموقع العام (Public site)

## تسجيل الدخول (Sign-in)
login-title = تسجيل الدخول
login-demo-note = هذا تثبيت تجريبي: يمكن للحسابات التجريبية تسجيل الدخول دون عامل تحقق ثانٍ. أما التثبيت الفعلي فيطلبه دائمًا.
totp-title = أدخل رمز التحقق
totp-intro = افتح تطبيق المصادقة على هاتفك، وأدخل الرمز المكوّن من ستة أرقام الذي يعرضه لـ Haven.
hint-code = ستة أرقام، مثلًا ⁦123456⁩.
enrol-title = إعداد عامل التحقق الثاني
enrol-intro = قبل أن تتمكن من استخدام Haven، اربط تطبيق مصادقة (مثل FreeOTP أو Aegis) بحسابك. امسح الرمز بالتطبيق، أو اكتب المفتاح الظاهر أدناه، ثم أدخل الرمز المكوّن من ستة أرقام الذي يعرضه التطبيق.
enrol-qr-label = رمز QR لمسحه بتطبيق المصادقة
enrol-secret = المفتاح لكتابته يدويًا:

## الصفحة الرئيسية (Home)
home-title = البداية
home-welcome = مرحبًا، ⁨{ $name }⁩
home-your-roles = أدوارك:
home-admin = الإدارة
home-no-persons = لا يتيح لك دورك الاطلاع على معلومات الأشخاص.
stats-open = عرض الأرقام

## الحساب (Account)
account-second-factor = عامل التحقق الثاني
account-totp-on = تم إعداد تطبيق المصادقة
account-totp-off = لم يتم إعداده بعد
account-reset-note = هل فقدت هاتفك؟ اطلب من أحد مسؤولي النظام إعادة تعيين عامل التحقق الثاني؛ وستُعِدّ عاملًا جديدًا عند تسجيل دخولك التالي.

## الأدوار (Roles)
role-administrator = مسؤول النظام
role-case_manager = مدير حالة
role-legal_counsellor = مستشار قانوني
role-outreach_worker = عامل ميداني
role-shelter_coordinator = منسّق مأوى
role-hub_officer = موظف مركز الإبلاغ
role-partner_staff = موظف لدى جهة شريكة
role-analyst = محلّل
role-team_lead = رئيس فريق
role-editor = محرر
role-police_liaison = منسّق الاتصال مع الشرطة

## الأشخاص (Persons)
person-register = تسجيل شخص
person-edit = تعديل البيانات
person-erase = محو بيانات هذا الشخص
person-erase-explain = يُتلف مفتاح بياناته: لن يتمكن أحد بعد ذلك من قراءة السجل والملاحظات وأسباب الإحالات. تبقى الملفات والإحالات دون اسم. لا يمكن التراجع عن ذلك.
person-erase-confirm = طلب الشخص ذلك، أو انتهت مدة حفظ بياناته؛ امحُها الآن
person-unnamed = شخص بلا اسم مسجَّل
person-minimal-note = سجّل فقط ما يلزم لتقديم المساعدة. يمكن ترك أي حقل فارغًا، ولا يُطلب أي رقم هوية.
person-updated = آخر تعديل: ⁦{ $when }⁩ (UTC)
persons-recent = آخر التعديلات
persons-results = نتائج البحث: { $count }
persons-none-found = لم يُعثر على أي شخص. جرّب تهجئة أخرى، أو جزءًا من الاسم، أو الاسم المستعار.
persons-none-yet = لم يُسجَّل أي شخص بعد.
birth-about = نحو عام { $year }
hint-name = بأي أبجدية وبأي ترتيب؛ ويُعثر أيضًا على الصيغ المختلفة لتهجئة الاسم.
hint-birth_date = سنة-شهر-يوم، مثلًا ⁦1994-03-21⁩. اتركه فارغًا إن كان غير معروف.
hint-list = افصل بين القيم المتعددة بفاصلة لاتينية (,).
hint-q = اسم أو اسم مستعار بأي تهجئة، أو رقم هاتف.

gender-female = أنثى
gender-male = ذكر
gender-non_binary = غير ثنائي الجنس
gender-unknown = غير مذكور

status-undocumented = بدون وثائق إقامة
status-rejected_asylum_seeker = طالب لجوء رُفض طلبه
status-dublin_claimant = خاضع لإجراءات دبلن
status-asylum_seeker = طالب لجوء
status-recognised_refugee = لاجئ معترف به
status-eu_citizen_without_rights = مواطن من الاتحاد الأوروبي لا يحق له الحصول على المساعدة
status-transit = في مرحلة عبور
status-unknown = غير معروف

## أسماء الحقول (Field names)
field-username = اسم المستخدم
field-password = كلمة المرور
field-code = رمز التحقق
field-display_name = الاسم المعروض
field-org_id = المنظمة
field-roles = الأدوار
field-name = الاسم
field-alias = الاسم المستعار
field-birth = الميلاد
field-birth_date = تاريخ الميلاد
field-birth_year = سنة الميلاد (تقريبية)
field-gender = الجنس
field-nationalities = الجنسيات
field-languages = اللغات
field-phone = الهاتف
field-residence_status = وضع الإقامة
field-notes = ملاحظات
field-q = البحث بالاسم
field-version = الإصدار
field-kind = النوع
field-lang = اللغة

## الأخطاء (Errors)
title-400 = هناك خطأ في الطلب
title-401 = يُرجى تسجيل الدخول
title-403 = غير مسموح
title-404 = غير موجود
title-409 = عُدِّل في هذه الأثناء
title-410 = مُحيت البيانات
title-422 = يُرجى مراجعة ما أدخلته
title-500 = حدث خطأ ما
title-503 = لم يُحفظ شيء: التخزين غير متاح
err-unauthenticated = يُرجى تسجيل الدخول أولًا.
err-forbidden = لا يسمح لك دورك بذلك.
err-not-found = لا يوجد شيء هنا، أو أنه غير مُتاح لمنظمتك.
err-invalid = بعض الحقول تحتاج إلى تصحيح.
err-erased = مُحيت بيانات هذا الشخص، ولم يعد بالإمكان الاطلاع عليها.
err-erase-confirm = ضع علامة في المربع لتأكيد المحو؛ لم يُمحَ شيء.
err-internal = حدث خطأ من جهتنا. يُرجى المحاولة مرة أخرى؛ وإذا تكرر ذلك، فأبلغ مسؤول النظام.
err-unavailable = لم يُحفظ أي شيء: تخزين Haven غير متاح الآن (مثلاً لأن القرص ممتلئ). يُرجى المحاولة مرة أخرى بعد بضع دقائق؛ وإذا تكرر ذلك، فأبلغ مسؤول النظام.
err-stale = عدّل شخص آخر هذا السجل أثناء تحريرك له. افتحه مرة أخرى لرؤية النسخة الحالية، ثم أجرِ تعديلك.
err-required = هذا الحقل مطلوب.
err-too-long = النص طويل جدًا.
err-control-chars = يحتوي هذا على أحرف لا يمكن حفظها؛ يُرجى حذفها.
err-length-2-200 = استخدم ما بين 2 و200 حرف.
err-choice = اختر أحد الخيارات المعروضة.
err-date = اكتب التاريخ بصيغة سنة-شهر-يوم، مثلًا ⁦1994-03-21⁩.
err-date-nonexistent = هذا التاريخ غير موجود: تحقق من اليوم والشهر، مثلاً ⁦1994-02-28⁩.
err-date-range = يجب أن يكون التاريخ بعد عام 1900، وألا يكون في المستقبل.
err-year = اكتب سنة بين 1900 والسنة الحالية، مثلًا 1994.
err-birth-both = أدخل إما تاريخ الميلاد الدقيق أو سنة تقريبية، لا كليهما.
err-list-item = يجب ألا يتجاوز كل إدخال 60 حرفًا.
err-list-long = 10 إدخالات على الأكثر.
err-phone = اكتب رقم هاتف يتكوّن من 6 إلى 20 رقمًا، مثلًا ⁦+31 6 1234 5678⁩.
err-search-empty = اكتب حرفًا أو رقمًا واحدًا على الأقل للبحث.
err-login-missing = أدخل اسم المستخدم وكلمة المرور.
err-login-failed = اسم المستخدم أو كلمة المرور غير صحيحة، أو أن الحساب معطَّل.
err-login-throttled = محاولات فاشلة كثيرة جدًا. انتظر خمس عشرة دقيقة، ثم حاول مرة أخرى.
err-code-wrong = هذا الرمز غير صحيح أو سبق استخدامه. أدخل الرمز الحالي من تطبيقك.
err-enrol-restart = استغرق إعداد عامل التحقق الثاني وقتًا طويلًا. يُرجى تسجيل الدخول مرة أخرى.
err-username = استخدم من 3 إلى 64 حرفًا: أحرفًا لاتينية صغيرة (a–z)، أو أرقامًا، أو نقطة، أو شَرطة (-)، أو شَرطة سفلية (_).
err-username-taken = اسم المستخدم هذا مستخدَم بالفعل.
err-name-taken = توجد بالفعل منظمة بهذا الاسم.
err-password-short = استخدم 10 أحرف على الأقل.
err-role-required = اختر دورًا واحدًا على الأقل.
err-disable-self = لا يمكنك تعطيل حسابك الخاص.
err-json = محتوى الطلب ليس بصيغة JSON صالحة بالشكل المتوقع:

## مشترك (Shared)
yes = نعم
no = لا
choose-one = اختر…

## المنظمات (Organisations)
org-new = منظمة جديدة
org-create = إضافة المنظمة
org-edit = تعديل المنظمة
orgs-none = لا توجد منظمات بعد.
hint-active = تبقى المنظمة غير النشطة محفوظة في السجلات، لكنها لا تُعرض بعد ذلك عند إنشاء حسابات الموظفين.
field-retention_months = مدة الاحتفاظ بالبيانات الشخصية (بالأشهر)
hint-retention_months = يُمحى الشخص الذي سجّلته هذه المنظمة عندما يمضي هذا العدد من الأشهر منذ آخر تغيير يخصّه، ما لم تكن له قضية أو إقامة في مأوى أو إحالة ما زالت مفتوحة. أشهر كاملة، من 1 إلى 120.
org-retention-due = { $count ->
        [0] لا يوجد الآن أي شخص من هذه المنظمة حان وقت محو بياناته.
        [one] حان الآن وقت محو بيانات شخص واحد من هذه المنظمة؛ ستمحوها الجولة التي تجري كل ساعة.
        *[other] حان الآن وقت محو بيانات { $count } من أشخاص هذه المنظمة؛ ستمحوها الجولة التي تجري كل ساعة.
    }
org-kind-municipal_department = إدارة بلدية
org-kind-ngo = منظمة غير حكومية
org-kind-shelter_operator = جهة مشغِّلة لمأوى
org-kind-health = الرعاية الصحية
org-kind-legal_aid = المساعدة القانونية
org-kind-police_liaison = الاتصال مع الشرطة
org-kind-other = أخرى
field-active = نشطة

## حسابات الموظفين (Staff accounts)
user-new = حساب موظف جديد
user-create = إنشاء الحساب
user-edit = تعديل حساب الموظف
users-none = لا توجد حسابات موظفين بعد.
user-totp-set-up = تم إعداد عامل التحقق الثاني
user-disabled = معطَّل
user-account-status = الحساب
user-status-enabled = مفعَّل
user-status-disabled = معطَّل: لا يستطيع هذا الشخص تسجيل الدخول.
hint-username = من 3 إلى 64 حرفًا: أحرف لاتينية صغيرة (a–z)، أو أرقام، أو نقطة، أو شَرطة (-)، أو شَرطة سفلية (_). لا يمكن تغييره لاحقًا.
hint-initial-password = 10 أحرف على الأقل. سلّمها إلى الزميل الجديد شخصيًا أو عبر الهاتف، ولا ترسلها أبدًا بالبريد الإلكتروني.
user-totp-note = يُعِدّ الزميل الجديد عامل التحقق الثاني الخاص به (تطبيق مصادقة) عند تسجيل دخوله لأول مرة.
user-disable = تعطيل الحساب
user-enable = تفعيل الحساب
user-disable-note = يؤدي التعطيل إلى تسجيل خروج هذا الشخص من كل مكان فورًا؛ ولا يمكنه تسجيل الدخول حتى يُفعَّل الحساب من جديد.
user-enable-note = يتيح التفعيل لهذا الشخص تسجيل الدخول مجددًا بكلمة المرور وعامل التحقق الثاني.
user-reset-totp = إعادة تعيين عامل التحقق الثاني
user-reset-note = عند فقدان الهاتف أو استبداله: يُسجَّل خروج الشخص، ويُعِدّ عامل تحقق ثانيًا جديدًا عند تسجيل دخوله التالي.

## سجل التدقيق (Audit log)
audit-intro = يُسجَّل هنا كل اطلاع على البيانات الشخصية وكل تعديل عليها، وكل إجراء إداري. لا يحتوي السجل إلا على المعرّفات والأدوار، دون أي بيانات شخصية.
audit-none = لا توجد أحداث مسجَّلة.
audit-seq = الرقم
audit-time = الوقت (UTC)
audit-actor = المنفِّذ (معرّف الحساب)
audit-actor-roles = أدوار المنفِّذ
audit-action = الإجراء
audit-object-type = نوع العنصر
audit-object-ids = معرّفات العناصر
audit-pages = صفحات سجل التدقيق
audit-older = أحداث أقدم
audit-newest = أحدث الأحداث

## الأرقام (Figures)
stats-intro = أعداد فقط، ولا يظهر أي شخص بعينه أبدًا. يُعرض كل عدد أقل من 5 على أنه «أقل من 5»، حتى لا يمكن التعرّف على أي أحد.
stats-fewer-than = أقل من { $count }
stats-withheld = محجوب (لأنه يكشف عدداً صغيراً)
stats-totals = المجاميع
stats-persons = الأشخاص المسجَّلون
stats-organisations = المنظمات
stats-staff = حسابات الموظفين النشطة
stats-by-org = حسب المنظمة
stats-col-persons = الأشخاص
stats-col-staff = الموظفون النشطون
stats-by-month = التسجيلات شهريًا (خلال السنة الماضية)
stats-month = الشهر
stats-registrations = التسجيلات
stats-no-months = لا توجد تسجيلات خلال السنة الماضية.

# الإيواء
nav-shelters = الإيواء
field-action = لم يُنفَّذ
field-neighbourhood = الحي
field-target_group = الفئة المستهدفة
field-capacity = الأماكن
field-operator_org = المنظمة المشغِّلة
field-priority = الأولوية
field-referral_source = جهة الإحالة
field-case_id = الملف
field-site_id = الموقع
field-place_id = المكان
field-placement_id = الشخص
field-reason = السبب
field-new_until = آخر يوم جديد للإقامة
field-requested_by = مقدِّم الطلب
hint-capacity = عدد الأماكن، من 1 إلى 1000. تُرقَّم الأماكن 1، 2، 3 …؛ يمكن أن يكبر الموقع ولكن لا يصغر.
hint-target_group = مثلاً: المشاركون في برنامج LVV، طالبو اللجوء بموجب دبلن.
hint-referral_source = من أحال الشخص، مثلاً فريق التواصل الميداني أو منظمة شريكة. دون بيانات شخصية.
hint-date = السنة-الشهر-اليوم، مثلاً ⁦2027-03-31⁩.
shelter-today = اليوم: ⁦{ $date }⁩
shelter-sites = المواقع
shelter-sites-configure = مواقع الإيواء
shelter-site-new = موقع إيواء جديد
shelter-site-edit = تعديل موقع الإيواء
shelter-no-sites = لا توجد مواقع إيواء بعد.
shelter-site = الموقع
shelter-place = المكان
shelter-place-n = المكان { $label }
shelter-places = الأماكن
shelter-taken = مشغول
shelter-free = شاغر
shelter-taken-hidden = مشغول؛ لا يحق لمنظمتك معرفة من يشغله
shelter-free-place = إنهاء هذه الإقامة
hint-free-place = لم يعد مسموحاً لمنظمتك أن ترى من يشغل هذا المكان. بعد مغادرته، أنهِ الإقامة هنا ليصبح المكان متاحاً من جديد؛ لن يُعرض شيء عنه.
shelter-free-n = { $count } شاغر
shelter-arrivals = الوافدون
shelter-departures = المغادرون
shelter-today-n = { $count } اليوم
shelter-week-n = { $count } هذا الأسبوع
shelter-ending = إقامات تقترب من نهايتها
shelter-ending-none = لم تبلغ أي إقامة نقطة تنبيه.
shelter-stay-until = آخر يوم
shelter-days-left = الأيام المتبقية
shelter-alert-col = تنبيه
shelter-alert = { $days ->
        [zero] بقي { $days } يوم أو أقل
        [one] بقي يوم واحد أو أقل
        [two] بقي يومان أو أقل
        [few] بقي { $days } أيام أو أقل
        [many] بقي { $days } يوماً أو أقل
        *[other] بقي { $days } يوم أو أقل
    }
shelter-stay-passed = انقضت المدة القصوى للإقامة
shelter-no-limit = بلا حد أقصى
shelter-admitted-on = تاريخ الدخول
shelter-waiting = قائمة الانتظار
shelter-waiting-none = لا أحد في الانتظار.
shelter-waiting-add = الإضافة إلى قائمة الانتظار
shelter-waiting-since = في الانتظار منذ
shelter-preferred-site = الموقع المفضَّل
shelter-any-site = أي موقع
shelter-no-candidates = لا يوجد ملف إيواء مفتوح بلا مكان أو قيد في قائمة الانتظار.
shelter-actions = الإجراءات
shelter-admit = إدخال
shelter-remove = الحذف من القائمة
shelter-discharge = إنهاء الإقامة
shelter-move = النقل
shelter-extend = تمديد الإقامة
shelter-extend-approve = الموافقة على التمديد
shelter-occupancy = نسبة الإشغال خلال الأشهر الاثني عشر الماضية
shelter-month = الشهر
shelter-average-taken = الأماكن المشغولة في الليلة (المتوسط)
shelter-rate = الإشغال
priority-1 = 1 – عاجل
priority-2 = 2 – مرتفع
priority-3 = 3 – عادي
discharge-moved = نُقل إلى مكان آخر
discharge-outcome = تحقق حل دائم
discharge-left = غادر
discharge-rule_breach = مخالفة قواعد الدار
discharge-stay_limit = بلغ المدة القصوى للإقامة
discharge-other = غير ذلك
err-place-taken = هذا المكان مشغول. اختر مكاناً شاغراً.
err-person-placed = لهذا الشخص مكان إيواء بالفعل. انقله أو أنهِ إقامته أولاً.
err-case-closed = هذا الملف مغلق.
err-programme-no-shelter = برنامج هذا الملف لا يشمل مكان إيواء.
err-stay-limit-reached = انقضت المدة القصوى للإقامة في برنامج هذا الملف. يلزم أولاً تمديد موافَق عليه.
err-already-discharged = انتهت هذه الإقامة بالفعل.
err-capacity = اكتب عدداً صحيحاً من الأماكن بين 1 و1000.
err-capacity-shrink = لا يمكن أن يقل عدد أماكن الموقع عمّا لديه؛ فللأماكن سجلها.
err-no-stay-limit = لا حد أقصى لهذه الإقامة، فلا شيء يُمدَّد.
err-extension-not-later = يجب أن يكون آخر يوم جديد بعد الحالي.
err-priority = اختر أولوية من 1 (عاجل) إلى 3 (عادي).
err-already-waiting = هذا الملف مدرج بالفعل في قائمة الانتظار.
err-not-waiting = هذا القيد لم يعد في الانتظار.
err-site-full = لا يوجد مكان شاغر في هذا الموقع.
shelter-extension-requests = طلبات التمديد
shelter-extension-requests-none = لا يوجد طلب تمديد ينتظر قراراً.
shelter-request-extension = طلب تمديد
shelter-approve = موافقة
shelter-refuse = رفض
err-extension-pending = يوجد بالفعل طلب تمديد لهذه الإقامة ينتظر قراراً.
err-extension-decided = سبق البت في هذا الطلب.

## Casework
nav-cases = ملفات الحالات
nav-programmes = البرامج
programmes-intro = البرنامج خدمة لها قواعدها الخاصة: المدة القصوى، والحد الأقصى لعدد الحالات لكل مدير حالة، وما إذا كان يشمل مكاناً في مأوى، والنتائج التي يحسبها.
programmes-none = لا توجد برامج بعد.
programme-new = برنامج جديد
programme-create = إضافة برنامج
programme-edit = تعديل البرنامج
programme-months = { $count ->
        [zero] { $count } شهر
        [one] شهر واحد
        [two] شهران
        [few] { $count } أشهر
        [many] { $count } شهراً
        *[other] { $count } شهر
    }
programme-no-limit = بلا حد
field-max_months = المدة القصوى (بالأشهر)
field-caseload_cap = الحد الأقصى للحالات لكل مدير حالة
field-includes_shelter = يشمل مكاناً في مأوى
field-outcomes = النتائج المحتسبة
field-alert_days = التنبيهات قبل نهاية الإقامة (بالأيام)
hint-max_months = أشهر كاملة؛ اتركه فارغاً إذا لم يكن للبرنامج حد أقصى.
hint-caseload_cap = عدد الحالات المفتوحة التي يجوز لمدير حالة واحد أن يتولاها في هذا البرنامج؛ 50 إذا ترك فارغاً.
hint-alert_days = أيام قبل اليوم الأخير، مفصولة بفواصل، مثلاً 90,30.
person-cases = الحالات
case-open = فتح حالة
case-open-intro = الاستقبال والفرز: اختر البرنامج وسجّل ما توصل إليه الفرز. يُسجَّل الوقت من الاستقبال حتى تعيين مدير الحالة.
case-person = الشخص
case-person-link = عرض بيانات الشخص
case-status = الحالة
case-status-open = مفتوحة
case-status-closed = مغلقة
case-intake = الاستقبال
case-time-to-manager = الوقت من الاستقبال حتى تعيين مدير الحالة
case-no-manager = لا يوجد مدير حالة بعد
case-waiting-since = في الانتظار منذ ⁦{ $when }⁩
case-end-date = النهاية وفق الحد الأقصى للبرنامج
case-last-contact = آخر تواصل
case-actions = إجراءات الحالة
case-assign = تعيين مدير حالة
case-reassign = إعادة التعيين
case-record-perspective = تسجيل الأفق والقرار
case-procedure = إجراء قانوني
case-procedures = الإجراءات القانونية
case-action-plan = خطة العمل
case-appointments = المواعيد والمهام
case-notes = الملاحظات
case-placement = مكان الإيواء
case-no-placement = لا يوجد مكان إيواء.
case-employment = متابعة العمل
case-history = السجل
case-outcome = النتيجة
case-close = إغلاق الحالة
case-close-intro = تُغلق الحالة مع نتيجتها وتاريخها. املأ التفاصيل التي تتطلبها النتيجة.
caseload-summary = الحالات المفتوحة: { $count }.
caseload-attention = تحتاج إلى اهتمام: { $count }.
caseload-none = لا توجد حالات مفتوحة.
caseload-nothing = لا شيء عاجل
caseload-needs = تحتاج إلى اهتمام
caseload-order = الأكثر إلحاحاً أولاً: مواعيد نهائية فائتة أو قريبة، إقامات تنتهي، أهداف متأخرة، لا تواصل منذ أربعة أسابيع.
attention-deadline_passed = انقضى الموعد النهائي للإجراء
attention-deadline_near = الموعد النهائي للإجراء قريب
attention-stay_ended = تجاوزت الإقامة حدها الأقصى
attention-stay_ending = الإقامة في المأوى تقترب من نهايتها
attention-goal_overdue = هدف متأخر
attention-no_contact = لا تواصل منذ أربعة أسابيع
days-ahead = { $count ->
        [one] غداً
        [two] بعد يومين
        [few] بعد { $count } أيام
        *[other] بعد { $count } يوماً
    }
days-ago = { $count ->
        [one] أمس
        [two] قبل يومين
        [few] قبل { $count } أيام
        *[other] قبل { $count } يوماً
    }
days-today = اليوم
duration-days = { $count ->
        [zero] { $count } يوم
        [one] يوم واحد
        [two] يومان
        [few] { $count } أيام
        [many] { $count } يوماً
        *[other] { $count } يوم
    }
duration-hours = { $count ->
        [zero] { $count } ساعة
        [one] ساعة واحدة
        [two] ساعتان
        [few] { $count } ساعات
        [many] { $count } ساعة
        *[other] { $count } ساعة
    }
overdue = متأخر
recorded-by = سجّله { $name }
team-title = حالات الفريق
team-wait = الوقت حتى تعيين مدير حالة
team-assigned = حالات لها مدير حالة
team-average-wait = متوسط الوقت من الاستقبال
team-longest-wait = أطول وقت من الاستقبال
team-loads = الحالات لكل مدير حالة وبرنامج
team-loads-hint = الحالات المفتوحة / الحد الأقصى للبرنامج. اختر مدير حالة لرؤية حالاته وإعادة التوزيع.
team-total = المجموع
team-at-cap = بلغ الحد الأقصى
team-cases-of = الحالات المفتوحة لدى { $name }
team-unassigned = في انتظار مدير حالة
team-none-unassigned = لكل حالة مفتوحة مدير حالة.
field-programme_id = البرنامج
field-start_date = بداية البرنامج
field-perspective = الأفق
field-screening_note = ما توصل إليه الفرز
field-case_manager_id = مدير الحالة
field-person_id = الشخص
field-manager = مدير الحالة
hint-screening_note = تُحفظ كأول ملاحظة في الحالة، مشفّرة.
hint-case_manager_id = أنت، أو أي شخص إذا كان مسموحاً لك بتعيين الحالات. اتركه فارغاً ليعيّنه قائد الفريق.
hint-assign-cap = لا يمكن لمدير حالة بلغ الحد الأقصى لعدد الحالات المفتوحة في البرنامج أن يتولى حالة أخرى.
perspective-intro = يبقى القرار دائماً للشخص نفسه. سجّل مشروع الهجرة، والوضع الحالي، والخيارات القانونية التي نوقشت، وقراره بكلماته.
field-decision_stage = مرحلة قرار الشخص
field-migration_project = مشروع الهجرة
field-current_situation = الوضع الحالي
field-legal_options = الخيارات القانونية التي نوقشت
field-person-decision = قرار الشخص نفسه
field-decision = القرار
hint-migration_project = إلى أين يريد الشخص أن يذهب، ولماذا.
hint-legal_options = المعلومات الصحيحة والمعتمدة فقط.
hint-decision = بكلمات الشخص؛ القرار له.
perspective-regularisation = تسوية الوضع
perspective-onward_migration = الهجرة إلى بلد آخر
perspective-voluntary_return = العودة الطوعية
perspective-undecided = لم يُحسم بعد
stage-not_considering = لا يفكر في الأمر
stage-exploring = يستكشف الخيارات
stage-decided = اتخذ قراره
procedure-add = إضافة إجراء قانوني
field-procedure-kind = نوع الإجراء
field-filed_on = تاريخ التقديم
field-decision_on = تاريخ القرار
field-appeal_filed_on = تاريخ تقديم الطعن
field-deadline = الموعد النهائي
hint-deadline = أقرب تاريخ يجب فيه القيام بشيء ما، مثل الطعن.
decision-pending = قيد النظر
decision-granted = مقبول
decision-refused = مرفوض
decision-withdrawn = مسحوب
goal-add = إضافة هدف
goal-update = تحديث الهدف
goal-intro = تسير الأهداف في المجالات المختلفة في الوقت نفسه؛ التدريب العملي ودورة اللغة هدفان متوازيان.
field-goal-title = الهدف
field-title = العنوان
field-domain = المجال
field-term = المدى
field-owner_id = المسؤول
field-due_on = تاريخ الاستحقاق
field-status = الحالة
field-progress = ملاحظة التقدم
hint-progress = تضاف إلى ملاحظات تقدم الهدف، مشفّرة.
domain-work = العمل
domain-education = التعليم
domain-language = اللغة
domain-health_care = الرعاية الصحية
domain-housing = السكن
domain-income = الدخل
domain-participation = المشاركة
domain-legal_status = الوضع القانوني
domain-return_preparation = التحضير للعودة
term-short = قصير المدى
term-long = طويل المدى
goal-status-open = مفتوح
goal-status-in_progress = قيد التنفيذ
goal-status-achieved = تحقق
goal-status-dropped = أُلغي
appointment-add = تحديد موعد أو مهمة
appointment-done = أُنجز
appointment-mark-done = وضع علامة الإنجاز
field-item-kind = موعد أو مهمة
field-item-title = ماذا
field-due_time = الوقت
hint-due_time = الساعات والدقائق، مثلاً 14:30؛ 09:00 إذا ترك فارغاً.
item-appointment = موعد
item-task = مهمة
note-add = إضافة ملاحظة
note-intro = تُشفَّر الملاحظات بمفتاح الشخص الخاص؛ وتُسجَّل كل قراءة في سجل التدقيق.
field-text = الملاحظة
employment-add = تسجيل عمل
employment-follow-up = الوضع بعد بداية البرنامج
employment-episodes = فترات العمل
employment-moment = اللحظة
employment-date = التاريخ
employment-employed = يعمل
employment-not_employed = لا يعمل
employment-not_yet_reached = لم يحن بعد
follow-up-months = { $count ->
        [zero] بعد { $count } شهر
        [one] بعد شهر واحد
        [two] بعد شهرين
        [few] بعد { $count } أشهر
        [many] بعد { $count } شهراً
        *[other] بعد { $count } شهر
    }
field-start_on = البداية
field-end_on = النهاية
field-contract = العقد
field-sector = القطاع
field-hours_per_week = الساعات في الأسبوع
hint-end_on = اتركه فارغاً ما دام العمل مستمراً.
contract-temporary = عقد مؤقت
contract-fixed = عقد دائم
field-outcome = النتيجة
field-closed_on = تاريخ الإغلاق
field-permit_type = نوع تصريح الإقامة
field-country = البلد
field-supporting_org = المنظمة الداعمة
field-details = تفاصيل
hint-permit_type = في حالة "تمت تسوية الوضع".
hint-country = في حالة العودة الطوعية أو الانتقال إلى بلد آخر.
hint-supporting_org = في حالة العودة الطوعية: من دعمها، مثلاً المنظمة الدولية للهجرة (IOM).
outcome-regularised = تمت تسوية الوضع
outcome-returned_voluntarily = عاد طوعاً
outcome-moved_on = انتقل إلى بلد آخر
outcome-dublin_transfer = نُقل بموجب لائحة دبلن
outcome-lost_contact = غادر / انقطع التواصل
outcome-deceased = توفي
outcome-other = أخرى
outcome-employment = العمل (6 و12 و24 شهراً)
placement-site = الموقع
placement-place = المكان
placement-admitted = تاريخ القبول
placement-until = آخر يوم للإقامة
placement-left = الوقت المتبقي
placement-extensions = التمديدات
placement-discharged = تاريخ المغادرة
history-intake = الاستقبال
history-manager_assigned = تعيين مدير الحالة
history-perspective = تسجيل الأفق
history-procedure = تغيير إجراء قانوني
history-goal = إضافة هدف
history-appointment = تحديد موعد أو مهمة
history-note = ملاحظة
history-employment = تسجيل عمل
history-closed = إغلاق الحالة
err-caseload-cap = لدى مدير الحالة هذا بالفعل الحد الأقصى من الحالات المفتوحة في هذا البرنامج (الحد الأقصى لعدد الحالات في البرنامج). اختر مدير حالة آخر أو أعد توزيع الحالات أولاً.
err-not-case-manager = اختر مدير حالة من منظمتك.
err-number = اكتب عدداً صحيحاً ضمن النطاق المسموح.
err-retention-months = اكتب عدداً صحيحاً من الأشهر من 1 إلى 120.
err-alert-days = اكتب حتى ستة أعداد من الأيام بين 1 و730، مفصولة بفواصل، مثلاً 90,30.
err-programme-name-taken = يوجد برنامج بهذا الاسم بالفعل.
err-date-before-filed = لا يمكن أن يسبق القرار تاريخ تقديم الطلب.
err-decision-pending = الإجراء قيد النظر ليس له تاريخ قرار بعد؛ اختر القرار أو اترك التاريخ فارغاً.
err-time = اكتب الوقت بصيغة ساعات:دقائق، مثلاً 14:30.
err-end-before-start = لا يمكن أن تسبق النهاية البداية.
err-date-future = لا يمكن أن يكون التاريخ في المستقبل.
err-date-before-start = لا يمكن أن يسبق التاريخ بداية البرنامج.

## Referrals
nav-referrals = الإحالات المرسلة
nav-referrals-received = الإحالات الواردة
nav-network = شبكة الإحالات
nav-notifications = الإشعارات
notifications-count = { $count ->
        [zero] لا إشعارات جديدة
        [one] إشعار جديد واحد
        [two] إشعاران جديدان
        [few] { $count } إشعارات جديدة
        [many] { $count } إشعارًا جديدًا
        *[other] { $count } إشعار جديد
    }
notifications-none = لا توجد إشعارات.
notifications-read-all = تعليم الكل كمقروء
notification-new = جديد:
notification-mark-read = تعليم كمقروء
notification-received = إحالة جديدة
notification-accepted = قُبلت الإحالة
notification-declined = رُفضت الإحالة
notification-completed = سُجّلت النتيجة
notification-withdrawn = سُحبت الإحالة
person-referrals = الإحالات
person-consents = الموافقات
person-referrals-made = إحالات قامت بها منظمتك
referral-refer = إحالة
referral-new = إحالة إلى خدمة
referral-new-intro = لا تشارك الإحالة إلا ما يحتاجه هذا النوع من الإحالات، وطالما بقيت الموافقة سارية.
referral-send = إرسال الإحالة
referral-heading = إحالة { $name }
referral-received-heading = إحالة من { $org }
referral-person = الشخص
referral-person-minimum = فقط ما يشاركه هذا النوع من الإحالات، ما دامت مفتوحة والموافقة سارية.
referral-person-closed = هذه الإحالة مغلقة أو انتهت موافقتها، فلم يعد يُعرض شيء عن الشخص.
referral-decline-reason = سبب الرفض
referral-actions = إجراءات الإحالة
referral-accept = قبول
referral-decline = رفض
referral-record-result = تسجيل النتيجة
referral-withdraw = سحب الإحالة
referral-steps = الخطوات
referral-step = الخطوة
referral-when = متى
referral-who = من
referral-updated = آخر تغيير
referral-source = أُنشئت من
referral-source-case = ملف حالة
referral-status-sent = مرسلة
referral-status-accepted = مقبولة
referral-status-declined = مرفوضة
referral-status-completed = مكتملة
referral-status-withdrawn = مسحوبة
referral-step-sent = أُرسلت
referral-step-accepted = قُبلت
referral-step-declined = رُفضت
referral-step-completed = سُجّلت النتيجة
referral-step-withdrawn = سُحبت
referral-step-consent_withdrawn = سُحبت: سحب الشخص موافقته
referral-result-helped = تمت المساعدة
referral-result-no_show = لم يحضر
referral-result-not_eligible = غير مؤهل
referral-result-referred_on = أُحيل إلى جهة أخرى
referral-type-legal_advice = استشارة قانونية
referral-type-health_care = رعاية صحية
referral-type-shelter = مأوى
referral-type-return_counselling = إرشاد العودة
referral-type-day_centre = مركز نهاري
referrals-sent = الإحالات المرسلة
referrals-sent-intro = الإحالات التي قامت بها منظمتك، مع وضع كل منها.
referrals-received = الإحالات الواردة
referrals-received-intro = الإحالات إلى منظمتك. افتح إحداها لترى ما تشاركه عن الشخص.
referrals-none = لا توجد إحالات بعد.
consent-record = تسجيل الموافقة
consent-intro = اسأل الشخص أولًا. سجّل لأي منظمة ولأي غرض وحتى متى يوافق على مشاركة الحد الأدنى من معلوماته. لا يُشارك وضع الإقامة إلا إذا وافق على ذلك أيضًا.
consent-submit = تسجيل الموافقة والمتابعة
consent-until = الموافقة حتى
consent-valid-until = سارية حتى { $when }
consent-expired = منتهية
consent-withdrawn = مسحوبة
consent-withdraw = تسجيل أن الشخص سحب موافقته
field-to_org = إلى المنظمة
field-from_org = من المنظمة
field-purpose = الغرض
field-valid_until = سارية حتى
field-share_residence_status = يوافق الشخص على مشاركة وضع إقامته
field-person_agreed = وافق الشخص على هذه الإحالة وعلى ما يُشارك
field-service_id = الخدمة
field-result = النتيجة
field-person = الشخص
field-case = الحالة
field-consent_id = الموافقة
field-source_type = أُنشئت من
field-source_id = الحالة
hint-purpose = نوع الإحالة يحدد المعلومات التي تُشارك.
hint-referral-reason = ما تحتاج المنظمة المستقبِلة إلى معرفته لتساعد. لا يُشارك إلا ما دامت الإحالة مفتوحة.
hint-decline-reason = ترى المنظمة المُحيلة هذا السبب.
err-consent-range = يمكن أن تسري الموافقة من اليوم حتى سنة قادمة.
err-consent-required = أكّد أن الشخص وافق.
err-consent-invalid = سُحبت هذه الموافقة أو انتهت؛ سجّل موافقة جديدة.
err-consent-withdrawn = سُحبت هذه الموافقة من قبل.
err-referral-state = لم تعد الإحالة في وضع يسمح بذلك.
network-intro = الإحالات بين منظمات الشبكة. أرقام إجمالية فقط: لا تُعرض الأعداد الأقل من 5، ولا تُعرض النسب والأوقات إلا عند وجود عدد كافٍ من الإحالات.
network-total = مجموع الإحالات
network-links = من يحيل إلى من
network-referrals = الإحالات
network-accepted = مقبولة
network-declined = مرفوضة
network-completed = مكتملة
network-rate = نسبة القبول
network-to-accept = الوقت الوسيط حتى القبول
network-to-complete = الوقت الوسيط حتى الإكمال
network-percent = { $value }٪
network-withheld = غير معروض
# Public content (editors)
nav-content = الموقع العام
content-new = صفحة أو سؤال أو قصة جديدة
content-create = إنشاء
content-view-site = عرض الموقع العام
content-index-hint = تنتقل كل لغة من مسودة إلى مراجَعة إلى منشورة. «قديمة» تعني أن النص الإنجليزي تغيّر بعد إعداد الترجمة؛ حدّث الترجمة أو وافق عليها من جديد.
content-none = لا يوجد محتوى بعد.
content-kind-page = صفحة موضوع
content-kind-qa = سؤال وجواب
content-kind-story = قصة
content-status-draft = مسودة
content-status-reviewed = مراجَعة
content-status-published = منشورة
content-status-none = لم تُكتب بعد
content-out-of-date = قديمة
content-withdrawn = مسحوبة: أُزيلت القصة ومُحيت كلماتها.
content-expired = انتهت الموافقة: لم تعد تُعرض.
content-expires = تُعرض حتى { $date }
content-edited-at = آخر تعديل { $date }
content-reviewed-by = راجعها { $name }
content-published-at = نُشرت { $date }
content-languages = اللغات
content-state = الحالة
content-source = النص الإنجليزي المصدر
content-save-draft = حفظ كمسودة
content-review = وضع علامة «مراجَعة»
content-publish = نشر
content-confirm = موافقة من جديد: ما زالت مطابقة للإنجليزية
content-view-public = عرض في الموقع العام
content-withdraw = أزل هذه القصة الآن
content-withdraw-hint = طلب الراوي إزالة قصته، أو لم تعد الموافقة قائمة: تختفي من الموقع فوراً بكل اللغات وتُمحى كلماتها.
content-consent = للقصص فقط: موافقة الراوي
content-consent-hint = سجّل فقط ما وافق الراوي على نشره. لا بيانات اتصال، ولا اسم حقيقي إلا إذا اختاره.
field-slug = اسم قصير في العنوان
hint-slug = أحرف لاتينية صغيرة وأرقام وشرطات، مثل asylum.
field-section = القسم أو الموضوع
hint-section = لصفحة موضوع: options أو rights. لسؤال: الاسم القصير لموضوعه (اختياري).
field-position = الترتيب
field-speaker = الاسم المنشور
hint-speaker = كما وافق الراوي، مثل اسم أول أو اسم يختاره.
field-consent_on = تاريخ الموافقة
field-expires_on = تُعرض حتى
field-summary = نص قصير
field-body = النص
hint-body = نص عادي. السطر الفارغ يبدأ فقرة جديدة.
err-slug = استخدم من 2 إلى 60 حرفاً لاتينياً صغيراً أو رقماً أو شرطة.
err-slug-taken = هذا الاسم القصير مستخدم بالفعل.
err-date-past = هذا التاريخ قد مضى.
content-source-first = اكتب النص الإنجليزي أولاً؛ الترجمات تتبعه.
content-not-draft = لا يمكن وضع علامة «مراجَعة» إلا على مسودة.
content-not-reviewed = لا يمكن نشر إلا نص مراجَع.
content-not-outdated = هذه الترجمة ليست قديمة.
content-not-story = لا يمكن إزالة إلا قصة بهذه الطريقة.
## Outreach
nav-outreach = العمل الميداني
nav-outreach-team = فريق العمل الميداني
outreach-title = العمل الميداني
outreach-sync-now = أرسل الآن
outreach-sign-out = تسجيل الخروج
outreach-show = اعرض المعلومات
outreach-show-title = معلومات للشخص
outreach-show-intro = أعطِ الجهاز للشخص. يمكنه أن يختار لغته وأن يتنقل بين البطاقات.
outreach-show-language = اللغة
outreach-show-previous = السابق
outreach-show-next = التالي
outreach-show-close = العودة إلى التطبيق
outreach-show-empty = لا توجد بطاقات معلومات على هذا الجهاز بعد. افتح التطبيق مرة واحدة مع اتصال بالإنترنت لتحميلها.
outreach-show-lang-unknown = لا توجد بطاقات معلومات منشورة بهذه اللغة.
outreach-sections = أقسام تطبيق العمل الميداني
outreach-record = لقاء جديد
outreach-find = شخص عائد
outreach-device = على هذا الجهاز
outreach-device-intro = تبقى اللقاءات مشفّرة على هذا الجهاز حتى إرسالها، ولفترة قصيرة بعد ذلك. تسجيل الخروج يحذفها.
outreach-when = متى
outreach-area = المنطقة
outreach-people-count = عدد الأشخاص
outreach-workers = العاملون الحاضرون
outreach-activities = ما الذي تم
outreach-activity-contacted = تواصل
outreach-activity-informed = إعلام
outreach-activity-referred = إحالة
outreach-add-person = أضف شخصًا
outreach-remove-person = احذف هذا الشخص
outreach-person = شخص
outreach-followup = المتابعة
outreach-followup-at = التاريخ
outreach-followup-place = أين
outreach-notes = ملاحظات (بدون أسماء)
outreach-save = احفظ اللقاء
outreach-cancel-edit = ألغِ التعديل
outreach-editing = أنت تعدّل لقاءً سُجّل سابقًا.
outreach-alias = الاسم المستعار (اتركه فارغًا لمجهول الهوية)
outreach-age-band = العمر
outreach-origin = الجنسية أو المنطقة
outreach-language = اللغة
outreach-situation-needs = الوضع والاحتياجات
outreach-situations = الوضع
outreach-needs = الاحتياجات
outreach-counselling = المعلومات ومشروع الهجرة
outreach-topics = المواضيع التي شُرحت
outreach-project = مشروع الهجرة بكلماته
outreach-decision = أين يقف من قراره
outreach-decision-not_considering = لا يفكّر في تغيير
outreach-decision-exploring = يستكشف الخيارات
outreach-decision-decided = قرّر
outreach-decided-on = قرّر أن
outreach-referrals = أُحيل إلى
outreach-find-alias = الاسم المستعار
outreach-find-button = ابحث
outreach-find-none = لا لقاءات بهذا الاسم المستعار في الأشهر الستة الماضية.
outreach-find-offline = البحث عن شخص عائد يحتاج إلى اتصال.
outreach-thread-heading = اللقاءات السابقة
outreach-new-with-alias = سجّل لقاءً جديدًا بهذا الاسم المستعار
outreach-register = سجّل بموافقته
outreach-consent = يوافق الشخص على التسجيل بعد أن شرحت له ما يعنيه ذلك.
outreach-name = الاسم (بموافقته فقط)
outreach-programme = افتح ملفًا في
outreach-programme-none = لا ملف الآن
outreach-registered = تم التسجيل. رُبطت اللقاءات السابقة بالشخص الجديد.
outreach-registered-already = مسجَّل
outreach-pending = { $count ->
        [zero] لا لقاءات بانتظار الإرسال
        [one] لقاء واحد لم يُرسل بعد
        [two] لقاءان لم يُرسلا بعد
        [few] { $count } لقاءات لم تُرسل بعد
        [many] { $count } لقاءً لم يُرسل بعد
       *[other] { $count } لقاء لم يُرسل بعد
    }
outreach-all-sent = أُرسل كل شيء.
outreach-offline = لا اتصال: تبقى اللقاءات على هذا الجهاز وتُرسل عند عودة الاتصال.
outreach-sending = جارٍ الإرسال…
outreach-signin = انتهت جلستك. سجّل الدخول لإرسال ما على هذا الجهاز.
outreach-sign-out-confirm = { $count ->
        [zero] لا لقاءات بانتظار الإرسال. هل تريد تسجيل الخروج؟
        [one] لقاء واحد لم يُرسل بعد وسيضيع. هل تريد تسجيل الخروج مع ذلك؟
        [two] لقاءان لم يُرسلا بعد وسيضيعان. هل تريد تسجيل الخروج مع ذلك؟
        [few] { $count } لقاءات لم تُرسل بعد وستضيع. هل تريد تسجيل الخروج مع ذلك؟
        [many] { $count } لقاءً لم يُرسل بعد وسيضيع. هل تريد تسجيل الخروج مع ذلك؟
       *[other] { $count } لقاء لم يُرسل بعد وسيضيع. هل تريد تسجيل الخروج مع ذلك؟
    }
outreach-saved = حُفظ اللقاء على هذا الجهاز.
outreach-state-queued = لم يُرسل بعد
outreach-state-sent = أُرسل
outreach-state-conflict = لم يُقبل
outreach-resend-new = أرسله كلقاء جديد
outreach-discard = تجاهل
outreach-edit = عدّل
outreach-anonymous = مجهول الهوية
outreach-none-recorded = لا شيء مسجّل على هذا الجهاز.
outreach-no-config = اتصل مرة واحدة لتحميل قوائم الفريق؛ بعدها يعمل التطبيق دون اتصال.
outreach-errors = يرجى ملء الحقول المعلَّمة.
outreach-storage-failed = تعذّر على هذا الجهاز حفظ اللقاء. أفرغ بعض المساحة وحاول مجددًا.
outreach-team = فريق العمل الميداني
outreach-year-totals = في { $year }
outreach-contacts = اللقاءات
outreach-counselling-contacts = لقاءات الإرشاد
outreach-people = الأشخاص الذين التقيناهم
outreach-followups = المتابعات المستحقة (أسبوعان قبل اليوم وبعده)
outreach-followups-none = لا متابعات مستحقة.
outreach-team-weeks = اللقاءات حسب المنطقة والأسبوع
outreach-none-weeks = لا لقاءات في الأسابيع الاثني عشر الماضية.
outreach-week = أسبوع
outreach-referrals-made = الإحالات هذا العام
outreach-referrals-none = لا إحالات هذا العام.
outreach-referral-target = إلى
outreach-referrals-count = الإحالات
err-outreach-id = يحتاج السجل إلى معرّف يُنشأ على الجهاز (UUIDv7).
err-outreach-id-taken = هذا المعرّف مستخدم في سجل لفريق آخر.
err-outreach-missing = هذا التعديل يخص لقاءً غير موجود على الخادم.
err-outreach-different-payload = يحتفظ الخادم بلقاء مختلف بهذا المعرّف. لم يُستبدل شيء: أرسل لقاءك كلقاء جديد أو تجاهله.
err-outreach-stale = عدّل شخص آخر هذا اللقاء بعد أن أُخذت نسختك. لم يُستبدل شيء: افتح النسخة الحالية وأعد تعديلك.
err-outreach-erased = هذا اللقاء أقدم من المدة التي تحتفظ فيها منظمتك باللقاءات، وقد مُحيت تفاصيله. لم يتغير شيء: احذفه من هذا الجهاز.
err-outreach-consent = سجّل أن الشخص يوافق على التسجيل؛ دون موافقة لا يُحفظ أي شيء يدل على هويته.
err-outreach-already-registered = هذا اللقاء مرتبط بالفعل بشخص مسجَّل.
err-outreach-people-count = أدخل عددًا من 1 إلى 500، لا يقل عن عدد الأشخاص الموصوفين.
err-outreach-decided-on = اذكر ما تقرّر فقط عندما يكون الشخص قد قرّر.
err-outreach-when = يجب أن يكون الوقت خلال السنة الماضية وليس في المستقبل.
err-outreach-followup = اختر تاريخ متابعة خلال السنة القادمة.
## Services directory
err-directory-not-object = يجب أن يكون إدخال الدليل كائن HSDS.
err-directory-uuid = يجب أن يكون هذا معرّف UUID.
err-directory-unknown-link = يشير هذا إلى إدخال غير موجود في الدليل.
err-hsds-query = تعذّرت قراءة سلسلة الاستعلام.
err-hsds-page = أدخل عددًا صحيحًا لا يقل عن 1.
err-hsds-per-page = أدخل عددًا صحيحًا من 1 إلى 200.
err-hsds-search = يجب ألا يتجاوز البحث 200 حرف.
err-hsds-boolean = أدخل true أو false.
err-hsds-format = الصيغة المتاحة هي json فقط.
err-hsds-datetime = أدخل تاريخًا (2026-11-24) أو تاريخًا ووقتًا (2026-11-24T08:00:00Z).
err-hsds-lang = أدخل رمز لغة مثل en أو fr أو ar أو ti.
err-hsds-id = أدخل معرّفًا لا يتجاوز 100 حرف.
err-hsds-proximity = البحث حسب الرمز البريدي أو المسافة غير متاح.
field-id = المعرّف
field-description = الوصف
field-organization_id = المنظمة
field-location_type = نوع الموقع
field-source_lang = لغة المصدر
field-translations = الترجمات
field-hsds = إدخال الدليل
field-service_at_locations = مواقع الخدمة
field-page = الصفحة
field-per_page = العناصر في الصفحة
field-search = البحث
field-full = متداخل بالكامل
field-full_service = مع الخدمات كاملة
field-top_only = المستوى الأعلى فقط
field-minimal = مختصر
field-format = الصيغة
field-modified_after = تغيّر بعد
field-language = اللغة المتاحة
field-postcode = الرمز البريدي
field-query = الاستعلام

## Services directory: editing and review
nav-directory = دليل الخدمات
nav-directory-review = مراجعة الدليل
dir-intro = إدخالات منظمتك في دليل الخدمات العام. تراجع البلدية التغييرات قبل نشرها.
dir-new-organization = إضافة منظمتك
dir-new-service = إضافة خدمة
dir-new-location = إضافة موقع
dir-edit-organization = تعديل المنظمة
dir-edit-service = تعديل الخدمة
dir-edit-location = تعديل الموقع
dir-none = لا توجد إدخالات لمنظمتك في الدليل بعد.
dir-own-entries = إدخالات منظمتك في الدليل
dir-status = الحالة
dir-last-checked = آخر تحقق
dir-reason = السبب
dir-never-checked = أبداً
dir-stale = لم يتم التحقق منذ أكثر من ستة أشهر: يرجى التأكيد أو التصحيح.
dir-queue-empty = لا توجد تغييرات بانتظار المراجعة.
dir-queue-caption = تغييرات بانتظار المراجعة، الأقدم أولاً
dir-submitted = تاريخ التقديم
dir-changes = التغييرات
dir-new-entry = إدخال جديد
dir-changed-fields = { $count ->
    [one] تغيّر حقل واحد
   *[other] تغيّرت { $count } حقول
}
dir-review-title = مراجعة
dir-field = الحقل
dir-published-version = المنشور حالياً
dir-draft-version = المقترح
dir-empty = (فارغ)
dir-approve = الموافقة والنشر
dir-reject = رفض
dir-reason-hint = عند الرفض: اذكر ما يجب تغييره. سيرى موظفو المنظمة ذلك.
dir-rejected-because = لم يُنشر تغييرك الأخير. السبب:
dir-last-review = آخر مراجعة
dir-confirm-checked = تأكيد أنه لا يزال صحيحاً
dir-draft-note = يرسل الحفظ تغييرك إلى البلدية للمراجعة. يعرض الدليل العام النص القديم حتى تتم الموافقة.
dir-translations = الترجمات
dir-one-per-line = واحد في كل سطر.
dir-address = العنوان
dir-confidential-hint = الموقع السري ليس له عنوان: اترك العنوان فارغاً. يطلب الدليل الاتصال لترتيب موعد.
dir-day = اليوم
dir-opens = يفتح
dir-closes = يغلق
dir-day-mo = الاثنين
dir-day-tu = الثلاثاء
dir-day-we = الأربعاء
dir-day-th = الخميس
dir-day-fr = الجمعة
dir-day-sa = السبت
dir-day-su = الأحد
dir-access = الوصول
dir-submit-review = حفظ للمراجعة
dir-status-published = منشور
dir-status-pending = مسودة بانتظار المراجعة
dir-status-rejected = تم رفض التغيير
dir-kind-organization = منظمة
dir-kind-service = خدمة
dir-kind-location = موقع
dir-service-status-active = نشطة
dir-service-status-temporarily-closed = مغلقة مؤقتاً
dir-service-status-inactive = غير نشطة
dir-service-status-defunct = متوقفة
field-phones = أرقام الهاتف
field-email = البريد الإلكتروني
field-url = الموقع الإلكتروني
field-confidential = موقع سري (لا يُنشر أي عنوان)
field-address_street = الشارع والرقم
field-address_postal_code = الرمز البريدي
field-address_city = المدينة
field-address_country = رمز البلد
field-hours = ساعات العمل
field-free = مجاني
field-no_documents = لا حاجة لوثائق
field-no_data_to_immigration = لا تتم مشاركة أي بيانات مع سلطات الهجرة
field-anonymous = يمكن استخدام الخدمة دون ذكر الاسم
field-fees = التكلفة
field-documents = الوثائق المطلوبة
field-eligibility = من يمكنه الاستفادة
field-service_area = منطقة الخدمة
field-location_ids = تقدَّم في
err-directory-translation-source = اترك الترجمة بلغة النص الأصلية فارغة.
err-directory-email = هذا ليس عنوان بريد إلكتروني.
err-directory-url = أدخل عنواناً إلكترونياً يبدأ بـ https://.
err-directory-documents-conflict = إما أنه لا حاجة لوثائق أو اذكرها: ليس الاثنين معاً.
err-directory-confidential-address = الموقع السري ليس له عنوان. اتركه فارغاً: يتصل الناس لترتيب موعد.
field-name_en = الاسم (English)
field-description_en = الوصف (English)
field-name_fr = الاسم (Français)
field-description_fr = الوصف (Français)
field-name_ar = الاسم (العربية)
field-description_ar = الوصف (العربية)
field-name_ti = الاسم (ትግርኛ)
field-description_ti = الوصف (ትግርኛ)
field-name_nl = الاسم (Nederlands)
field-description_nl = الوصف (Nederlands)
err-directory-no-draft = لا يوجد تغيير بانتظار المراجعة لهذا الإدخال (ربما تم البت فيه للتو).

## Outreach: signposting and referrals with consent (issue 5)
referral-source-outreach = العمل الميداني في الشارع
outreach-contact = تواصل ميداني
outreach-person-n = الشخص { $n }
outreach-line-registered = مسجَّل
outreach-line-kind = ما الذي تم
outreach-line-signposted = إرشاد فقط
outreach-line-referred = إحالة بموافقة
outreach-line-anonymous-note = مجهول الهوية: يبقى هذا إرشادًا فقط، ولا تُشارَك أي معلومات عن الشخص.
outreach-line-org-note = إرشاد إلى منظمة؛ الإحالة بموافقة تكون إلى إحدى خدماتها.
outreach-lines-intro = إرشاد فقط: أُخبر الشخص إلى أين يذهب، ولم تُشارَك أي معلومات عنه. إحالة بموافقة: وافق الشخص بعد تسجيله على إحالة؛ لا ترى المنظمة المستقبِلة إلا ما يسمح به نوع الإحالة، ولا شيء من التواصل الميداني.
outreach-lines-none = لم تُسجَّل إحالات في هذا التواصل.
outreach-refer-with-consent = إحالة بموافقة
outreach-refer-title = إحالة بموافقة
outreach-refer-intro = سجّل موافقة الشخص وأحِله إلى خدمة هذا السطر. لا ترى المنظمة المستقبِلة إلا ما يسمح به نوع الإحالة، وأن الإحالة جاءت من العمل الميداني فقط.
outreach-referral-lines = إحالات هذا التواصل
outreach-referrals-hint = إرشاد فقط: لا تُشارَك أي معلومات عن الشخص. بعد تسجيل الشخص يمكن إجراء إحالة بموافقة من صفحة التواصل.
outreach-outcomes = نتائج الإحالات بموافقة
outreach-outcomes-intro = ما سجّلته المنظمات المستقبِلة لإحالات هذا العام بموافقة. الأعداد الأقل من 5 تظهر كـ "أقل من 5".
outreach-col-accepted = مقبولة
outreach-col-declined = مرفوضة
outreach-col-helped = تمت المساعدة
outreach-col-no_show = لم يحضر
outreach-col-not_eligible = غير مؤهل
outreach-col-referred_on = أُحيل إلى جهة أخرى
err-outreach-already-referred = أُجريت بالفعل إحالة بموافقة من هذا السطر.
err-outreach-anonymous-referral = هذا الشخص مجهول الهوية، لذا يبقى السطر إرشادًا فقط. سجّل الشخص بموافقته أولًا.
err-outreach-not-network = منظمة هذه الخدمة لا تستقبل إحالات في Haven (ليست عضوًا في الشبكة، أو هي منظمتك).

## Referral types (administrators)
nav-referral-types = أنواع الإحالة
referral-types-intro = كل نوع إحالة يشارك مع المنظمة المستقبِلة فقط بيانات الشخص المحددة هنا. لا تُشارَك الملاحظات أبدًا، ولا وضع الإقامة إلا إذا وافق الشخص على ذلك. القائمة الأضيق تسري فورًا على الإحالات المفتوحة؛ والأوسع على الإحالات التي تُجرى بعد ذلك فقط.
referral-types-code = الرمز
referral-types-edit = نوع الإحالة: { $name }
referral-types-edit-intro = شارك أقل ما يمكّن المنظمة المستقبِلة من المساعدة.
field-label = التسمية
field-fields = البيانات المشارَكة
hint-referral-type-label = تظهر حيث لا توجد ترجمة خاصة بالنوع.
hint-referral-type-fields = واحدة على الأقل. الملاحظات ووضع الإقامة ليست في هذه القائمة أبدًا.
hint-referral-type-active = أزل التحديد للتوقف عن عرض هذا النوع للموافقات الجديدة؛ تحتفظ الإحالات الحالية به.
shared-field-name = الاسم
shared-field-alias = الاسم المستعار
shared-field-birth = تاريخ أو سنة الميلاد
shared-field-gender = الجنس
shared-field-nationalities = الجنسيات
shared-field-languages = اللغات
shared-field-phone = الهاتف
err-referral-field-unknown = اختر البيانات من القائمة؛ لا يمكن مشاركة الملاحظات ووضع الإقامة بهذه الطريقة.
err-referral-fields-required = حدد بيانًا واحدًا على الأقل: تحتاج المنظمة المستقبِلة أن تعرف من سيأتي.
err-referral-position = أدخل عددًا صحيحًا من 0 إلى 1000.
# Directory form: what a service helps with (Haven's needs taxonomy).
field-needs = تساعد في (تظهر في صفحة "احصل على المساعدة الآن" العامة)
dir-need-shelter = مأوى
dir-need-food = طعام
dir-need-health = صحة
dir-need-legal-advice = استشارة قانونية
dir-need-return-counselling = استشارة العودة
dir-need-report-a-crime = الإبلاغ عن جريمة

## البريد الإلكتروني عن الإشعارات (فقط عندما يكون الخادم مهيأً لإرسال البريد)
hint-email = اختياري. إذا كان الخادم مهيأً لإرسال البريد، يُعلم Haven هذا الزميل بالبريد الإلكتروني عندما يكون هناك إشعار بانتظاره. لا تذكر الرسالة اسم أي شخص أبداً.
field-email_notify = إرسال بريد إلكتروني عند وصول إشعارات جديدة
err-email = اكتب عنوان بريد إلكتروني مثل name@example.org: علامة @ واحدة، بلا مسافات، وبحد أقصى 254 حرفاً.
user-no-email = لا يوجد
mail-subject = Haven: { $kind }
mail-body = لديك إشعار جديد في Haven: { $kind }.
mail-link = افتح إشعاراتك: { $url }
mail-sign-in = سجّل الدخول إلى Haven لقراءته.
mail-footer = تقول هذه الرسالة فقط إن شيئاً ما بانتظارك؛ أما التفاصيل فتبقى في Haven. فعّل المسؤول هذه الرسائل لحسابك ويمكنه إيقافها.
account-no-email = لا يوجد عنوان بريد إلكتروني في حسابك، لذلك لا يرسل إليك Haven أي بريد. يمكن للمسؤول إضافة عنوان.
account-email-note = إذا كان الخادم مهيأً لإرسال البريد، يُعلمك Haven على هذا العنوان عندما يكون هناك إشعار بانتظارك. لا تذكر الرسالة اسم أي شخص أبداً.

# The firewall by organisation kind (issue 15)
org-kind-reporting_hub = مركز الإبلاغ الآمن
org-kind-policy_unit = وحدة السياسات والبحوث
field-haven_org_id = منظمة الشبكة
err-role-police-alone = لا يمكن الجمع بين دور الاتصال مع الشرطة وأي دور آخر. اختر دور الاتصال مع الشرطة وحده، أو أزله.
err-role-police-org = لا يمكن أن ينتمي حساب الاتصال مع الشرطة إلا إلى منظمة من نوع "الاتصال مع الشرطة". اختر منظمة كهذه، أو دوراً آخر.
err-role-org-kind = لا يمكن لمنظمة من هذا النوع أن تحمل أحد هذه الأدوار: وحدة الاتصال مع الشرطة لا تحمل إلا دور الاتصال مع الشرطة، ووحدة السياسات والبحوث لا تحمل أي دور يقرأ بيانات الأشخاص. اختر أدواراً أخرى أو منظمة أخرى.
err-self-org = لا يمكنك نقل حسابك الخاص إلى منظمة أخرى. اطلب ذلك من مسؤول آخر.
err-self-roles = لا يمكنك تغيير أدوارك الخاصة. اطلب ذلك من مسؤول آخر.
err-org-kind-no-consent = لا يجوز لهذه المنظمة تلقي بيانات شخصية، لذا لا يمكن أن تسميها أي موافقة (لا تتلقاها أبداً وحدات الاتصال مع الشرطة ولا مركز الإبلاغ ولا وحدات السياسات). اختر منظمة أخرى.
err-org-kind-no-referral = لا يمكن لهذه المنظمة تلقي الإحالات (لا تتلقاها أبداً وحدات الاتصال مع الشرطة ولا مركز الإبلاغ ولا وحدات السياسات). سجّل موافقة لمنظمة أخرى وأحِل إليها.
err-org-kind-no-directory = لا تظهر المنظمات من هذا النوع أبداً في دليل الخدمات العام. اختر منظمة أخرى.
err-org-kind-has-roles = لدى المنظمة حسابات بأدوار لا يمكن لهذا النوع أن يحملها. غيّر تلك الحسابات أو عطّلها أولاً، أو أبقِ النوع الحالي.
err-org-kind-has-consents = توجد موافقات تسمي هذه المنظمة، ولا يجوز لهذا النوع تلقي بيانات شخصية. أبقِ النوع الحالي، أو أنشئ منظمة جديدة من هذا النوع.
err-org-kind-has-referrals = أُرسلت إحالات إلى هذه المنظمة، ولا يجوز لهذا النوع تلقي الإحالات. أبقِ النوع الحالي، أو أنشئ منظمة جديدة من هذا النوع.
err-org-kind-has-directory = توجد مدخلات في دليل الخدمات مرتبطة بهذه المنظمة، ولا يظهر هذا النوع أبداً في الدليل. افصلها أولاً، أو أبقِ النوع الحالي.
notification-role-granted = مُنح دور يقرأ بيانات الأشخاص
notification-sign-in-slowed = أُبطئ تسجيل الدخول إلى حسابك بعد إدخال كلمات مرور أو رموز خاطئة عدة مرات. إن لم يكن ذلك أنت، فأخبر المسؤول
role-notices-title = أدوار تقرأ بيانات الأشخاص مُنحت مؤخراً
role-notices-intro = منح مسؤول آخر (أو المشغّل) حساباً في منظمتك دوراً يمكنه قراءة بيانات الأشخاص. تحقق من أن ذلك كان مقصوداً.
role-notice-before = الأدوار قبل
role-notice-after = الأدوار بعد
role-notice-by = مَنَحه
role-notice-at = متى
role-notice-operator = المشغّل (سطر الأوامر)

# مركز الإبلاغ الآمن (موظفو المركز)
nav-hub-reports = البلاغات
hub-open-title = البلاغات المفتوحة
hub-closed-title = البلاغات المغلقة
hub-intro = بلاغات وصلت إلى المركز عبر الإنترنت أو شخصياً أو بالهاتف. كل بلاغ تفتحه يُسجَّل في سجل التدقيق. لا يُسأل أبداً عن وضع الإقامة.
hub-none = لا توجد بلاغات هنا.
hub-reported = تاريخ البلاغ
hub-messages = الرسائل
hub-awaiting = بانتظار الرد
hub-report-title = بلاغ
hub-status = الحالة
hub-status-open = مفتوح
hub-status-closed = مغلق
hub-answer-in = الرد بلغة
hub-conversation = المحادثة مع المُبلِّغ
hub-no-messages = لا توجد رسائل بعد.
hub-from-hub = المركز
hub-from-reporter = المُبلِّغ
hub-answer = الرد على المُبلِّغ
hint-hub-answer = يقرأ المُبلِّغ هذا بواسطة رمز الإيصال. لا تسأل عن الأوراق أو وضع الإقامة.
hub-answer-send = إرسال الرد
hub-close = إغلاق البلاغ
hint-hub-close = يبقى بإمكان المُبلِّغ قراءة المحادثة حتى يُحذف البلاغ بعد انتهاء مدة الحفظ لدى المركز.
hub-record-title = تسجيل بلاغ قُدِّم شخصياً أو بالهاتف
hub-record-intro = اكتب ما يخبرك به المُبلِّغ. يحصل المُبلِّغ على رمز إيصال للعودة عبر الإنترنت.
hub-record-submit = تسجيل البلاغ
hub-recorded-title = تم تسجيل البلاغ
hub-receipt-code = رمز الإيصال للمُبلِّغ
hub-recorded-hint = أعطِ هذا الرمز للمُبلِّغ الآن: يظهر مرة واحدة فقط ولا يمكن العثور عليه لاحقاً. به يقرأ المُبلِّغ ردود المركز عبر الإنترنت ويضيف معلومات.
hub-role-victim = ضحية
hub-role-witness = شاهد
hub-channel-online = عبر الإنترنت
hub-channel-in_person = شخصياً
hub-channel-phone = بالهاتف
field-channel = طريقة الإبلاغ
field-category = ما الذي حدث
field-occurred = متى (الشهر)
field-when_detail = متى بدقة أكبر
field-place = أين تقريباً
field-what = ما الذي حدث، بكلمات المُبلِّغ
field-reporter_role = ضحية أم شاهد
field-may_contact = يجوز للمركز التواصل مع المُبلِّغ
field-contact = كيفية الوصول إلى المُبلِّغ
hint-month = السنة والشهر، مثلاً ⁦2026-11⁩.
hint-hub-contact = فقط إذا وافق المُبلِّغ على التواصل معه.
report-cat-labour_exploitation = استغلال في العمل
report-cat-trafficking = الاتجار بالبشر
report-cat-domestic_violence = عنف أسري
report-cat-sexual_violence = عنف جنسي
report-cat-assault = اعتداء
report-cat-theft_robbery = سرقة أو سطو
report-cat-fraud = احتيال
report-cat-hate_crime = جريمة كراهية
report-cat-discrimination = تمييز
report-cat-other = غير ذلك
err-report-month = اكتب السنة والشهر مثل ⁦2026-11⁩، على ألا يكون في المستقبل.
err-report-choice = اختر أحد الخيارات.
err-report-contact = اذكر كيف يمكن الوصول إلى المُبلِّغ، أو اختر "لا".
err-report-no-hub = لا يوجد حالياً مركز يستقبل البلاغات.
err-receipt-code = رمز الإيصال مكوّن من 25 رقماً.
err-receipt-unknown = لا يوجد بلاغ بهذا الرمز.
err-report-closed = هذا البلاغ مغلق.
