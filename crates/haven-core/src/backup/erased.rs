//! The erasure list: the ids of everyone erased, and of everything else taken back for
//! good (a public story withdrawn by its speaker, a hub report purged, a referral consent
//! or a referral withdrawn), kept outside the database so that a restored backup can be erased again.
//!
//! One line per erased record, `<kind> <id> <unix seconds>`, e.g.
//! `person 0193… 1733500000`. Ids and times only: no personal data. The line is appended
//! and synced **before** the erasing transaction commits, so the list holds every erasure
//! that ever committed (and, after a crash between the two, perhaps one that did not: an
//! erasure asked for, which a restore then carries out).

use anyhow::{bail, Context};
use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

/// What was erased: the kinds of record an erasure destroys the data key of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A person (by hand or by retention): `people::destroy`.
    Person,
    /// An outreach contact's sealed part (retention).
    OutreachContact,
    /// A public story withdrawn by its speaker: its words and the speaker's name
    /// (`content::withdraw`).
    Story,
    /// A closed report of the safe-reporting hub, purged (`hub::purge_due`).
    HubReport,
    /// A referral consent the person withdrew (`referrals::withdraw_consent`).
    Consent,
    /// A referral its sender withdrew (`referrals::withdraw`).
    Referral,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Person => "person",
            Kind::OutreachContact => "outreach_contact",
            Kind::Story => "story",
            Kind::HubReport => "hub_report",
            Kind::Consent => "consent",
            Kind::Referral => "referral",
        }
    }
}

/// The append side, held by the database handle of a running Haven (`Db::erasure_log`).
#[derive(Debug)]
pub struct ErasureLog {
    path: PathBuf,
    /// One writer at a time, so lines of two erasures never interleave.
    lock: std::sync::Mutex<()>,
}

impl ErasureLog {
    /// The list at `path`, created empty (readable by its owner only) if missing, so that a
    /// working installation always has one and a restore can tell a lost list from none.
    pub fn open(path: &Path) -> anyhow::Result<Self> {
        append_file(path).with_context(|| {
            format!(
                "cannot open the erasure list {} for appending (HAVEN_ERASED_LOG)",
                path.display()
            )
        })?;
        Ok(Self {
            path: path.to_owned(),
            lock: Default::default(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one line per id and syncs the file to disk; an error means the erasure must
    /// not commit.
    pub fn append(&self, kind: Kind, ids: &[impl std::fmt::Display], at: i64) -> crate::Result<()> {
        let mut text = String::new();
        for id in ids {
            text.push_str(&format!("{} {id} {at}\n", kind.as_str()));
        }
        let _one = self.lock.lock().unwrap_or_else(|e| e.into_inner());
        let written = append_file(&self.path).and_then(|mut f| {
            f.write_all(text.as_bytes())?;
            f.sync_data()
        });
        written.map_err(|e| {
            crate::Error::Unavailable(anyhow::anyhow!(
                "cannot append to the erasure list {}: {e}",
                self.path.display()
            ))
        })
    }
}

fn append_file(path: &Path) -> std::io::Result<std::fs::File> {
    let mut opts = std::fs::OpenOptions::new();
    opts.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    opts.open(path)
}

/// The ids an erasure list names, by kind: what a restore erases again. Stories and
/// reports keep the time they were taken back, which the restore writes as it was.
#[derive(Debug, Default, Clone)]
pub struct Erased {
    pub persons: HashSet<String>,
    pub contacts: HashSet<String>,
    pub stories: HashMap<String, i64>,
    pub reports: HashMap<String, i64>,
    pub consents: HashMap<String, i64>,
    pub referrals: HashMap<String, i64>,
}

impl Erased {
    /// Reads a list written by [`ErasureLog`]. A line it cannot read stops the restore
    /// (with its number): skipping it could bring an erased person back.
    pub fn read(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the erasure list {}", path.display()))?;
        Self::parse(&text).with_context(|| format!("in the erasure list {}", path.display()))
    }

    pub fn parse(text: &str) -> anyhow::Result<Self> {
        let mut out = Self::default();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut parts = line.split_whitespace();
            let (kind, id, at) = (parts.next(), parts.next(), parts.next());
            let (Some(kind), Some(id)) = (kind, id) else {
                bail!("line {} is not `<kind> <id> <time>`: {line:?}", n + 1);
            };
            if uuid::Uuid::parse_str(id).is_err() {
                bail!("line {}: {id:?} is not an id", n + 1);
            }
            let id = id.to_owned();
            let at = at.and_then(|t| t.parse::<i64>().ok());
            let timed = |list: &mut HashMap<String, i64>| match at {
                Some(at) => {
                    list.insert(id.clone(), at);
                    Ok(())
                }
                None => Err(anyhow::anyhow!("line {}: the time is missing", n + 1)),
            };
            match kind {
                "person" => {
                    out.persons.insert(id.clone());
                }
                "outreach_contact" => {
                    out.contacts.insert(id.clone());
                }
                "story" => timed(&mut out.stories)?,
                "hub_report" => timed(&mut out.reports)?,
                "consent" => timed(&mut out.consents)?,
                "referral" => timed(&mut out.referrals)?,
                other => bail!("line {}: unknown kind {other:?}", n + 1),
            };
        }
        Ok(out)
    }

    /// Adds the ids of another list.
    pub fn extend(&mut self, other: Erased) {
        self.persons.extend(other.persons);
        self.contacts.extend(other.contacts);
        self.stories.extend(other.stories);
        self.reports.extend(other.reports);
        self.consents.extend(other.consents);
        self.referrals.extend(other.referrals);
    }

    pub fn len(&self) -> usize {
        self.persons.len()
            + self.contacts.len()
            + self.stories.len()
            + self.reports.len()
            + self.consents.len()
            + self.referrals.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_read_back_and_a_bad_line_is_refused_with_its_number() {
        let dir = std::env::temp_dir().join(format!("haven-erased-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("erased.log");
        let log = ErasureLog::open(&path).unwrap();
        let (a, b) = (uuid::Uuid::now_v7(), uuid::Uuid::now_v7());
        log.append(Kind::Person, &[a, b], 1).unwrap();
        log.append(Kind::OutreachContact, &[a], 2).unwrap();
        log.append(Kind::Story, &[b], 3).unwrap();
        log.append(Kind::HubReport, &[a], 4).unwrap();
        let list = Erased::read(&path).unwrap();
        assert_eq!(list.stories.get(&b.to_string()), Some(&3));
        assert_eq!(list.reports.get(&a.to_string()), Some(&4));
        assert!(Erased::parse(&format!("story {a} soon")).is_err());
        assert!(list.persons.contains(&a.to_string()) && list.persons.contains(&b.to_string()));
        assert_eq!(list.contacts.len(), 1);
        let e = Erased::parse(&format!("person {a} 1\nperson nonsense 2\n")).unwrap_err();
        assert!(e.to_string().contains("line 2"), "{e}");
        assert!(Erased::parse("ghost 0193 1").is_err());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
