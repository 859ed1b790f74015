//! `dubao serve` in the reader's binary: become the `dubao-serve` that sits beside it.
//!
//! On Unix the process is replaced (`exec`), not spawned: the server keeps dubao's process
//! id, terminal and standard streams, so a service manager's SIGTERM, a shell's Ctrl-C and
//! the exit status are the server's own, exactly as when the server was part of `dubao`.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Context;

use super::ServeCommand;

/// The server's executable, looked for in the folder of the running `dubao`.
pub const SERVER_BIN: &str = "dubao-serve";

/// Run `dubao-serve` with `cmd`'s arguments. Returns only if it could not be started (or,
/// where a process cannot be replaced, with its exit code).
pub fn exec(cmd: &ServeCommand) -> anyhow::Result<i32> {
    let exe = std::env::current_exe().context("cannot find the running dubao executable")?;
    let server = server_path(&exe);
    let mut child = Command::new(&server);
    child.args(cmd.to_args());
    let err = match replace(&mut child) {
        Ok(code) => return Ok(code),
        Err(e) => e,
    };
    if err.kind() == std::io::ErrorKind::NotFound {
        anyhow::bail!(
            "`dubao serve` runs the SSH server {}, which is not there: install both \
             binaries side by side (`cargo install --path .` installs both, `cargo build \
             --release` builds both into target/release)",
            server.display()
        );
    }
    Err(err).with_context(|| format!("cannot run the SSH server {}", server.display()))
}

/// `dubao-serve` in the folder of `exe` (the real file, symlinks resolved by the system).
fn server_path(exe: &Path) -> PathBuf {
    exe.with_file_name(SERVER_BIN)
}

#[cfg(unix)]
fn replace(child: &mut Command) -> std::io::Result<i32> {
    use std::os::unix::process::CommandExt;
    Err(child.exec())
}

/// No `exec` here: wait for the server and pass its exit code on.
#[cfg(not(unix))]
fn replace(child: &mut Command) -> std::io::Result<i32> {
    Ok(child.status()?.code().unwrap_or(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_server_is_looked_for_beside_the_reader() {
        assert_eq!(
            server_path(Path::new("/usr/local/bin/dubao")),
            Path::new("/usr/local/bin/dubao-serve")
        );
    }
}
