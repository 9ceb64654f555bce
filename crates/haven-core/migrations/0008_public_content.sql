-- The public information site's content: topic pages, questions and answers, and stories,
-- each with one translation per language.

-- One piece of content, whatever its language. `kind` is page | qa | story; `section` says
-- where a page belongs (options | rights) and, for a question, which topic it belongs to.
-- A story carries the speaker's recorded consent, kept minimal: only the name the speaker
-- agreed to publish (`speaker`, often a first name or a pseudonym), when consent was
-- recorded and by which staff member, and when it ends. Nothing else about the speaker.
CREATE TABLE content_items (
    id                   TEXT PRIMARY KEY,
    kind                 TEXT NOT NULL,
    slug                 TEXT NOT NULL,
    section              TEXT NOT NULL DEFAULT '',
    position             BIGINT NOT NULL DEFAULT 0,
    speaker              TEXT,
    consent_at           BIGINT,
    consent_recorded_by  TEXT,
    expires_at           BIGINT,
    withdrawn_at         BIGINT,
    withdrawn_by         TEXT,
    created_at           BIGINT NOT NULL,
    UNIQUE (kind, slug)
);

-- One language of one item. The working copy (title, summary, body) moves through
-- draft -> reviewed -> published; the published copy (pub_*) is what the public site shows
-- and stays online while a new draft is worked on. `version` counts edits of the working
-- copy. `source_version` is the English version a translation was made from (for English it
-- equals `version`): a translation is out of date while it is below the English version.
CREATE TABLE content_translations (
    item_id         TEXT NOT NULL REFERENCES content_items (id),
    lang            TEXT NOT NULL,
    title           TEXT NOT NULL,
    summary         TEXT NOT NULL,
    body            TEXT NOT NULL,
    version         BIGINT NOT NULL,
    source_version  BIGINT NOT NULL,
    status          TEXT NOT NULL,
    edited_by       TEXT NOT NULL,
    edited_at       BIGINT NOT NULL,
    reviewed_by     TEXT,
    reviewed_at     BIGINT,
    published_by    TEXT,
    published_at    BIGINT,
    pub_title       TEXT,
    pub_summary     TEXT,
    pub_body        TEXT,
    pub_version     BIGINT,
    PRIMARY KEY (item_id, lang)
);
CREATE INDEX content_translations_lang ON content_translations (lang, item_id);
