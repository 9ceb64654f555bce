-- Haven's foundation schema. Portable SQL for SQLite and PostgreSQL; `{BLOB}` becomes BLOB or
-- BYTEA. Times are Unix seconds (BIGINT), ids are UUID text, flags are 0/1 BIGINT.
-- Migrations are only ever added, never edited.

CREATE TABLE organisations (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    active      BIGINT NOT NULL DEFAULT 1,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE UNIQUE INDEX organisations_name_key ON organisations (name);

CREATE TABLE users (
    id               TEXT PRIMARY KEY,
    org_id           TEXT NOT NULL REFERENCES organisations (id),
    username         TEXT NOT NULL,
    display_name     TEXT NOT NULL,
    password_hash    TEXT NOT NULL,
    -- The TOTP secret, wrapped by the key-encryption key; NULL until enrolled.
    totp_secret      TEXT,
    -- The last TOTP time step accepted, so a code cannot be used twice.
    totp_last_step   BIGINT NOT NULL DEFAULT 0,
    disabled         BIGINT NOT NULL DEFAULT 0,
    locale           TEXT,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL
);
CREATE UNIQUE INDEX users_username_key ON users (username);
CREATE INDEX users_org ON users (org_id);

CREATE TABLE user_roles (
    user_id  TEXT NOT NULL REFERENCES users (id),
    role     TEXT NOT NULL,
    PRIMARY KEY (user_id, role)
);

-- Server-side sessions. Only a SHA-256 of the token is stored.
CREATE TABLE sessions (
    token_hash    TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users (id),
    -- 'full', 'totp' (password checked, code pending) or 'enrol' (must enrol a second factor)
    stage         TEXT NOT NULL,
    kind          TEXT NOT NULL,
    csrf_token    TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    last_seen_at  BIGINT NOT NULL,
    -- A TOTP secret offered during enrolment, wrapped; moved to users on confirmation.
    pending_totp  TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);

-- A person's sensitive fields, sealed with their own data key. `data_key` is that key
-- wrapped by the KEK; NULL once destroyed, after which `sealed` can never be opened.
CREATE TABLE persons (
    id          TEXT PRIMARY KEY,
    owner_org   TEXT NOT NULL REFERENCES organisations (id),
    data_key    TEXT,
    sealed      {BLOB},
    phone_bidx  {BLOB},
    version     BIGINT NOT NULL,
    created_at  BIGINT NOT NULL,
    created_by  TEXT NOT NULL,
    updated_at  BIGINT NOT NULL,
    updated_by  TEXT NOT NULL
);
CREATE INDEX persons_phone_bidx ON persons (phone_bidx);
CREATE INDEX persons_owner_updated ON persons (owner_org, updated_at);

-- Blind-index tokens of a person's names and aliases (see people::names).
CREATE TABLE person_name_tokens (
    person_id  TEXT NOT NULL REFERENCES persons (id),
    token      {BLOB} NOT NULL,
    PRIMARY KEY (token, person_id)
);
CREATE INDEX person_name_tokens_person ON person_name_tokens (person_id);

-- Which organisations may see a person, and on what basis: 'owner' for the organisation
-- that registered them; 'referral' rows are added and removed by consented referrals.
CREATE TABLE person_access (
    person_id    TEXT NOT NULL REFERENCES persons (id),
    org_id       TEXT NOT NULL REFERENCES organisations (id),
    basis        TEXT NOT NULL,
    basis_ref    TEXT,
    granted_at   BIGINT NOT NULL,
    expires_at   BIGINT,
    PRIMARY KEY (person_id, org_id, basis)
);
CREATE INDEX person_access_org ON person_access (org_id, person_id);

-- The audit chain. No personal data: ids, roles and action names only.
CREATE TABLE audit_events (
    seq          BIGINT PRIMARY KEY,
    at           BIGINT NOT NULL,
    actor_id     TEXT NOT NULL,
    actor_org    TEXT NOT NULL,
    actor_roles  TEXT NOT NULL,
    action       TEXT NOT NULL,
    object_type  TEXT NOT NULL,
    object_ids   TEXT NOT NULL,
    mac          TEXT NOT NULL
);
CREATE INDEX audit_events_at ON audit_events (at);

-- The head of the chain: one row, locked by every audited transaction first.
CREATE TABLE audit_head (
    id    BIGINT PRIMARY KEY,
    seq   BIGINT NOT NULL,
    mac   TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, mac) VALUES (1, 0, '');
