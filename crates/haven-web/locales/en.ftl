# Haven staff and public interface text — English (the source language).
# Every other language file carries the same message ids; a test checks it.

language-name = English
language = Language
change = Change
skip-to-content = Skip to content
nav-label = Main
nav-home = Home
nav-persons = Persons
nav-stats = Figures
nav-organisations = Organisations
nav-users = Staff accounts
nav-audit = Audit log
nav-account = My account
sign-in = Sign in
sign-out = Sign out
verify = Verify
search = Search
save = Save
cancel = Cancel
back-home = Back to the start page
not-recorded = Not recorded
demo-banner = Demo mode: all data here is invented. Do not enter real people's details.
form-has-errors = Please correct the following:

## Public site
public-title = Help in this city, whatever your papers
public-intro = Haven is used by the city and the organisations that work with it to help people living here, with or without a residence permit.
public-firewall = What you tell these services is used to help and protect you. It is never passed on to immigration authorities.
public-staff-link = Staff sign-in

## Sign-in
login-title = Sign in
login-demo-note = This is a demo installation: demo accounts can sign in without a second factor. A real installation always asks for one.
totp-title = Enter your authentication code
totp-intro = Open the authenticator app on your phone and enter the six-digit code it shows for Haven.
hint-code = Six digits, for example 123456.
enrol-title = Set up your second factor
enrol-intro = Before you can use Haven, link an authenticator app (such as FreeOTP or Aegis) to your account. Scan the code with the app, or type the key below, then enter the six-digit code the app shows.
enrol-qr-label = QR code to scan with your authenticator app
enrol-secret = Key to type in by hand:

## Home
home-title = Start
home-welcome = Welcome, { $name }
home-your-roles = Your roles:
home-admin = Administration
home-no-persons = Your role does not give access to information about persons.
stats-open = See the figures

## Account
account-second-factor = Second factor
account-totp-on = Authenticator app set up
account-totp-off = Not set up
account-reset-note = Lost your phone? Ask an administrator to reset your second factor; you will set up a new one at your next sign-in.

## Roles
role-administrator = Administrator
role-case_manager = Case manager
role-legal_counsellor = Legal counsellor
role-outreach_worker = Outreach worker
role-shelter_coordinator = Shelter coordinator
role-hub_officer = Reporting-hub officer
role-partner_staff = Partner staff
role-analyst = Analyst
role-team_lead = Team lead
role-police_liaison = Police liaison

## Persons
person-register = Register a person
person-edit = Change details
person-unnamed = Person without a recorded name
person-minimal-note = Record only what is needed to help. Every field may stay empty; no identity number is asked.
person-updated = Last changed { $when } (UTC)
persons-recent = Recently changed
persons-results = Search results: { $count }
persons-none-found = No person found. Try another spelling, part of the name, or the alias.
persons-none-yet = No persons registered yet.
birth-about = about { $year }
hint-name = In any script and any order; spelling variants are found too.
hint-birth_date = Year-month-day, for example 1994-03-21. Leave empty if unknown.
hint-list = Separate several with commas.
hint-q = A name or alias in any spelling, or a phone number.

gender-female = Female
gender-male = Male
gender-non_binary = Non-binary
gender-unknown = Not stated

status-undocumented = Undocumented
status-rejected_asylum_seeker = Rejected asylum seeker
status-dublin_claimant = Dublin claimant
status-asylum_seeker = Asylum seeker
status-recognised_refugee = Recognised refugee
status-eu_citizen_without_rights = EU citizen without rights to assistance
status-transit = In transit
status-unknown = Unknown

## Field names
field-username = Username
field-password = Password
field-code = Authentication code
field-display_name = Display name
field-org_id = Organisation
field-roles = Roles
field-name = Name
field-alias = Alias
field-birth = Birth
field-birth_date = Date of birth
field-birth_year = Year of birth (approximate)
field-gender = Gender
field-nationalities = Nationalities
field-languages = Languages
field-phone = Phone
field-residence_status = Residence status
field-notes = Notes
field-q = Search by name
field-version = Version
field-kind = Kind
field-lang = Language

## Errors
title-400 = Something is wrong with the request
title-401 = Please sign in
title-403 = Not allowed
title-404 = Not found
title-409 = Changed in the meantime
title-410 = Erased
title-422 = Please check your input
title-500 = Something went wrong
err-unauthenticated = Please sign in first.
err-forbidden = Your role does not allow this.
err-not-found = There is nothing here, or it is not shared with your organisation.
err-invalid = Some fields need correcting.
err-erased = This person's data has been erased and can no longer be read.
err-internal = Something went wrong on our side. Please try again; if it happens again, tell your administrator.
err-stale = Someone else changed this record while you were editing. Open it again to see the current version, then make your change.
err-required = This is required.
err-too-long = This is too long.
err-control-chars = This contains characters that cannot be stored; remove them.
err-length-2-200 = Use between 2 and 200 characters.
err-choice = Choose one of the options offered.
err-date = Write the date as year-month-day, for example 1994-03-21.
err-date-range = The date must be after 1900 and not in the future.
err-year = Write a year between 1900 and this year, for example 1994.
err-birth-both = Give either the exact date of birth or an approximate year, not both.
err-list-item = Each entry may have at most 60 characters.
err-list-long = At most 10 entries.
err-phone = Write a phone number with 6 to 20 digits, for example +31 6 1234 5678.
err-search-empty = Type at least one letter or digit to search.
err-login-missing = Enter your username and password.
err-login-failed = The username or password is not correct, or the account is disabled.
err-login-throttled = Too many failed attempts. Wait fifteen minutes and try again.
err-code-wrong = This code is not correct or was already used. Enter the current code from your app.
err-enrol-restart = Setting up the second factor took too long. Please sign in again.
err-username = Use 3 to 64 characters: lower-case letters, digits, dot, dash or underscore.
err-username-taken = This username is already taken.
err-name-taken = An organisation with this name already exists.
err-password-short = Use at least 10 characters.
err-role-required = Choose at least one role.
err-disable-self = You cannot disable your own account.
err-json = The request body is not valid JSON of the expected form:

## Shared
yes = Yes
no = No
choose-one = Choose…

## Organisations
org-new = New organisation
org-create = Add organisation
org-edit = Change organisation
orgs-none = No organisations yet.
hint-active = An inactive organisation stays on record but is no longer offered when creating staff accounts.
org-kind-municipal_department = Municipal department
org-kind-ngo = Non-governmental organisation
org-kind-shelter_operator = Shelter operator
org-kind-health = Health care
org-kind-legal_aid = Legal aid
org-kind-police_liaison = Police liaison
org-kind-other = Other
field-active = Active

## Staff accounts
user-new = New staff account
user-create = Create account
user-edit = Change staff account
users-none = No staff accounts yet.
user-totp-set-up = Second factor set up
user-disabled = Disabled
user-account-status = Account
user-status-enabled = Enabled
user-status-disabled = Disabled: this person cannot sign in.
hint-username = 3 to 64 characters: lower-case letters, digits, dot, dash or underscore. Cannot be changed later.
hint-initial-password = At least 10 characters. Give it to the new colleague in person or by phone, never by e-mail.
user-totp-note = The new colleague sets up their second factor (an authenticator app) when they first sign in.
user-disable = Disable account
user-enable = Enable account
user-disable-note = Disabling signs this person out everywhere at once; they cannot sign in until the account is enabled again.
user-enable-note = Enabling lets this person sign in again with their password and second factor.
user-reset-totp = Reset second factor
user-reset-note = For a lost or replaced phone: the person is signed out and sets up a new second factor at their next sign-in.

## Audit log
audit-intro = Every reading and change of personal data, and every administrative action, is recorded here. The log holds ids and roles only, no personal data.
audit-none = No events recorded.
audit-seq = No.
audit-time = Time (UTC)
audit-actor = By (account id)
audit-actor-roles = Their roles
audit-action = Action
audit-object-type = Object type
audit-object-ids = Object ids
audit-pages = Pages of the audit log
audit-older = Older events
audit-newest = Newest events

## Figures
stats-intro = Counts only, never a person. Any count below 5 is shown as "fewer than 5", so that nobody can be singled out.
stats-fewer-than = fewer than { $count }
stats-totals = Totals
stats-persons = Persons registered
stats-organisations = Organisations
stats-staff = Active staff accounts
stats-by-org = By organisation
stats-col-persons = Persons
stats-col-staff = Active staff
stats-by-month = Registrations per month (past year)
stats-month = Month
stats-registrations = Registrations
stats-no-months = No registrations in the past year.
