//! Mosquitto-style password files: `user:hash` lines, `#` comments and blank lines
//! allowed. A hash is either an argon2 PHC string (`$argon2id$v=19$m=…`, for user
//! name and password in CONNECT) or a SCRAM verifier
//! (`$scram-sha-256$<iterations>$<salt>$<StoredKey>$<ServerKey>`, for MQTT 5 enhanced
//! authentication); `mqttdeck passwd` writes both. A user has at most one line of each
//! kind. A bad line is reported with its line number; a file is never half-loaded.

use std::collections::HashMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use scram::{ScramHash, StoredCredentials};

/// Argon2 memory cost (KiB) above which a hash is refused: verifying it would let
/// one CONNECT cost the broker more memory than any sane setting needs.
const MAX_MEMORY_KIB: u32 = 256 * 1024;
/// Argon2 passes above which a hash is refused, for the same reason.
const MAX_PASSES: u32 = 32;
/// Argon2 lanes above which a hash is refused.
const MAX_LANES: u32 = 16;

/// Why a password file could not be read, checked or written.
#[derive(Debug, thiserror::Error)]
pub enum PasswordFileError {
    #[error("cannot read password file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{origin}:{line}: {problem}")]
    Line {
        origin: String,
        line: usize,
        problem: String,
    },
    #[error("invalid user name {name:?}: {problem}")]
    BadUserName { name: String, problem: &'static str },
    #[error("cannot hash the password: {0}")]
    Hash(String),
    #[error("cannot write password file {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// What checking a user's password found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verification {
    Valid,
    WrongPassword,
    UnknownUser,
}

/// The users of a password file and their hashes.
#[derive(Debug, Clone, Default)]
pub struct PasswordFile {
    users: HashMap<String, UserEntry>,
}

/// Everything the file holds for one user.
#[derive(Debug, Clone, Default)]
struct UserEntry {
    /// Argon2 PHC string, for user name and password logins.
    argon2: Option<String>,
    /// SCRAM verifiers, at most one per hash.
    scram: Vec<StoredCredentials>,
}

/// What kind of line a hash is: a user has at most one of each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum EntryKind {
    Argon2,
    Scram(ScramHash),
}

impl EntryKind {
    fn of(hash: &str) -> Self {
        if StoredCredentials::looks_like_line(hash) {
            let name = hash[1..].split('$').next().unwrap_or_default();
            if let Some(scram) = ScramHash::from_method_name(name) {
                return Self::Scram(scram);
            }
        }
        Self::Argon2
    }
}

/// Whether `set_password` added a user or replaced a password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordChange {
    Added,
    Updated,
}

impl PasswordFile {
    /// Reads and checks the file at `path`.
    pub fn load(path: &Path) -> Result<Self, PasswordFileError> {
        let text = std::fs::read_to_string(path).map_err(|source| PasswordFileError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Self::parse(&text, &path.display().to_string())
    }

    /// Parses file contents; `origin` names the file in error messages.
    pub fn parse(text: &str, origin: &str) -> Result<Self, PasswordFileError> {
        let mut users: HashMap<String, UserEntry> = HashMap::new();
        let mut first_seen: HashMap<(String, EntryKind), usize> = HashMap::new();
        for (index, raw) in text.lines().enumerate() {
            let line = index + 1;
            let error = |problem: String| PasswordFileError::Line {
                origin: origin.to_owned(),
                line,
                problem,
            };
            let Some((user, hash)) = parse_line(raw).map_err(error)? else {
                continue;
            };
            // Whether the line is SCRAM is decided once, by reading it as such.
            let scram = if StoredCredentials::looks_like_line(hash) {
                let credentials = StoredCredentials::parse_line(hash)
                    .map_err(|problem| error(format!("user {user:?}: SCRAM entry: {problem}")))?;
                Some(credentials)
            } else {
                check_hash(user, hash).map_err(error)?;
                None
            };
            let kind = scram.as_ref().map_or(EntryKind::Argon2, |credentials| {
                EntryKind::Scram(credentials.hash)
            });
            if let Some(previous) = first_seen.insert((user.to_owned(), kind), line) {
                return Err(error(format!(
                    "user {user:?} appears twice (first on line {previous})"
                )));
            }
            let entry = users.entry(user.to_owned()).or_default();
            match scram {
                Some(credentials) => entry.scram.push(credentials),
                None => entry.argon2 = Some(hash.to_owned()),
            }
        }
        Ok(Self { users })
    }

    /// The SCRAM verifier of `user` for `hash`, if the file has one.
    pub fn scram_credentials(&self, user: &str, hash: ScramHash) -> Option<&StoredCredentials> {
        self.users
            .get(user)?
            .scram
            .iter()
            .find(|credentials| credentials.hash == hash)
    }

    /// Checks `password` for `user`. Unknown users cost as much time as known ones, so
    /// timing does not tell which user names exist. A user with only SCRAM lines
    /// counts as unknown here: they can log in with SCRAM only.
    pub fn verify(&self, user: &str, password: &[u8]) -> Verification {
        match self.argon2_hash(user) {
            Some(hash) if verify_hash(hash, password) => Verification::Valid,
            Some(_) => Verification::WrongPassword,
            None => {
                let any_hash = self
                    .users
                    .values()
                    .find_map(|entry| entry.argon2.as_deref());
                if let Some(any_hash) = any_hash {
                    let _ = verify_hash(any_hash, password);
                }
                Verification::UnknownUser
            }
        }
    }

    fn argon2_hash(&self, user: &str) -> Option<&str> {
        self.users.get(user)?.argon2.as_deref()
    }

    pub fn contains(&self, user: &str) -> bool {
        self.users.contains_key(user)
    }

    /// The number of users (a user with several lines counts once).
    pub fn len(&self) -> usize {
        self.users.len()
    }

    pub fn is_empty(&self) -> bool {
        self.users.is_empty()
    }
}

/// `Ok(None)` for blank and comment lines, the user and hash otherwise.
fn parse_line(raw: &str) -> Result<Option<(&str, &str)>, String> {
    let line = raw.trim();
    if line.is_empty() || line.starts_with('#') {
        return Ok(None);
    }
    let Some((user, hash)) = line.split_once(':') else {
        return Err("expected `user:hash`, found no `:`".to_owned());
    };
    if user.is_empty() {
        return Err("empty user name before `:`".to_owned());
    }
    Ok(Some((user, hash)))
}

fn check_hash(user: &str, hash: &str) -> Result<(), String> {
    if hash.starts_with("$7$") || hash.starts_with("$6$") {
        return Err(format!(
            "user {user:?} has a Mosquitto PBKDF2/SHA-512 hash, which mqttdeck does not read: \
             set the password again with `mqttdeck passwd FILE {user}` (argon2)"
        ));
    }
    let parsed = PasswordHash::new(hash).map_err(|error| {
        format!("user {user:?}: the hash is not an argon2 PHC string such as `$argon2id$v=19$m=19456,t=2,p=1$…` ({error})")
    })?;
    if !parsed.algorithm.as_str().starts_with("argon2") {
        return Err(format!(
            "user {user:?}: unsupported hash algorithm `{}` (expected argon2id, argon2i or argon2d)",
            parsed.algorithm
        ));
    }
    let params = argon2::Params::try_from(&parsed)
        .map_err(|error| format!("user {user:?}: invalid argon2 parameters ({error})"))?;
    if params.m_cost() > MAX_MEMORY_KIB
        || params.t_cost() > MAX_PASSES
        || params.p_cost() > MAX_LANES
    {
        return Err(format!(
            "user {user:?}: argon2 parameters too costly to verify on every connection \
             (at most m={MAX_MEMORY_KIB}, t={MAX_PASSES}, p={MAX_LANES})"
        ));
    }
    Ok(())
}

fn verify_hash(hash: &str, password: &[u8]) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| Argon2::default().verify_password(password, &parsed).is_ok())
        .unwrap_or(false)
}

/// Hashes `password` with argon2id (default parameters: 19 MiB, 2 passes) and a
/// random salt, as a PHC string.
pub fn hash_password(password: &[u8]) -> Result<String, PasswordFileError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password, &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| PasswordFileError::Hash(error.to_string()))
}

/// Checks that `name` can be a user in a password file (and in an MQTT CONNECT).
pub fn check_user_name(name: &str) -> Result<(), PasswordFileError> {
    let problem = if name.is_empty() {
        Some("it is empty")
    } else if name.contains(':') {
        Some("it contains `:`, which separates the user from the hash")
    } else if name.chars().any(char::is_control) {
        Some("it contains control characters")
    } else if name.trim() != name {
        Some("it starts or ends with white space")
    } else if name.starts_with('#') {
        Some("it starts with `#`, which marks a comment")
    } else {
        None
    };
    match problem {
        Some(problem) => Err(PasswordFileError::BadUserName {
            name: name.to_owned(),
            problem,
        }),
        None => Ok(()),
    }
}

/// Adds `user`'s argon2 line to the file at `path` or replaces it, keeping every other
/// line (comments and SCRAM lines included). Creates the file, readable by its owner
/// only, if it does not exist. Refuses to rewrite a file that does not parse.
pub fn set_password(
    path: &Path,
    user: &str,
    password: &[u8],
) -> Result<PasswordChange, PasswordFileError> {
    check_user_name(user)?;
    let line = format!("{user}:{}", hash_password(password)?);
    set_line(path, user, EntryKind::Argon2, line)
}

/// Iterations `mqttdeck passwd --scram` uses unless told otherwise: RFC 7677's
/// minimum, which a browser computes in a few milliseconds.
pub const DEFAULT_SCRAM_ITERATIONS: u32 = 4096;

/// Adds or replaces `user`'s SCRAM line for `hash` (a fresh random salt), as
/// [`set_password`] does for the argon2 line.
pub fn set_scram_password(
    path: &Path,
    user: &str,
    password: &str,
    hash: ScramHash,
    iterations: u32,
) -> Result<PasswordChange, PasswordFileError> {
    use argon2::password_hash::rand_core::RngCore;
    check_user_name(user)?;
    if !(1..=scram::MAX_STORED_ITERATIONS).contains(&iterations) {
        return Err(PasswordFileError::Hash(format!(
            "the SCRAM iteration count must be from 1 to {}",
            scram::MAX_STORED_ITERATIONS
        )));
    }
    let mut salt = [0u8; 16];
    OsRng.fill_bytes(&mut salt);
    let credentials = StoredCredentials::derive(hash, password, &salt, iterations);
    let line = format!("{user}:{}", credentials.to_line());
    set_line(path, user, EntryKind::Scram(hash), line)
}

/// Puts `new_line` in place of `user`'s line of `kind`, or appends it.
fn set_line(
    path: &Path,
    user: &str,
    kind: EntryKind,
    new_line: String,
) -> Result<PasswordChange, PasswordFileError> {
    let existing = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(source) => {
            return Err(PasswordFileError::Read {
                path: path.to_path_buf(),
                source,
            })
        }
    };
    PasswordFile::parse(&existing, &path.display().to_string())?;
    let mut change = PasswordChange::Added;
    let mut lines: Vec<String> = Vec::new();
    for raw in existing.lines() {
        match parse_line(raw) {
            Ok(Some((name, hash))) if name == user && EntryKind::of(hash) == kind => {
                change = PasswordChange::Updated;
                lines.push(new_line.clone());
            }
            _ => lines.push(raw.to_owned()),
        }
    }
    if change == PasswordChange::Added {
        lines.push(new_line);
    }
    let mut contents = lines.join("\n");
    contents.push('\n');
    write_private(path, &contents)?;
    Ok(change)
}

/// Writes through a temporary file and a rename, so a crash never leaves half a file.
fn write_private(path: &Path, contents: &str) -> Result<(), PasswordFileError> {
    let write_error = |source| PasswordFileError::Write {
        path: path.to_path_buf(),
        source,
    };
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".tmp");
    let temporary = PathBuf::from(temporary);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&temporary).map_err(write_error)?;
    file.write_all(contents.as_bytes()).map_err(write_error)?;
    file.sync_all().map_err(write_error)?;
    drop(file);
    std::fs::rename(&temporary, path).map_err(write_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verifies_a_hash_it_wrote_and_rejects_other_passwords() {
        let hash = hash_password(b"s3cret").expect("hash");
        assert!(hash.starts_with("$argon2id$"));
        let file = PasswordFile::parse(&format!("# users\n\nalice:{hash}\n"), "p").expect("parse");
        assert_eq!(file.verify("alice", b"s3cret"), Verification::Valid);
        assert_eq!(file.verify("alice", b"S3cret"), Verification::WrongPassword);
        assert_eq!(file.verify("bob", b"s3cret"), Verification::UnknownUser);
    }

    #[test]
    fn bad_lines_are_reported_with_their_number() {
        let cases = [
            ("# c\nalice\n", "p:2: expected `user:hash`"),
            (":$argon2id$x\n", "p:1: empty user name"),
            (
                "alice:plain\n",
                "p:1: user \"alice\": the hash is not an argon2 PHC string",
            ),
            ("a:$7$101$abc$def\n", "Mosquitto PBKDF2/SHA-512 hash"),
        ];
        for (text, expected) in cases {
            let error = PasswordFile::parse(text, "p").expect_err(text);
            assert!(error.to_string().contains(expected), "{error} / {expected}");
        }
    }

    #[test]
    fn a_user_twice_is_an_error() {
        let hash = hash_password(b"x").expect("hash");
        let text = format!("alice:{hash}\nbob:{hash}\nalice:{hash}\n");
        let error = PasswordFile::parse(&text, "p").expect_err("duplicate");
        assert!(error
            .to_string()
            .contains("p:3: user \"alice\" appears twice (first on line 1)"));
    }

    #[test]
    fn costly_parameters_are_refused() {
        let text = "alice:$argon2id$v=19$m=4194304,t=2,p=1$c2FsdHNhbHQ$YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXo\n";
        let error = PasswordFile::parse(text, "p").expect_err("too costly");
        assert!(error.to_string().contains("too costly"), "{error}");
    }

    #[test]
    fn set_password_adds_then_updates_keeping_other_lines() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("passwords");
        assert_eq!(
            set_password(&path, "alice", b"one").expect("add"),
            PasswordChange::Added
        );
        assert_eq!(
            set_password(&path, "bob", b"two").expect("add"),
            PasswordChange::Added
        );
        let text = std::fs::read_to_string(&path).expect("read");
        std::fs::write(&path, format!("# team\n{text}")).expect("comment");
        assert_eq!(
            set_password(&path, "alice", b"three").expect("update"),
            PasswordChange::Updated
        );
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(text.starts_with("# team\nalice:$argon2id$"), "{text}");
        let file = PasswordFile::load(&path).expect("load");
        assert_eq!(file.len(), 2);
        assert_eq!(file.verify("alice", b"three"), Verification::Valid);
        assert_eq!(file.verify("bob", b"two"), Verification::Valid);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path)
                .expect("metadata")
                .permissions()
                .mode();
            assert_eq!(
                mode & 0o077,
                0,
                "password file readable by others: {mode:o}"
            );
        }
    }

    #[test]
    fn scram_lines_sit_beside_the_argon2_line_one_per_hash() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("passwords");
        set_password(&path, "alice", b"pw").expect("argon2");
        let add = |hash| set_scram_password(&path, "alice", "pw", hash, 64).expect("scram");
        assert_eq!(add(ScramHash::Sha256), PasswordChange::Added);
        assert_eq!(add(ScramHash::Sha1), PasswordChange::Added);
        assert_eq!(add(ScramHash::Sha256), PasswordChange::Updated);
        set_scram_password(&path, "bob", "x", ScramHash::Sha512, 64).expect("scram only");
        let text = std::fs::read_to_string(&path).expect("read");
        assert_eq!(text.lines().count(), 4, "{text}");
        assert!(text.contains("alice:$scram-sha-256$64$"), "{text}");
        let file = PasswordFile::load(&path).expect("load");
        assert_eq!(file.len(), 2);
        assert_eq!(file.verify("alice", b"pw"), Verification::Valid);
        assert_eq!(file.verify("bob", b"x"), Verification::UnknownUser);
        let stored = file
            .scram_credentials("alice", ScramHash::Sha256)
            .expect("sha-256 verifier");
        assert_eq!(
            stored,
            &StoredCredentials::derive(ScramHash::Sha256, "pw", &stored.salt, 64)
        );
        assert!(file.scram_credentials("alice", ScramHash::Sha512).is_none());
        assert!(file.scram_credentials("bob", ScramHash::Sha512).is_some());
    }

    #[test]
    fn bad_scram_lines_are_reported_with_their_number() {
        let line = StoredCredentials::derive(ScramHash::Sha1, "pw", b"salt", 1).to_line();
        let twice = format!("a:{line}\na:{line}\n");
        let error = PasswordFile::parse(&twice, "p").expect_err("duplicate");
        assert!(
            error.to_string().contains("p:2: user \"a\" appears twice"),
            "{error}"
        );
        let error = PasswordFile::parse("\na:$scram-sha-256$0$c2FsdA==$AA==$AA==\n", "p")
            .expect_err("bad iterations");
        assert!(
            error
                .to_string()
                .starts_with("p:2: user \"a\": SCRAM entry: the iteration count"),
            "{error}"
        );
        assert!(
            set_scram_password(Path::new("/nonexistent/x"), "a", "p", ScramHash::Sha1, 0).is_err()
        );
    }

    #[test]
    fn user_names_that_would_break_the_file_are_refused() {
        for name in ["", "a:b", "a\nb", " a", "#a"] {
            assert!(check_user_name(name).is_err(), "{name:?}");
        }
        assert!(check_user_name("alice smith").is_ok());
    }
}
