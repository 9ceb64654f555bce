//! Demo content for the public site: the topic pages, questions and answers and three
//! stories, in English, French, Arabic and Tigrinya, reviewed and published through the
//! same use cases editors use. The stories are invented; so are their speakers.

use haven_core::content::{self, ItemInput, TextInput};
use haven_core::{Actor, Ctx, Role};

/// (language, title, short text, text)
type Text = (&'static str, &'static str, &'static str, &'static str);

/// (slug, section, texts)
type Entry = (&'static str, &'static str, &'static [Text]);

const TOPICS: &[Entry] = &[
    ("asylum", "options", &[
        ("en", "Asylum", "If you fear serious harm in your country, you can ask for protection here.",
         "Asylum is protection for people who cannot go back because they fear persecution or serious harm. You ask for it at the immigration service of the country you are in. You have the right to an interpreter and to free legal help.\n\nIf your claim was refused before, a new claim is sometimes possible when there are new facts. Talk to a free legal adviser before you decide. They keep what you tell them confidential."),
        ("fr", "L’asile", "Si vous craignez de graves dangers dans votre pays, vous pouvez demander une protection ici.",
         "L’asile protège les personnes qui ne peuvent pas rentrer parce qu’elles craignent des persécutions ou de graves dangers. Vous le demandez auprès du service d’immigration du pays où vous êtes. Vous avez droit à un interprète et à une aide juridique gratuite.\n\nSi votre demande a déjà été refusée, une nouvelle demande est parfois possible en cas de faits nouveaux. Parlez à un conseiller juridique gratuit avant de décider. Ce que vous lui dites reste confidentiel."),
        ("ar", "اللجوء", "إذا كنت تخاف من أذى خطير في بلدك، يمكنك أن تطلب الحماية هنا.",
         "اللجوء حماية للأشخاص الذين لا يستطيعون العودة لأنهم يخافون من الاضطهاد أو من أذى خطير. تطلبه من دائرة الهجرة في البلد الذي أنت فيه. لك الحق في مترجم وفي مساعدة قانونية مجانية.\n\nإذا رُفض طلبك من قبل، فقد يمكن تقديم طلب جديد أحياناً عند وجود وقائع جديدة. تحدّث مع مستشار قانوني مجاني قبل أن تقرر. ما تقوله له يبقى سرياً."),
        ("ti", "ዑቕባ", "ኣብ ሃገርኩም ከቢድ ጉድኣት ዝፈርሑ እንተ ኾይንኩም፡ ኣብዚ ሓለዋ ክትሓቱ ትኽእሉ ኢኹም።",
         "ዑቕባ ንሰባት ስደት ወይ ከቢድ ጉድኣት ስለ ዝፈርሑ ክምለሱ ዘይክእሉ ዝወሃብ ሓለዋ እዩ። ኣብቲ ዘለኹምዋ ሃገር ናብ ቤት ጽሕፈት ስደት ትሓትዎ። ተርጓሚን ብነጻ ሕጋዊ ሓገዝን ናይ ምርካብ መሰል ኣለኩም።\n\nቅድሚ ሕጂ ሕቶኹም እንተ ተነጺጉ፡ ሓድሽ ሓቅታት እንተ ሃልዩ ሓድሽ ሕቶ ምቕራብ ሓደ ሓደ ግዜ ይከኣል እዩ። ቅድሚ ምውሳንኩም ምስ ብነጻ ዝሰርሕ ሕጋዊ ኣማኻሪ ተዘራረቡ። ዝነገርኩምዎ ብምስጢር ይሕዝዎ።"),
    ]),
    ("regularisation", "options", &[
        ("en", "Other ways to legal stay", "Some people can get a residence permit for other reasons: health, family, work or many years here.",
         "Every country has its own rules. Examples are a permit for medical reasons, for victims of human trafficking, for family members, or for people who have lived and worked here for many years.\n\nThe rules are strict and change often. A free legal adviser can check with you, in confidence, whether one of them fits your situation."),
        ("fr", "D’autres voies vers un séjour légal", "Certaines personnes peuvent obtenir un titre de séjour pour d’autres raisons : santé, famille, travail ou longues années ici.",
         "Chaque pays a ses propres règles. Par exemple : un titre pour raisons médicales, pour les victimes de traite des êtres humains, pour les membres de la famille, ou pour les personnes qui vivent et travaillent ici depuis de nombreuses années.\n\nLes règles sont strictes et changent souvent. Un conseiller juridique gratuit peut vérifier avec vous, en toute confidentialité, si l’une d’elles correspond à votre situation."),
        ("ar", "طرق أخرى للإقامة القانونية", "يمكن لبعض الأشخاص الحصول على تصريح إقامة لأسباب أخرى: الصحة أو العائلة أو العمل أو سنوات طويلة هنا.",
         "لكل بلد قواعده الخاصة. من الأمثلة: تصريح لأسباب طبية، أو لضحايا الاتجار بالبشر، أو لأفراد العائلة، أو لأشخاص عاشوا وعملوا هنا سنوات طويلة.\n\nالقواعد صارمة وتتغير كثيراً. يمكن لمستشار قانوني مجاني أن يتحقق معك بسرية إن كانت إحداها تناسب وضعك."),
        ("ti", "ካልእ መንገድታት ሕጋዊ መንበሪ", "ገለ ሰባት ብኻልእ ምኽንያት መንበሪ ፍቓድ ክረኽቡ ይኽእሉ፡ ጥዕና፡ ስድራ፡ ስራሕ ወይ ብዙሕ ዓመታት ኣብዚ ምንባር።",
         "ነፍሲ ወከፍ ሃገር ናይ ገዛእ ርእሳ ሕግታት ኣለዋ። ንኣብነት፡ ብሕክምናዊ ምኽንያት፡ ንግዳያት ዘውጻእ ሰባት፡ ንኣባላት ስድራ፡ ወይ ንብዙሕ ዓመታት ኣብዚ ዝነበሩን ዝሰርሑን ሰባት ዝወሃብ ፍቓድ።\n\nእቲ ሕግታት ጽኑዕ እዩ፡ ብዙሕ ግዜ ድማ ይቕየር። ብነጻ ዝሰርሕ ሕጋዊ ኣማኻሪ ሓደ ካብኡ ንኹነታትኩም ዝሰማማዕ እንተ ኾይኑ ብምስጢር ምሳኹም ክርኢ ይኽእል።"),
    ]),
    ("onward-migration", "options", &[
        ("en", "Moving on to another country", "Travelling on is only safe with a legal route. Know the risks before you go.",
         "Some people want to join family or find work in another country. Legal routes exist, such as family reunification or a work visa, but they take time and papers.\n\nTravelling without a legal route is dangerous and can harm your chances of protection later. An adviser can explain which routes are open to you."),
        ("fr", "Partir vers un autre pays", "Continuer la route n’est sûr qu’avec une voie légale. Connaissez les risques avant de partir.",
         "Certaines personnes veulent rejoindre leur famille ou trouver du travail dans un autre pays. Des voies légales existent, comme le regroupement familial ou un visa de travail, mais elles demandent du temps et des papiers.\n\nVoyager sans voie légale est dangereux et peut nuire à vos chances de protection plus tard. Un conseiller peut vous expliquer quelles voies vous sont ouvertes."),
        ("ar", "الانتقال إلى بلد آخر", "مواصلة الطريق آمنة فقط عبر طريق قانوني. اعرف المخاطر قبل أن تذهب.",
         "يريد بعض الأشخاص اللحاق بعائلاتهم أو إيجاد عمل في بلد آخر. توجد طرق قانونية، مثل لمّ شمل العائلة أو تأشيرة عمل، لكنها تحتاج إلى وقت وأوراق.\n\nالسفر دون طريق قانوني خطير وقد يضر بفرصك في الحماية لاحقاً. يمكن لمستشار أن يشرح لك الطرق المتاحة لك."),
        ("ti", "ናብ ካልእ ሃገር ምኻድ", "ጉዕዞ ምቕጻል ብሕጋዊ መንገዲ ጥራይ ውሑስ እዩ። ቅድሚ ምኻድኩም ሓደጋታት ፍለጡ።",
         "ገለ ሰባት ምስ ስድራኦም ክራኸቡ ወይ ኣብ ካልእ ሃገር ስራሕ ክረኽቡ ይደልዩ። ከም ስድራ ምጥርናፍ ወይ ቪዛ ስራሕ ዝኣመሰሉ ሕጋዊ መንገድታት ኣለዉ፡ ግን ግዜን ወረቐትን ይሓቱ።\n\nብዘይ ሕጋዊ መንገዲ ምጉዓዝ ሓደገኛ እዩ፡ ንድሕሪ ሕጂ ሓለዋ ናይ ምርካብ ዕድልኩም ድማ ክጎድእ ይኽእል። ኣማኻሪ ኣየኖት መንገድታት ንዓኹም ክፉታት ምዃኖም ክገልጸልኩም ይኽእል።"),
    ]),
    ("voluntary-return", "options", &[
        ("en", "Going back, with support", "If you decide to go home, you can get help with the journey and with starting again.",
         "Voluntary return is always your own choice. Return programmes pay for the journey, help with travel documents and can support you after arrival: money to start a small business, training, or help with housing.\n\nAsking about return does not oblige you to anything. You can ask questions, think it over and change your mind."),
        ("fr", "Rentrer, avec un soutien", "Si vous décidez de rentrer, vous pouvez être aidé pour le voyage et pour recommencer.",
         "Le retour volontaire est toujours votre choix. Les programmes de retour paient le voyage, aident à obtenir les documents et peuvent vous soutenir après l’arrivée : argent pour lancer une petite activité, formation ou aide au logement.\n\nSe renseigner sur le retour ne vous engage à rien. Vous pouvez poser vos questions, réfléchir et changer d’avis."),
        ("ar", "العودة مع الدعم", "إذا قررت العودة إلى بلدك، يمكنك الحصول على مساعدة في السفر وفي البدء من جديد.",
         "العودة الطوعية اختيارك أنت دائماً. برامج العودة تدفع تكاليف السفر، وتساعد في وثائق السفر، ويمكن أن تدعمك بعد الوصول: مال لبدء مشروع صغير، أو تدريب، أو مساعدة في السكن.\n\nالسؤال عن العودة لا يُلزمك بشيء. يمكنك أن تسأل وتفكر وتغيّر رأيك."),
        ("ti", "ብደገፍ ምምላስ", "ናብ ሃገርኩም ክትምለሱ እንተ ወሲንኩም፡ ኣብ ጉዕዞን ሓድሽ ጅማሮን ሓገዝ ክትረኽቡ ትኽእሉ።",
         "ብፍቓድ ምምላስ ኩሉ ግዜ ናይ ባዕልኹም ምርጫ እዩ። መደባት ምምላስ ዋጋ ጉዕዞ ይኸፍሉ፡ ኣብ ሰነዳት ጉዕዞ ይሕግዙ፡ ድሕሪ ምብጻሕኩም ድማ ክድግፉኹም ይኽእሉ፡ ንንእሽቶ ንግዲ ዝኸውን ገንዘብ፡ ስልጠና ወይ ሓገዝ ገዛ።\n\nብዛዕባ ምምላስ ምሕታት ንዝኾነ ነገር ኣየገድደኩምን። ክትሓቱ፡ ክትሓስቡን ሓሳብኩም ክትቕይሩን ትኽእሉ።"),
    ]),
    ("dublin", "options", &[
        ("en", "What a Dublin case means", "The Dublin rules decide which European country handles your asylum claim.",
         "Under the Dublin rules, the country responsible is usually the first EU country you entered, or the country that gave you a visa. Your fingerprints show where you were registered.\n\nA Dublin decision is not a decision on your reasons for asylum. Family in a country can change which country is responsible, and the deadlines are short. You can appeal: see a free legal adviser quickly."),
        ("fr", "Ce que signifie une procédure Dublin", "Les règles de Dublin décident quel pays européen traite votre demande d’asile.",
         "Selon les règles de Dublin, le pays responsable est en général le premier pays de l’UE où vous êtes entré, ou celui qui vous a donné un visa. Vos empreintes digitales montrent où vous avez été enregistré.\n\nUne décision Dublin n’est pas une décision sur vos raisons de demander l’asile. La présence de votre famille dans un pays peut changer le pays responsable, et les délais sont courts. Vous pouvez faire appel : voyez vite un conseiller juridique gratuit."),
        ("ar", "ماذا تعني قضية دبلن", "قواعد دبلن تحدد أي بلد أوروبي يدرس طلب لجوئك.",
         "حسب قواعد دبلن، البلد المسؤول هو عادةً أول بلد في الاتحاد الأوروبي دخلته، أو البلد الذي أعطاك تأشيرة. بصمات أصابعك تُظهر أين سُجّلت.\n\nقرار دبلن ليس قراراً في أسباب لجوئك. وجود عائلتك في بلد ما قد يغيّر البلد المسؤول، والمهل قصيرة. يمكنك الطعن: راجع مستشاراً قانونياً مجانياً بسرعة."),
        ("ti", "ጉዳይ ደብሊን እንታይ ማለት እዩ", "ሕግታት ደብሊን ኣየናይ ሃገር ኤውሮጳ ሕቶ ዑቕባኹም ከም ዝርኢ ይውስኑ።",
         "ብመሰረት ሕግታት ደብሊን፡ ሓላፍነት ዘለዋ ሃገር መብዛሕትኡ ግዜ እታ ቀዳመይቲ ዝኣቶኹምላ ሃገር ኤውሮጳዊ ሕብረት እያ፡ ወይ ቪዛ ዝሃበትኩም ሃገር። ኣሰር ኣጻብዕኩም ኣበይ ከም ዝተመዝገብኩም የርኢ።\n\nውሳነ ደብሊን ብዛዕባ ምኽንያታት ዑቕባኹም ዝተወሰነ ውሳነ ኣይኮነን። ኣብ ሓንቲ ሃገር ስድራ እንተ ሃልዩኹም ሓላፍነት ዘለዋ ሃገር ክቕየር ይኽእል፡ እቲ ግዜ ገደብ ድማ ሓጺር እዩ። ይግባይ ክትብሉ ትኽእሉ፡ ቀልጢፍኩም ብነጻ ዝሰርሕ ሕጋዊ ኣማኻሪ ርኸቡ።"),
    ]),
    ("health-care", "rights", &[
        ("en", "Emergency health care", "Everyone has the right to necessary medical care, with or without papers.",
         "Hospitals and doctors must help you in an emergency, even without ID, an address or insurance. Doctors have a duty of confidentiality: what you tell them stays between you and them.\n\nIn an emergency, call 112. For other care, a health clinic or a family doctor can help. Ask about costs first: support is often possible."),
        ("fr", "Les soins urgents", "Tout le monde a droit aux soins médicaux nécessaires, avec ou sans papiers.",
         "Les hôpitaux et les médecins doivent vous aider en cas d’urgence, même sans pièce d’identité, sans adresse ni assurance. Les médecins sont tenus au secret : ce que vous leur dites reste entre vous.\n\nEn cas d’urgence, appelez le 112. Pour les autres soins, un centre de santé ou un médecin généraliste peut vous aider. Renseignez-vous d’abord sur les frais : une aide est souvent possible."),
        ("ar", "الرعاية الصحية الطارئة", "لكل شخص الحق في الرعاية الطبية الضرورية، مع أوراق أو بدونها.",
         "على المستشفيات والأطباء مساعدتك في حالة الطوارئ، حتى بدون هوية أو عنوان أو تأمين. الأطباء ملزمون بالسرية: ما تقوله لهم يبقى بينك وبينهم.\n\nفي حالة الطوارئ اتصل بالرقم 112. لغير ذلك من الرعاية يمكن أن يساعدك مركز صحي أو طبيب عام. اسأل عن التكاليف أولاً: الدعم ممكن في كثير من الأحيان."),
        ("ti", "ህጹጽ ሕክምና", "ኩሉ ሰብ፡ ወረቐት ምስ ዘለዎ ወይ ብዘይ ወረቐት፡ ኣድላዪ ሕክምና ናይ ምርካብ መሰል ኣለዎ።",
         "ሆስፒታላትን ሓካይምን ኣብ ህጹጽ ኩነታት ክሕግዙኹም ኣለዎም፡ መንነት፡ ኣድራሻ ወይ ውሕስነት እንተ ዘይብልኩም እውን። ሓካይም ምስጢር ናይ ምሕላው ግዴታ ኣለዎም፡ ዝነገርኩምዎም ኣብ መንጎኹም ይተርፍ።\n\nኣብ ህጹጽ ኩነታት ናብ 112 ደውሉ። ንኻልእ ሕክምና ክሊኒክ ወይ ሓኪም ስድራ ክሕግዝ ይኽእል። ቅድም ብዛዕባ ክፍሊት ሕተቱ፡ መብዛሕትኡ ግዜ ደገፍ ይርከብ እዩ።"),
    ]),
    ("reporting-crime", "rights", &[
        ("en", "Reporting a crime safely", "Victims and witnesses can go to the police without being detained for their status: free in, free out.",
         "If you are the victim or witness of a crime, you can report it. In this city the police keep the rule \"free in, free out\": you can walk into a police station to report a crime and leave freely, without being detained because of your residence status.\n\nThe city's safe reporting hub can help you report, explain your rights and go with you to the police. Victims of trafficking or domestic violence can get shelter, and sometimes a residence permit."),
        ("fr", "Signaler un crime en sécurité", "Victimes et témoins peuvent aller à la police sans être retenus à cause de leur statut : entrer librement, sortir librement.",
         "Si vous êtes victime ou témoin d’un crime, vous pouvez le signaler. Dans cette ville, la police applique la règle « entrer librement, sortir librement » : vous pouvez entrer dans un commissariat pour signaler un crime et repartir librement, sans être retenu à cause de votre situation de séjour.\n\nLe point d’accueil municipal pour signalements peut vous aider à porter plainte, vous expliquer vos droits et vous accompagner à la police. Les victimes de traite ou de violences conjugales peuvent être hébergées, et parfois obtenir un titre de séjour."),
        ("ar", "الإبلاغ عن جريمة بأمان", "يمكن للضحايا والشهود الذهاب إلى الشرطة دون احتجازهم بسبب وضعهم: ادخل بحرية واخرج بحرية.",
         "إذا كنت ضحية جريمة أو شاهداً عليها، يمكنك الإبلاغ عنها. في هذه المدينة تلتزم الشرطة بقاعدة «ادخل بحرية، اخرج بحرية»: يمكنك دخول مركز الشرطة للإبلاغ عن جريمة والخروج بحرية، دون احتجازك بسبب وضع إقامتك.\n\nيمكن لمكتب الإبلاغ الآمن في المدينة أن يساعدك في الإبلاغ، ويشرح لك حقوقك، ويرافقك إلى الشرطة. يمكن لضحايا الاتجار بالبشر أو العنف الأسري الحصول على مأوى، وأحياناً على تصريح إقامة."),
        ("ti", "ገበን ብውሑስ ምሕባር", "ግዳያትን መሰኻኽርን ብሰንኪ ኩነታት መንበሪኦም ከይተታሕዙ ናብ ፖሊስ ክኸዱ ይኽእሉ፡ ብነጻ እቶ፡ ብነጻ ውጻእ።",
         "ግዳይ ወይ መሰኻኽር ገበን እንተ ኾይንኩም፡ ከተመልክቱ ትኽእሉ ኢኹም። ኣብዛ ከተማ ፖሊስ ነቲ \"ብነጻ እቶ፡ ብነጻ ውጻእ\" ዝብል ሕጊ ይሕልዉ፡ ገበን ንምሕባር ናብ ቤት ጽሕፈት ፖሊስ ክትኣትዉን ብሰንኪ ኩነታት መንበሪኹም ከይተታሕዝኩም ብነጻ ክትወጹን ትኽእሉ።\n\nናይ ከተማ ውሑስ ቤት ጽሕፈት ምሕባር ከተመልክቱ ክሕግዘኩም፡ መሰላትኩም ክገልጸልኩምን ናብ ፖሊስ ክሰንየኩምን ይኽእል። ግዳያት ዘውጻእ ሰባት ወይ ዓመጽ ኣብ ገዛ መዕቆቢ፡ ሓደ ሓደ ግዜ ድማ መንበሪ ፍቓድ ክረኽቡ ይኽእሉ።"),
    ]),
    ("schooling", "rights", &[
        ("en", "School for children", "Every child has the right to go to school, whatever their papers.",
         "Children can go to school even if they or their parents have no residence permit. A school may ask for an address or a birth certificate, but a missing permit is not a reason to refuse a child.\n\nAsk the school directly, or ask a support organisation to go with you."),
        ("fr", "L’école pour les enfants", "Tout enfant a le droit d’aller à l’école, quels que soient ses papiers.",
         "Les enfants peuvent aller à l’école même si eux ou leurs parents n’ont pas de titre de séjour. Une école peut demander une adresse ou un acte de naissance, mais l’absence de titre de séjour n’est pas une raison pour refuser un enfant.\n\nDemandez directement à l’école, ou demandez à une association de vous accompagner."),
        ("ar", "المدرسة للأطفال", "لكل طفل الحق في الذهاب إلى المدرسة، مهما كانت أوراقه.",
         "يمكن للأطفال الذهاب إلى المدرسة حتى لو لم يكن لديهم أو لدى والديهم تصريح إقامة. قد تطلب المدرسة عنواناً أو شهادة ميلاد، لكن غياب التصريح ليس سبباً لرفض طفل.\n\nاسأل المدرسة مباشرة، أو اطلب من منظمة دعم أن ترافقك."),
        ("ti", "ትምህርቲ ንቖልዑ", "ነፍሲ ወከፍ ቆልዓ፡ ወረቐቱ ብዘየገድስ፡ ናብ ቤት ትምህርቲ ናይ ምኻድ መሰል ኣለዎ።",
         "ቆልዑ ንሳቶም ወይ ወለዶም መንበሪ ፍቓድ እንተ ዘይብሎም እውን ናብ ቤት ትምህርቲ ክኸዱ ይኽእሉ። ቤት ትምህርቲ ኣድራሻ ወይ ወረቐት ልደት ክሓትት ይኽእል፡ ግን ፍቓድ ዘይምህላው ንቆልዓ ንምንጻግ ምኽንያት ኣይኮነን።\n\nንቤት ትምህርቲ ብቐጥታ ሕተቱ፡ ወይ ትካል ደገፍ ክሰንየኩም ሕተቱ።"),
    ]),
    ("labour-rights", "rights", &[
        ("en", "Your rights at work", "Work done is work paid, even without a work permit.",
         "If you have worked, you have the right to be paid for it, also without a permit. You also have the right to safe working conditions. Unions and legal advisers can help you claim unpaid wages.\n\nKeep notes: dates, hours, the address of the workplace and the name of the employer. They help prove your work."),
        ("fr", "Vos droits au travail", "Un travail fait est un travail payé, même sans permis de travail.",
         "Si vous avez travaillé, vous avez le droit d’être payé, même sans permis. Vous avez aussi droit à des conditions de travail sûres. Les syndicats et les conseillers juridiques peuvent vous aider à réclamer un salaire impayé.\n\nPrenez des notes : dates, heures, adresse du lieu de travail et nom de l’employeur. Elles aident à prouver votre travail."),
        ("ar", "حقوقك في العمل", "العمل الذي أنجزته يجب أن يُدفع أجره، حتى بدون تصريح عمل.",
         "إذا عملت فمن حقك أن تتقاضى أجرك، حتى بدون تصريح. ومن حقك أيضاً ظروف عمل آمنة. يمكن للنقابات والمستشارين القانونيين مساعدتك في المطالبة بالأجور غير المدفوعة.\n\nاحتفظ بملاحظات: التواريخ والساعات وعنوان مكان العمل واسم صاحب العمل. فهي تساعد في إثبات عملك."),
        ("ti", "መሰላትኩም ኣብ ስራሕ", "ዝተሰርሐ ስራሕ ክኽፈል ኣለዎ፡ ፍቓድ ስራሕ እንተ ዘይብልኩም እውን።",
         "እንተ ሰሪሕኩም፡ ብዘይ ፍቓድ እውን ክኽፈለኩም መሰል ኣለኩም። ውሑስ ኩነታት ስራሕ ናይ ምርካብ መሰል እውን ኣለኩም። ማሕበራት ሰራሕተኛታትን ሕጋዊ ኣማኻርትን ዘይተኸፍለ ደሞዝ ክትሓቱ ክሕግዙኹም ይኽእሉ።\n\nመዘኻኸሪ ሓዙ፡ ዕለታት፡ ሰዓታት፡ ኣድራሻ ቦታ ስራሕን ስም ወሃቢ ስራሕን። ስራሕኩም ንምርግጋጽ ይሕግዙ።"),
    ]),
];

const QUESTIONS: &[Entry] = &[
    ("no-name", "", &[
        ("en", "Do I have to give my name to get advice?", "No. You can ask for advice without giving your name or showing papers.",
         "If you later want help with a case, an adviser may need more. They will tell you why, and who will see it."),
        ("fr", "Dois-je donner mon nom pour être conseillé ?", "Non. Vous pouvez demander conseil sans donner votre nom ni montrer de papiers.",
         "Si vous voulez ensuite de l’aide pour un dossier, un conseiller aura peut-être besoin de plus. Il vous dira pourquoi, et qui le verra."),
        ("ar", "هل يجب أن أذكر اسمي لأحصل على استشارة؟", "لا. يمكنك طلب الاستشارة دون ذكر اسمك أو إظهار أوراق.",
         "إذا أردت لاحقاً مساعدة في قضية، فقد يحتاج المستشار إلى معلومات أكثر. سيخبرك لماذا، ومن سيطّلع عليها."),
        ("ti", "ምኽሪ ንምርካብ ስመይ ክህብ ኣለኒ ድዩ?", "ኣይፋልን። ስምኩም ከይሃብኩም ወይ ወረቐት ከየርኣኹም ምኽሪ ክትሓቱ ትኽእሉ።",
         "ድሒርኩም ኣብ ጉዳይ ሓገዝ እንተ ደሊኹም፡ ኣማኻሪ ተወሳኺ ሓበሬታ ከድልዮ ይኽእል። ስለምንታይን መን ከም ዝርእዮን ክነግረኩም እዩ።"),
    ]),
    ("report-arrest", "reporting-crime", &[
        ("en", "Will I be arrested if I report a crime?", "No. Under \"free in, free out\" you leave the police station freely.",
         "The police take your report as a victim or witness. Your residence status is not a reason to detain you when you come to report a crime."),
        ("fr", "Serai-je arrêté si je signale un crime ?", "Non. Avec « entrer librement, sortir librement », vous repartez librement du commissariat.",
         "La police enregistre votre plainte de victime ou de témoin. Votre situation de séjour n’est pas une raison de vous retenir quand vous venez signaler un crime."),
        ("ar", "هل سيُقبض عليّ إذا أبلغت عن جريمة؟", "لا. حسب قاعدة «ادخل بحرية، اخرج بحرية» تخرج من مركز الشرطة بحرية.",
         "تسجّل الشرطة بلاغك بصفتك ضحية أو شاهداً. وضع إقامتك ليس سبباً لاحتجازك عندما تأتي للإبلاغ عن جريمة."),
        ("ti", "ገበን እንተ ኣመልኪተ ክእሰር ድየ?", "ኣይፋልን። ብመሰረት \"ብነጻ እቶ፡ ብነጻ ውጻእ\" ካብ ቤት ጽሕፈት ፖሊስ ብነጻ ትወጹ።",
         "ፖሊስ ከም ግዳይ ወይ መሰኻኽር መመልከቲኹም ይቕበሉ። ገበን ከተመልክቱ ምስ መጻእኩም ኩነታት መንበሪኹም ንምትሓዝኩም ምኽንያት ኣይኮነን።"),
    ]),
    ("dublin-appeal", "dublin", &[
        ("en", "Can I appeal a Dublin decision?", "Yes, but the deadline is short, often one or two weeks.",
         "Go to a free legal adviser as soon as you receive the letter. Bring the letter and any papers you have."),
        ("fr", "Puis-je faire appel d’une décision Dublin ?", "Oui, mais le délai est court, souvent une ou deux semaines.",
         "Allez voir un conseiller juridique gratuit dès que vous recevez la lettre. Apportez la lettre et tous vos papiers."),
        ("ar", "هل يمكنني الطعن في قرار دبلن؟", "نعم، لكن المهلة قصيرة، غالباً أسبوع أو أسبوعان.",
         "راجع مستشاراً قانونياً مجانياً فور استلامك الرسالة. أحضر الرسالة وكل ما لديك من أوراق."),
        ("ti", "ኣብ ውሳነ ደብሊን ይግባይ ክብል እኽእል ድየ?", "እወ፡ ግን እቲ ግዜ ገደብ ሓጺር እዩ፡ መብዛሕትኡ ሓደ ወይ ክልተ ሰሙን።",
         "ነቲ ደብዳበ ምስ ተቐበልኩም ብቕልጡፍ ናብ ብነጻ ዝሰርሕ ሕጋዊ ኣማኻሪ ኪዱ። ነቲ ደብዳበን ዘለኩም ወረቐታትን ሒዝኩም ኪዱ።"),
    ]),
    ("return-obligation", "voluntary-return", &[
        ("en", "If I ask about return, do I have to go?", "No. Asking about return does not oblige you to anything.",
         "You can get information, think it over and decide later. The decision is always yours."),
        ("fr", "Si je me renseigne sur le retour, dois-je partir ?", "Non. Se renseigner sur le retour ne vous engage à rien.",
         "Vous pouvez vous informer, réfléchir et décider plus tard. La décision vous appartient toujours."),
        ("ar", "إذا سألت عن العودة، هل يجب أن أعود؟", "لا. السؤال عن العودة لا يُلزمك بشيء.",
         "يمكنك الحصول على المعلومات والتفكير والقرار لاحقاً. القرار دائماً قرارك."),
        ("ti", "ብዛዕባ ምምላስ እንተ ሓቲተ፡ ክኸይድ ኣለኒ ድዩ?", "ኣይፋልን። ብዛዕባ ምምላስ ምሕታት ንዝኾነ ነገር ኣየገድደኩምን።",
         "ሓበሬታ ክትረኽቡ፡ ክትሓስቡን ድሒርኩም ክትውስኑን ትኽእሉ። ውሳነ ኩሉ ግዜ ናትኩም እዩ።"),
    ]),
];

/// (slug, speaker as agreed, texts)
const STORIES: &[Entry] = &[
    ("amina-clinic", "Amina", &[
        ("en", "I was afraid to see a doctor", "Amina waited two years before she went to a clinic.",
         "For two years I did not go to a doctor, because I thought they would call the police. When my son had a high fever, a woman from the church took us to the clinic. Nobody asked for papers. The doctor only asked what was wrong.\n\nNow I tell other mothers: go. Your child's health comes first."),
        ("fr", "J’avais peur d’aller chez le médecin", "Amina a attendu deux ans avant d’aller dans un centre de santé.",
         "Pendant deux ans, je ne suis pas allée chez le médecin, parce que je pensais qu’il appellerait la police. Quand mon fils a eu une forte fièvre, une femme de l’église nous a emmenés au centre de santé. Personne n’a demandé de papiers. Le médecin a seulement demandé ce qui n’allait pas.\n\nMaintenant je dis aux autres mères : allez-y. La santé de votre enfant passe d’abord."),
        ("ar", "كنت أخاف من الذهاب إلى الطبيب", "انتظرت أمينة سنتين قبل أن تذهب إلى عيادة.",
         "لمدة سنتين لم أذهب إلى طبيب، لأنني ظننت أنهم سيتصلون بالشرطة. عندما أصيب ابني بحمى شديدة، أخذتنا امرأة من الكنيسة إلى العيادة. لم يسألنا أحد عن الأوراق. سأل الطبيب فقط عمّا يؤلمه.\n\nالآن أقول للأمهات الأخريات: اذهبن. صحة أطفالكن أولاً."),
        ("ti", "ናብ ሓኪም ክኸይድ እፈርህ ነይረ", "ኣሚና ናብ ክሊኒክ ቅድሚ ምኻዳ ክልተ ዓመት ተጸቢያ።",
         "ንክልተ ዓመት ናብ ሓኪም ኣይከድኩን፡ ፖሊስ ክጽውዑ እዮም ኢለ ስለ ዝሓሰብኩ። ወደይ ብርቱዕ ረስኒ ምስ ሓዞ፡ ሓንቲ ካብ ቤተ ክርስትያን ዝመጽአት ሰበይቲ ናብ ክሊኒክ ወሰደትና። ወረቐት ዝሓተተና ሰብ ኣይነበረን። እቲ ሓኪም እንታይ ከም ዝሓመመ ጥራይ ሓተተ።\n\nሕጂ ንኻልኦት ኣዴታት፡ ኪዳ እብለን። ጥዕና ቆልዓኽን ይቕድም።"),
    ]),
    ("yonas-dublin", "Yonas", &[
        ("en", "After the Dublin letter", "Yonas thought it was over when the letter came.",
         "When the Dublin letter came, I thought everything was over. A legal adviser explained what it meant and that I could appeal. It took months, but I was not alone any more.\n\nRead the letter, and find someone who can explain it. Do not wait."),
        ("fr", "Après la lettre Dublin", "Yonas a cru que tout était fini quand la lettre est arrivée.",
         "Quand la lettre Dublin est arrivée, j’ai cru que tout était fini. Un conseiller juridique m’a expliqué ce qu’elle voulait dire et que je pouvais faire appel. Cela a pris des mois, mais je n’étais plus seul.\n\nLisez la lettre et trouvez quelqu’un qui peut vous l’expliquer. N’attendez pas."),
        ("ar", "بعد رسالة دبلن", "ظنّ يوناس أن كل شيء انتهى عندما وصلت الرسالة.",
         "عندما وصلت رسالة دبلن، ظننت أن كل شيء انتهى. شرح لي مستشار قانوني معناها وأنني أستطيع الطعن. استغرق الأمر شهوراً، لكنني لم أعد وحدي.\n\nاقرأ الرسالة، وابحث عن شخص يشرحها لك. لا تنتظر."),
        ("ti", "ድሕሪ ደብዳበ ደብሊን", "ዮናስ እቲ ደብዳበ ምስ መጸ ኩሉ ወዲኡ ኢሉ ሓሲቡ ነይሩ።",
         "እቲ ደብዳበ ደብሊን ምስ መጸ፡ ኩሉ ነገር ወዲኡ ኢለ ሓሲበ። ሓደ ሕጋዊ ኣማኻሪ ትርጉሙን ይግባይ ክብል ከም ዝኽእልን ገለጸለይ። ኣዋርሕ ወሰደ፡ ግን ድሕሪኡ በይነይ ኣይነበርኩን።\n\nነቲ ደብዳበ ኣንብብዎ፡ ዝገልጸልኩም ሰብ ድማ ድለዩ። ኣይትጸበዩ።"),
    ]),
    ("karim-return", "Karim", &[
        ("en", "Going home on my own terms", "Karim chose to return after six years, with support to start again.",
         "After six years here I decided to go back to my family. The return programme paid my ticket and helped me start a small workshop. It was my decision; nobody pushed me.\n\nTake your time, and ask all your questions before you decide."),
        ("fr", "Rentrer à ma façon", "Karim a choisi de rentrer après six ans, avec une aide pour recommencer.",
         "Après six ans ici, j’ai décidé de rentrer auprès de ma famille. Le programme de retour a payé mon billet et m’a aidé à ouvrir un petit atelier. C’était ma décision ; personne ne m’a poussé.\n\nPrenez votre temps, et posez toutes vos questions avant de décider."),
        ("ar", "عدت إلى بلدي بقراري", "اختار كريم العودة بعد ست سنوات، مع دعم ليبدأ من جديد.",
         "بعد ست سنوات هنا قررت العودة إلى عائلتي. دفع برنامج العودة ثمن تذكرتي وساعدني في فتح ورشة صغيرة. كان قراري؛ لم يضغط عليّ أحد.\n\nخذ وقتك، واسأل كل أسئلتك قبل أن تقرر."),
        ("ti", "ብውሳነይ ናብ ገዛ ምምላስ", "ከሪም ድሕሪ ሽዱሽተ ዓመት ክምለስ መሪጹ፡ ሓድሽ ጅማሮ ንምግባር ደገፍ ረኺቡ።",
         "ኣብዚ ድሕሪ ሽዱሽተ ዓመት ናብ ስድራይ ክምለስ ወሲነ። መደብ ምምላስ ቲኬተይ ከፊሉ ንእሽቶ ቤት ዕዮ ክኸፍት ሓገዘኒ። ውሳነይ እዩ ነይሩ፡ ዝደፍኣኒ ሰብ ኣይነበረን።\n\nግዜኹም ውሰዱ፡ ቅድሚ ምውሳንኩም ድማ ኩሉ ሕቶታትኩም ሕተቱ።"),
    ]),
];

/// Publishes the demo content. Stories carry consent for one year from today.
pub async fn seed(ctx: &Ctx) -> anyhow::Result<()> {
    let e = |e: haven_core::Error| anyhow::anyhow!("seeding content failed: {e:?}");
    // The command line acting as an editor: it writes, reviews and publishes.
    let editor = Actor {
        roles: vec![Role::Editor],
        ..Actor::system()
    };
    let today = ctx.clock.now().date();
    let in_a_year = today.replace_year(today.year() + 1).unwrap_or(today);
    for (kind, entries) in [("page", TOPICS), ("qa", QUESTIONS), ("story", STORIES)] {
        for (position, (slug, section, texts)) in entries.iter().enumerate() {
            let story = kind == "story";
            let input = ItemInput {
                kind: kind.to_owned(),
                slug: (*slug).to_owned(),
                section: if story {
                    String::new()
                } else {
                    (*section).to_owned()
                },
                position: i64::try_from(position).ok(),
                speaker: story.then(|| (*section).to_owned()),
                consent_on: story.then(|| today.to_string()),
                expires_on: story.then(|| in_a_year.to_string()),
            };
            let id = content::create(ctx, &editor, &input).await.map_err(e)?;
            for (lang, title, summary, body) in texts.iter() {
                let text = TextInput {
                    title: (*title).to_owned(),
                    summary: (*summary).to_owned(),
                    body: (*body).to_owned(),
                };
                content::save(ctx, &editor, id, lang, &text)
                    .await
                    .map_err(e)?;
                content::review(ctx, &editor, id, lang).await.map_err(e)?;
                content::publish(ctx, &editor, id, lang).await.map_err(e)?;
            }
        }
    }
    Ok(())
}
