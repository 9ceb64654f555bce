-- A staff member's e-mail address, for messages that say a notification is waiting in
-- Haven (sent only when the operator configures an SMTP server). NULL: no e-mail.
-- `email_notify` is the staff member's choice to receive them (1, the default) or not (0).
ALTER TABLE users ADD COLUMN email TEXT;
ALTER TABLE users ADD COLUMN email_notify BIGINT NOT NULL DEFAULT 1;
