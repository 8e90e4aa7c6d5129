//! Who may connect, and what they may publish and subscribe to, from files an operator
//! writes: a Mosquitto-style password file (argon2 hashes and SCRAM verifiers) and a
//! Mosquitto-style ACL file, combined with a policy for anonymous clients into a [`FileAuthenticator`],
//! the broker's [`crate::Authenticator`].

mod acl;
mod file_authenticator;
mod filters;
mod login_cache;
mod password_file;

pub use acl::{Access, AclError, AclFile, Requester};
pub use file_authenticator::{AnonymousPolicy, FileAuthenticator};
pub use filters::{filter_covers, filters_overlap};
pub use password_file::{
    check_user_name, hash_password, set_password, set_scram_password, PasswordChange, PasswordFile,
    PasswordFileError, Verification, DEFAULT_SCRAM_ITERATIONS,
};
