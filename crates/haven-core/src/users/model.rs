//! Staff accounts as the rest of Haven sees them, the inputs that create and change them,
//! and the parsing of those inputs.

use serde::{Deserialize, Serialize};

use crate::ids::{OrgId, UserId};
use crate::{Actor, FieldError, Role};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct User {
    #[schema(value_type = String, format = Uuid)]
    pub id: UserId,
    #[schema(value_type = String, format = Uuid)]
    pub org_id: OrgId,
    pub org_name: String,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub disabled: bool,
    pub totp_enrolled: bool,
    pub locale: Option<String>,
    /// Where Haven e-mails that a notification is waiting (when e-mail is configured).
    pub email: Option<String>,
    /// Whether the user wants those e-mails.
    pub email_notify: bool,
}

/// What a correct password tells the sign-in flow.
#[derive(Debug, Clone)]
pub struct PasswordOk {
    pub user_id: UserId,
    pub totp_enrolled: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Signed in.
    Full,
    /// Password accepted; TOTP code pending.
    Totp,
    /// Password accepted; must enrol a second factor first.
    Enrol,
}

impl Stage {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Stage::Full => "full",
            Stage::Totp => "totp",
            Stage::Enrol => "enrol",
        }
    }

    pub(super) fn parse(s: &str) -> Option<Self> {
        match s {
            "full" => Some(Stage::Full),
            "totp" => Some(Stage::Totp),
            "enrol" => Some(Stage::Enrol),
            _ => None,
        }
    }
}

/// A session as seen by a request.
#[derive(Debug, Clone)]
pub struct Session {
    pub token_hash: String,
    pub stage: Stage,
    pub csrf_token: String,
    pub user: User,
    pub actor: Actor,
    pub pending_totp: Option<String>,
    /// Unread notifications, for the count in the page header.
    pub unread_notifications: i64,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub org_id: String,
    pub roles: Vec<String>,
    pub password: String,
    /// Optional; empty or absent: no e-mail.
    #[serde(default)]
    pub email: Option<String>,
    /// E-mail this user about new notifications (default: yes, if an address is set).
    #[serde(default = "default_true")]
    #[schema(default = true)]
    pub email_notify: bool,
}

impl Default for NewUser {
    fn default() -> Self {
        Self {
            username: String::new(),
            display_name: String::new(),
            org_id: String::new(),
            roles: Vec::new(),
            password: String::new(),
            email: None,
            email_notify: true,
        }
    }
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct UserUpdate {
    pub display_name: String,
    pub org_id: String,
    pub roles: Vec<String>,
    /// The whole account is replaced: an absent or empty address removes it.
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default = "default_true")]
    #[schema(default = true)]
    pub email_notify: bool,
}

impl Default for UserUpdate {
    fn default() -> Self {
        Self {
            display_name: String::new(),
            org_id: String::new(),
            roles: Vec::new(),
            email: None,
            email_notify: true,
        }
    }
}

fn default_true() -> bool {
    true
}

pub fn parse_username(s: &str) -> std::result::Result<String, FieldError> {
    let s = s.trim().to_lowercase();
    if s.is_empty() {
        return Err(FieldError::new("username", "err-required"));
    }
    let ok_chars = s
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c));
    if !(3..=64).contains(&s.len()) || !ok_chars {
        return Err(FieldError::new("username", "err-username"));
    }
    Ok(s)
}

pub fn parse_display_name(s: &str) -> std::result::Result<String, FieldError> {
    let s = s.trim();
    match s.chars().count() {
        0 => Err(FieldError::new("display_name", "err-required")),
        1..=120 => Ok(s.to_owned()),
        _ => Err(FieldError::new("display_name", "err-too-long")),
    }
}

/// An e-mail address, or `None` when left empty. A plain check, not RFC 5322: one `@`, a
/// local part and a domain with a dot, no spaces, no characters that mean something in a
/// mail header, at most 254 characters.
pub fn parse_email(s: &str) -> std::result::Result<Option<String>, FieldError> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let bad = || FieldError::new("email", "err-email");
    if s.chars().count() > 254 {
        return Err(bad());
    }
    if s.chars()
        .any(|c| c.is_whitespace() || c.is_control() || "<>()[]\\,;:\"".contains(c))
    {
        return Err(bad());
    }
    let mut parts = s.split('@');
    let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
        return Err(bad());
    };
    let domain_ok = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..");
    if local.is_empty() || !domain_ok {
        return Err(bad());
    }
    Ok(Some(s.to_owned()))
}

pub fn parse_password(s: &str) -> std::result::Result<String, FieldError> {
    match s.chars().count() {
        0 => Err(FieldError::new("password", "err-required")),
        1..=9 => Err(FieldError::new("password", "err-password-short")),
        10..=1024 => Ok(s.to_owned()),
        _ => Err(FieldError::new("password", "err-too-long")),
    }
}

pub fn parse_roles(items: &[String]) -> std::result::Result<Vec<Role>, FieldError> {
    let mut roles = Vec::new();
    for s in items {
        let r: Role = s
            .parse()
            .map_err(|_| FieldError::new("roles", "err-choice"))?;
        if !roles.contains(&r) {
            roles.push(r);
        }
    }
    if roles.is_empty() {
        return Err(FieldError::new("roles", "err-role-required"));
    }
    roles.sort();
    Ok(roles)
}

/// The organisation chosen for an account; whether it exists is checked in the transaction.
pub(super) fn parse_org(s: &str) -> std::result::Result<OrgId, FieldError> {
    s.trim()
        .parse()
        .map_err(|_| FieldError::new("org_id", "err-choice"))
}
