language-name = العربية
site-name = الحقوق والخيارات
skip = انتقل إلى المحتوى
nav-label = القائمة الرئيسية
nav-home = الرئيسية
nav-questions = أسئلة
nav-stories = قصص
nav-languages = اللغات
home-title = معلومات للجميع، مع أوراق أو بدونها
home-intro = خياراتك وحقوقك في هذه المدينة، بلغتك. مجاناً. لا تحتاج إلى ذكر اسمك.
home-safe-title = القراءة هنا آمنة
home-safe = هذا الموقع لا يستخدم ملفات تعريف الارتباط ولا يحتفظ بأي سجل عن هويتك. لا تتم مشاركة أي شيء مع سلطات الهجرة.
section-options = خياراتك
section-options-intro = طرق قانونية للمضي قدماً. القرار دائماً قرارك.
section-rights = حقوقك، مهما كان وضعك
section-rights-intro = هذه الحقوق قائمة حتى بدون أوراق.
more-title = المزيد
in-english = هذا النص غير متوفر بلغتك بعد. إليك النص بالإنجليزية.
topic-questions = أسئلة حول هذا الموضوع
topic-leaflet = نشرة للطباعة
questions-title = أسئلة وأجوبة
questions-intro = أجوبة قصيرة عن أسئلة يطرحها الناس كثيراً.
none-yet = لا يوجد شيء بهذه اللغة بعد.
stories-title = قصص
stories-intro = أشخاص يروون قصصهم بكلماتهم. تُنشر كل قصة بموافقة صاحبها وتُحذف متى طلب ذلك.
story-by = يرويها { $name }
languages-title = اختر لغتك
languages-intro = اللغة جزء من عنوان الموقع. لا يُحفظ أي شيء على هاتفك.
leaflet-scan = امسح الرمز لقراءة هذا على الإنترنت بلغتك:
footer-safe = مجاني وسري. بلا ملفات تعريف ارتباط. بلا تتبع.
emergency = في حالة الطوارئ اتصل بالرقم 112. الرعاية الطارئة حق للجميع.
not-found-title = الصفحة غير موجودة
not-found = هذه الصفحة غير موجودة.

# Get help now: services from the directory.
nav-help = المساعدة
home-help = احصل على المساعدة الآن: مأوى وطعام ورعاية صحية واستشارة قانونية والمزيد
help-title = احصل على المساعدة الآن
help-intro = خدمات في هذه المدينة تساعد الجميع، بأوراق أو بدونها. اختر ما تحتاجه ولغة.
help-need = ماذا تحتاج؟
help-any-need = أي نوع من المساعدة
help-language = بأي لغة؟
help-any-language = أي لغة
help-show = اعرض الخدمات
help-unknown-filter = لم نتعرف على جزء من اختيارك، لذلك لم يُطبَّق.
help-count =
    { $count ->
        [zero] لا توجد خدمات
        [one] خدمة واحدة
        [two] خدمتان
        [few] { $count } خدمات
       *[other] { $count } خدمة
    }
help-none = لا توجد خدمة تطابق اختيارك.
help-past-end = هذه الصفحة بعد نهاية القائمة.
help-first-page = انتقل إلى الصفحة الأولى
help-remove-need = اعرض كل أنواع المساعدة
help-remove-language = اعرض الخدمات بكل اللغات
help-helps-with = تساعد في
help-hours = أوقات العمل
help-phone = الهاتف
help-where = المكان
help-call-to-arrange = عنوان سري: اتصل لترتيب موعد
help-languages = اللغات
help-pages = الصفحات
help-previous = الصفحة السابقة
help-next = الصفحة التالية
help-no-documents = لا حاجة لأي وثائق
help-no-immigration = لا تُشارَك أي بيانات مع سلطات الهجرة
help-free = مجاني
help-anonymous = يمكنك البقاء مجهول الهوية
help-every-day = كل يوم
list-sep = { "، " }
day-mo = الاثنين
day-tu = الثلاثاء
day-we = الأربعاء
day-th = الخميس
day-fr = الجمعة
day-sa = السبت
day-su = الأحد
need-shelter = مأوى
need-food = طعام
need-health = صحة
need-legal-advice = استشارة قانونية
need-return-counselling = استشارة العودة
need-report-a-crime = الإبلاغ عن جريمة
