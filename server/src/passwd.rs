//! `mqttdeck passwd FILE USER`: adds a user to a password file or changes their
//! password, hashing it with argon2, or with `--scram sha-256` (sha-1, sha-512)
//! writing the SCRAM verifier for MQTT 5 enhanced authentication. The password comes from `--password` (or
//! `MQTTDECK_PASSWORD`), or else from the first line of standard input, so scripts can
//! pipe it in without it appearing in the process list.

use std::io::{BufRead, IsTerminal, Write};

use anyhow::{bail, Context};
use broker::auth::{check_user_name, set_password, set_scram_password, PasswordChange};

use crate::cli::PasswdArgs;

pub fn run(args: PasswdArgs) -> anyhow::Result<()> {
    check_user_name(&args.user)?;
    let password = match args.password {
        Some(password) => password,
        None => read_password(&args.user)?,
    };
    if password.is_empty() {
        bail!("the password is empty: give one on standard input or with --password");
    }
    // SCRAM entries name their method; argon2 ones need no word.
    let (change, kind) = match args.scram {
        None => (
            set_password(&args.file, &args.user, password.as_bytes())?,
            None,
        ),
        Some(scram) => {
            let hash = scram.hash();
            let change =
                set_scram_password(&args.file, &args.user, &password, hash, args.iterations)?;
            (change, Some(hash.method_name()))
        }
    };
    let done = match change {
        PasswordChange::Added => "added user",
        PasswordChange::Updated => "changed the password of",
    };
    let kind = kind.map(|kind| format!(" ({kind})")).unwrap_or_default();
    println!("{done} {}{kind} in {}", args.user, args.file.display());
    Ok(())
}

/// The first line of standard input, without its line ending.
fn read_password(user: &str) -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("Password for {user} (it will be shown as you type): ");
        let _ = std::io::stderr().flush();
    }
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .context("reading the password from standard input")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}
