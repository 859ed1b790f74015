//! The server's identity: one ed25519 key, made on the first start and kept, so that a
//! client's `known_hosts` entry stays valid (a key made anew at every start teaches users to
//! ignore "REMOTE HOST IDENTIFICATION HAS CHANGED").
//!
//! The key is written 0600 in OpenSSH format; a key file that group or others may read is
//! refused rather than used, as sshd does.

use std::fs;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, bail};
use russh::keys::ssh_key::LineEnding;
use russh::keys::{Algorithm, PrivateKey};

/// The file name of the host key in the data folder.
pub const HOST_KEY_FILE: &str = "host_key_ed25519";

/// Load the host key at `path`, or make one there if there is none.
pub fn load_or_create(path: &Path) -> anyhow::Result<PrivateKey> {
    match fs::symlink_metadata(path) {
        Ok(meta) => {
            check_private(path, &meta)?;
            PrivateKey::read_openssh_file(path)
                .with_context(|| format!("cannot read the host key {}", path.display()))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => create(path),
        Err(e) => Err(e).with_context(|| format!("cannot read the host key {}", path.display())),
    }
}

/// `SHA256:…`, as `ssh-keygen -lf` prints it.
pub fn fingerprint(key: &PrivateKey) -> String {
    super::auth::fingerprint(key.public_key())
}

fn create(path: &Path) -> anyhow::Result<PrivateKey> {
    let key = PrivateKey::random(&mut rand::rng(), Algorithm::Ed25519)
        .context("cannot make a host key")?;
    let text = key
        .to_openssh(LineEnding::LF)
        .context("cannot encode the host key")?;
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    // create_new: never overwrite a key another process made meanwhile.
    let mut file = open_private(path)
        .with_context(|| format!("cannot write the host key {}", path.display()))?;
    file.write_all(text.as_bytes())?;
    file.sync_all()?;
    Ok(key)
}

#[cfg(unix)]
fn open_private(path: &Path) -> std::io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
fn open_private(path: &Path) -> std::io::Result<fs::File> {
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
}

#[cfg(unix)]
fn check_private(path: &Path, meta: &fs::Metadata) -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    if !meta.is_file() {
        bail!("the host key {} is not a plain file", path.display());
    }
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        bail!(
            "the host key {} can be read by others (mode {mode:o}); `chmod 600` it first",
            path.display()
        );
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private(path: &Path, meta: &fs::Metadata) -> anyhow::Result<()> {
    if !meta.is_file() {
        bail!("the host key {} is not a plain file", path.display());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_made_once_kept_private_and_loaded_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join(HOST_KEY_FILE);
        let first = load_or_create(&path).unwrap();
        let again = load_or_create(&path).unwrap();
        assert_eq!(fingerprint(&first), fingerprint(&again));
        assert!(fingerprint(&first).starts_with("SHA256:"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
            fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
            let err = load_or_create(&path).unwrap_err().to_string();
            assert!(err.contains("chmod 600"), "{err}");
        }
    }
}
