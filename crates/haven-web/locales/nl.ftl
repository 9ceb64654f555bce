# Haven — Nederlands.

language-name = Nederlands
language = Taal
change = Wijzigen
skip-to-content = Naar de inhoud
nav-label = Hoofdmenu
nav-home = Start
nav-persons = Personen
nav-stats = Cijfers
nav-organisations = Organisaties
nav-users = Medewerkersaccounts
nav-audit = Auditlog
nav-account = Mijn account
sign-in = Inloggen
sign-out = Uitloggen
verify = Controleren
search = Zoeken
save = Opslaan
cancel = Annuleren
back-home = Terug naar de startpagina
not-recorded = Niet vastgelegd
demo-banner = Demomodus: alle gegevens hier zijn verzonnen. Voer geen gegevens van echte mensen in.
form-has-errors = Verbeter het volgende:

## Public site
public-title = Hulp in deze stad, wat uw papieren ook zijn
public-intro = Haven wordt gebruikt door de gemeente en de organisaties waarmee zij samenwerkt om mensen te helpen die hier wonen, met of zonder verblijfsvergunning.
public-firewall = Wat u deze diensten vertelt, wordt gebruikt om u te helpen en te beschermen. Het wordt nooit doorgegeven aan de vreemdelingenautoriteiten.
public-staff-link = Inloggen voor medewerkers

## Sign-in
login-title = Inloggen
login-demo-note = Dit is een demo-installatie: demo-accounts kunnen inloggen zonder tweede factor. Een echte installatie vraagt er altijd om.
totp-title = Voer uw verificatiecode in
totp-intro = Open de authenticator-app op uw telefoon en voer de zescijferige code in die hij voor Haven toont.
hint-code = Zes cijfers, bijvoorbeeld 123456.
enrol-title = Stel uw tweede factor in
enrol-intro = Koppel eerst een authenticator-app (zoals FreeOTP of Aegis) aan uw account. Scan de code met de app of typ de sleutel hieronder over, en voer dan de zescijferige code in die de app toont.
enrol-qr-label = QR-code om te scannen met uw authenticator-app
enrol-secret = Sleutel om over te typen:

## Home
home-title = Start
home-welcome = Welkom, { $name }
home-your-roles = Uw rollen:
home-admin = Beheer
home-no-persons = Uw rol geeft geen toegang tot gegevens over personen.
stats-open = Bekijk de cijfers

## Account
account-second-factor = Tweede factor
account-totp-on = Authenticator-app ingesteld
account-totp-off = Niet ingesteld
account-reset-note = Telefoon kwijt? Vraag een beheerder uw tweede factor te resetten; bij de volgende keer inloggen stelt u een nieuwe in.

## Roles
role-administrator = Beheerder
role-case_manager = Casemanager
role-legal_counsellor = Juridisch adviseur
role-outreach_worker = Straatwerker
role-shelter_coordinator = Opvangcoördinator
role-hub_officer = Medewerker meldpunt
role-partner_staff = Medewerker partnerorganisatie
role-analyst = Analist
role-team_lead = Teamleider
role-police_liaison = Contactpersoon politie

## Persons
person-register = Persoon registreren
person-edit = Gegevens wijzigen
person-unnamed = Persoon zonder vastgelegde naam
person-minimal-note = Leg alleen vast wat nodig is om te helpen. Elk veld mag leeg blijven; er wordt geen identiteitsnummer gevraagd.
person-updated = Laatst gewijzigd { $when } (UTC)
persons-recent = Onlangs gewijzigd
persons-results = Zoekresultaten: { $count }
persons-none-found = Geen persoon gevonden. Probeer een andere spelling, een deel van de naam of de alias.
persons-none-yet = Nog geen personen geregistreerd.
birth-about = rond { $year }
hint-name = In elk schrift en elke volgorde; ook spellingsvarianten worden gevonden.
hint-birth_date = Jaar-maand-dag, bijvoorbeeld 1994-03-21. Leeg laten als onbekend.
hint-list = Scheid meerdere met komma's.
hint-q = Een naam of alias in elke spelling, of een telefoonnummer.

gender-female = Vrouw
gender-male = Man
gender-non_binary = Non-binair
gender-unknown = Niet opgegeven

status-undocumented = Ongedocumenteerd
status-rejected_asylum_seeker = Afgewezen asielzoeker
status-dublin_claimant = Dublinclaimant
status-asylum_seeker = Asielzoeker
status-recognised_refugee = Erkend vluchteling (statushouder)
status-eu_citizen_without_rights = EU-burger zonder recht op voorzieningen
status-transit = Op doorreis
status-unknown = Onbekend

## Field names
field-username = Gebruikersnaam
field-password = Wachtwoord
field-code = Verificatiecode
field-display_name = Weergavenaam
field-org_id = Organisatie
field-roles = Rollen
field-name = Naam
field-alias = Alias
field-birth = Geboorte
field-birth_date = Geboortedatum
field-birth_year = Geboortejaar (ongeveer)
field-gender = Gender
field-nationalities = Nationaliteiten
field-languages = Talen
field-phone = Telefoon
field-residence_status = Verblijfsstatus
field-notes = Aantekeningen
field-q = Zoeken op naam
field-version = Versie
field-kind = Soort
field-lang = Taal

## Errors
title-400 = Er is iets mis met het verzoek
title-401 = Log eerst in
title-403 = Niet toegestaan
title-404 = Niet gevonden
title-409 = Intussen gewijzigd
title-410 = Gewist
title-422 = Controleer uw invoer
title-500 = Er ging iets mis
err-unauthenticated = Log eerst in.
err-forbidden = Uw rol staat dit niet toe.
err-not-found = Hier is niets, of het is niet gedeeld met uw organisatie.
err-invalid = Sommige velden moeten worden verbeterd.
err-erased = De gegevens van deze persoon zijn gewist en kunnen niet meer worden gelezen.
err-internal = Er ging bij ons iets mis. Probeer het opnieuw; gebeurt het weer, meld het dan aan uw beheerder.
err-stale = Iemand anders heeft dit dossier gewijzigd terwijl u bezig was. Open het opnieuw om de huidige versie te zien en breng dan uw wijziging aan.
err-required = Dit is verplicht.
err-too-long = Dit is te lang.
err-control-chars = Dit bevat tekens die niet kunnen worden opgeslagen; verwijder ze.
err-length-2-200 = Gebruik 2 tot 200 tekens.
err-choice = Kies een van de aangeboden mogelijkheden.
err-date = Schrijf de datum als jaar-maand-dag, bijvoorbeeld 1994-03-21.
err-date-range = De datum moet na 1900 liggen en niet in de toekomst.
err-year = Schrijf een jaar tussen 1900 en dit jaar, bijvoorbeeld 1994.
err-birth-both = Geef de exacte geboortedatum of een geschat jaar, niet allebei.
err-list-item = Elk onderdeel mag hoogstens 60 tekens hebben.
err-list-long = Hoogstens 10 onderdelen.
err-phone = Schrijf een telefoonnummer met 6 tot 20 cijfers, bijvoorbeeld +31 6 1234 5678.
err-search-empty = Typ minstens één letter of cijfer om te zoeken.
err-login-missing = Vul uw gebruikersnaam en wachtwoord in.
err-login-failed = De gebruikersnaam of het wachtwoord klopt niet, of het account is uitgeschakeld.
err-login-throttled = Te veel mislukte pogingen. Wacht een kwartier en probeer het opnieuw.
err-code-wrong = Deze code klopt niet of is al gebruikt. Voer de huidige code uit uw app in.
err-enrol-restart = Het instellen van de tweede factor duurde te lang. Log opnieuw in.
err-username = Gebruik 3 tot 64 tekens: kleine letters, cijfers, punt, streepje of liggend streepje.
err-username-taken = Deze gebruikersnaam is al in gebruik.
err-name-taken = Er bestaat al een organisatie met deze naam.
err-password-short = Gebruik minstens 10 tekens.
err-role-required = Kies minstens één rol.
err-disable-self = U kunt uw eigen account niet uitschakelen.
err-json = De inhoud van het verzoek is geen geldige JSON van de verwachte vorm:

## Shared
yes = Ja
no = Nee
choose-one = Maak een keuze…

## Organisations
org-new = Nieuwe organisatie
org-create = Organisatie toevoegen
org-edit = Organisatie wijzigen
orgs-none = Nog geen organisaties.
hint-active = Een inactieve organisatie blijft bewaard, maar wordt niet meer aangeboden bij het aanmaken van medewerkersaccounts.
org-kind-municipal_department = Gemeentelijke afdeling
org-kind-ngo = Maatschappelijke organisatie
org-kind-shelter_operator = Opvangorganisatie
org-kind-health = Zorg
org-kind-legal_aid = Rechtshulp
org-kind-police_liaison = Politiecontact
org-kind-other = Overig
field-active = Actief

## Staff accounts
user-new = Nieuw medewerkersaccount
user-create = Account aanmaken
user-edit = Medewerkersaccount wijzigen
users-none = Nog geen medewerkersaccounts.
user-totp-set-up = Tweede factor ingesteld
user-disabled = Uitgeschakeld
user-account-status = Account
user-status-enabled = Ingeschakeld
user-status-disabled = Uitgeschakeld: deze persoon kan niet inloggen.
hint-username = 3 tot 64 tekens: kleine letters, cijfers, punt, streepje of liggend streepje. Later niet te wijzigen.
hint-initial-password = Minstens 10 tekens. Geef het persoonlijk of telefonisch door aan de nieuwe collega, nooit per e-mail.
user-totp-note = De nieuwe collega stelt de tweede factor (een authenticator-app) in bij de eerste keer inloggen.
user-disable = Account uitschakelen
user-enable = Account inschakelen
user-disable-note = Uitschakelen logt deze persoon overal meteen uit; inloggen kan pas weer als het account opnieuw is ingeschakeld.
user-enable-note = Inschakelen laat deze persoon weer inloggen met wachtwoord en tweede factor.
user-reset-totp = Tweede factor opnieuw instellen
user-reset-note = Bij een verloren of vervangen telefoon: de persoon wordt uitgelogd en stelt bij de volgende keer inloggen een nieuwe tweede factor in.

## Audit log
audit-intro = Elke inzage en wijziging van persoonsgegevens en elke beheerhandeling wordt hier vastgelegd. Het log bevat alleen id's en rollen, geen persoonsgegevens.
audit-none = Geen gebeurtenissen vastgelegd.
audit-seq = Nr.
audit-time = Tijdstip (UTC)
audit-actor = Door (account-id)
audit-actor-roles = Diens rollen
audit-action = Handeling
audit-object-type = Soort object
audit-object-ids = Object-id's
audit-pages = Pagina's van het auditlog
audit-older = Oudere gebeurtenissen
audit-newest = Nieuwste gebeurtenissen

## Figures
stats-intro = Alleen aantallen, nooit een persoon. Een aantal onder de 5 wordt getoond als "minder dan 5", zodat niemand herkenbaar wordt.
stats-fewer-than = minder dan { $count }
stats-totals = Totalen
stats-persons = Geregistreerde personen
stats-organisations = Organisaties
stats-staff = Actieve medewerkersaccounts
stats-by-org = Per organisatie
stats-col-persons = Personen
stats-col-staff = Actieve medewerkers
stats-by-month = Registraties per maand (afgelopen jaar)
stats-month = Maand
stats-registrations = Registraties
stats-no-months = Geen registraties in het afgelopen jaar.
