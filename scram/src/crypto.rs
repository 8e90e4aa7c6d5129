//! The key derivations of RFC 5802 §3, for whichever hash an exchange uses:
//! SaltedPassword (PBKDF2 with HMAC), the client and server keys, and the signatures
//! over the AuthMessage.

use hmac::digest::{core_api::BlockSizeUser, Digest, KeyInit};
use hmac::{Mac, SimpleHmac};

use crate::ScramHash;

/// `Hi(password, salt, iterations)`: PBKDF2 with HMAC of the hash.
pub(crate) fn salted_password(
    hash: ScramHash,
    password: &[u8],
    salt: &[u8],
    iterations: u32,
) -> Vec<u8> {
    match hash {
        ScramHash::Sha1 => pbkdf2_with::<sha1::Sha1>(password, salt, iterations),
        ScramHash::Sha256 => pbkdf2_with::<sha2::Sha256>(password, salt, iterations),
        ScramHash::Sha512 => pbkdf2_with::<sha2::Sha512>(password, salt, iterations),
    }
}

pub(crate) fn hmac(hash: ScramHash, key: &[u8], data: &[u8]) -> Vec<u8> {
    match hash {
        ScramHash::Sha1 => hmac_with::<sha1::Sha1>(key, data),
        ScramHash::Sha256 => hmac_with::<sha2::Sha256>(key, data),
        ScramHash::Sha512 => hmac_with::<sha2::Sha512>(key, data),
    }
}

pub(crate) fn digest(hash: ScramHash, data: &[u8]) -> Vec<u8> {
    match hash {
        ScramHash::Sha1 => sha1::Sha1::digest(data).to_vec(),
        ScramHash::Sha256 => sha2::Sha256::digest(data).to_vec(),
        ScramHash::Sha512 => sha2::Sha512::digest(data).to_vec(),
    }
}

pub(crate) fn client_key(hash: ScramHash, salted: &[u8]) -> Vec<u8> {
    hmac(hash, salted, b"Client Key")
}

pub(crate) fn server_key(hash: ScramHash, salted: &[u8]) -> Vec<u8> {
    hmac(hash, salted, b"Server Key")
}

pub(crate) fn xor(a: &[u8], b: &[u8]) -> Vec<u8> {
    a.iter().zip(b).map(|(x, y)| x ^ y).collect()
}

/// Compares secrets in time that depends only on their length.
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn pbkdf2_with<D>(password: &[u8], salt: &[u8], iterations: u32) -> Vec<u8>
where
    D: Digest + BlockSizeUser + Clone + Sync,
{
    let mut salted = vec![0u8; <D as Digest>::output_size()];
    // HMAC accepts keys of any length, so this cannot fail.
    let _ = pbkdf2::pbkdf2::<SimpleHmac<D>>(password, salt, iterations, &mut salted);
    salted
}

fn hmac_with<D>(key: &[u8], data: &[u8]) -> Vec<u8>
where
    D: Digest + BlockSizeUser + Clone,
{
    match <SimpleHmac<D> as KeyInit>::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(data);
            mac.finalize().into_bytes().to_vec()
        }
        // HMAC accepts keys of any length; an empty result would fail verification safely.
        Err(_) => Vec::new(),
    }
}
