//! Who may read, and where each reader's state lives.
//!
//! A key listed in the `authorized_keys` file is a reader of its own: positions, read marks
//! and bookmarks live in a state folder named after the key's SHA-256 fingerprint, written
//! with the same locking and merging as local state, so the same key in two sessions at
//! once loses nothing. With `--anonymous`, anyone else gets in through keyboard-interactive
//! with no prompt (OpenSSH tries it after its keys) and reads with state kept for the
//! session only: an unlisted key never creates a folder, so strangers cannot fill the disk.
//! `none` is refused (a client let in by it never shows a key), passwords are not offered.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::{Context, bail};
use russh::MethodKind;
use russh::MethodSet;
use russh::keys::ssh_key::AuthorizedKeys;
use russh::keys::{HashAlg, PublicKey};

/// Who a connection reads as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identity {
    /// A listed key, by its `SHA256:…` fingerprint.
    Key(String),
    Anonymous,
}

impl Identity {
    /// For the log: the fingerprint, or `anonymous`.
    pub fn label(&self) -> &str {
        match self {
            Identity::Key(fp) => fp,
            Identity::Anonymous => "anonymous",
        }
    }
}

/// The login policy of one server.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    /// Fingerprints of the listed keys.
    keys: HashSet<String>,
    anonymous: bool,
}

impl Policy {
    /// Read the keys (if a file is given); neither keys nor `anonymous` is refused, with why.
    pub fn new(authorized_keys: Option<&Path>, anonymous: bool) -> anyhow::Result<Policy> {
        let mut keys = HashSet::new();
        if let Some(path) = authorized_keys {
            let entries = AuthorizedKeys::read_file(path)
                .with_context(|| format!("cannot read the authorized keys {}", path.display()))?;
            keys.extend(entries.iter().map(|e| fingerprint(e.public_key())));
            if keys.is_empty() && !anonymous {
                bail!(
                    "{} lists no key: nobody could log in (add keys, or pass --anonymous)",
                    path.display()
                );
            }
        }
        if authorized_keys.is_none() && !anonymous {
            bail!(
                "nobody could log in: pass --authorized-keys FILE (readers with their own state) \
                 or --anonymous (anyone, state kept for the session only)"
            );
        }
        Ok(Policy { keys, anonymous })
    }

    /// Policy from fingerprints (tests).
    pub fn with_keys(keys: impl IntoIterator<Item = String>, anonymous: bool) -> Policy {
        Policy {
            keys: keys.into_iter().collect(),
            anonymous,
        }
    }

    pub fn key_count(&self) -> usize {
        self.keys.len()
    }

    pub fn anonymous(&self) -> bool {
        self.anonymous
    }

    /// The identity of a key whose signature russh has verified, if it is listed.
    pub fn key_identity(&self, key: &PublicKey) -> Option<Identity> {
        let fp = fingerprint(key);
        self.keys.contains(&fp).then_some(Identity::Key(fp))
    }

    /// The methods a client is told to try.
    pub fn methods(&self) -> MethodSet {
        let mut methods = vec![MethodKind::PublicKey];
        if self.anonymous {
            methods.push(MethodKind::KeyboardInteractive);
        }
        MethodSet::from(&methods[..])
    }
}

/// `SHA256:…`, as `ssh-keygen -lf` prints it.
pub fn fingerprint(key: &PublicKey) -> String {
    key.fingerprint(HashAlg::Sha256).to_string()
}

/// The state folder of a key reader: `<data>/serve/<fingerprint>` with the base64 made safe
/// for a file name (`/` → `_`, `+` → `-`).
pub fn key_state_dir(data_dir: &Path, fingerprint: &str) -> PathBuf {
    let name: String = fingerprint
        .trim_start_matches("SHA256:")
        .chars()
        .map(|c| match c {
            '/' => '_',
            '+' => '-',
            c if c.is_ascii_alphanumeric() || c == '-' || c == '_' => c,
            _ => '_',
        })
        .collect();
    data_dir.join("serve").join(format!("sha256-{name}"))
}

/// A state folder for one anonymous session, removed when dropped.
#[derive(Debug)]
pub struct TempState {
    pub dir: PathBuf,
}

impl TempState {
    /// A new private folder under the system's temporary folder; the name is never one
    /// that exists (another server in this process, a folder left by a crash).
    pub fn new(counter: &AtomicU64) -> std::io::Result<TempState> {
        loop {
            let n = counter.fetch_add(1, Ordering::Relaxed);
            let salt: u32 = rand::random();
            let name = format!("dubao-serve-{}-{salt:08x}-{n}", std::process::id());
            let dir = std::env::temp_dir().join(name);
            match create_private_dir(&dir) {
                Ok(()) => return Ok(TempState { dir }),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(e),
            }
        }
    }
}

impl Drop for TempState {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new().mode(0o700).create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new_key() -> PublicKey {
        let k = russh::keys::PrivateKey::random(&mut rand::rng(), russh::keys::Algorithm::Ed25519);
        k.unwrap().public_key().clone()
    }

    #[test]
    fn neither_keys_nor_anonymous_is_refused_with_the_way_out() {
        let err = Policy::new(None, false).unwrap_err().to_string();
        assert!(
            err.contains("--authorized-keys") && err.contains("--anonymous"),
            "{err}"
        );
        assert!(Policy::new(None, true).unwrap().anonymous());
    }

    #[test]
    fn listed_keys_are_readers_and_others_are_not() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("keys");
        let key = new_key();
        let line = key.to_openssh().unwrap();
        std::fs::write(&file, format!("# readers\n{line} reader@example\n")).unwrap();
        let policy = Policy::new(Some(&file), false).unwrap();
        assert_eq!(policy.key_count(), 1);
        let id = policy.key_identity(&key).unwrap();
        assert_eq!(id, Identity::Key(fingerprint(&key)));
        assert_eq!(Policy::with_keys([], true).key_identity(&key), None);
        std::fs::write(&file, "# nobody\n").unwrap();
        assert!(Policy::new(Some(&file), false).is_err());
    }

    #[test]
    fn a_state_folder_name_is_the_fingerprint_made_file_safe() {
        let dir = key_state_dir(Path::new("/d"), "SHA256:ab/c+d");
        assert_eq!(dir, Path::new("/d/serve/sha256-ab_c-d"));
    }

    #[test]
    fn an_anonymous_state_folder_goes_with_the_session() {
        let counter = AtomicU64::new(0);
        let t = TempState::new(&counter).unwrap();
        let dir = t.dir.clone();
        assert!(dir.is_dir());
        drop(t);
        assert!(!dir.exists());
    }
}
