//! The certificate and key the TLS listeners present: read from PEM files
//! (`--tls-cert` / `--tls-key`), or generated for local testing (`--tls-self-signed`),
//! and turned into a rustls server configuration. The certificate's SHA-256
//! fingerprint is reported so a user can check what a client is shown.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::ServerConfig;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use sha2::{Digest, Sha256};

/// Why no TLS configuration could be built.
#[derive(Debug, thiserror::Error)]
pub enum CertError {
    #[error("cannot read {kind} file {path}: {source}")]
    Read {
        kind: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} holds no PEM certificate (expected a `-----BEGIN CERTIFICATE-----` block)")]
    NoCertificate { path: PathBuf },
    #[error("{path} is not a valid PEM certificate file: {reason}")]
    BadCertificate { path: PathBuf, reason: String },
    #[error("{path} holds no PEM private key (expected a PKCS#8, PKCS#1 or SEC1 `-----BEGIN ... PRIVATE KEY-----` block): {reason}")]
    NoKey { path: PathBuf, reason: String },
    #[error("the certificate and key cannot be used together: {0}")]
    Rustls(#[from] rustls::Error),
    #[error("cannot generate a self-signed certificate: {0}")]
    Generate(#[from] rcgen::Error),
}

/// A TLS server configuration and what to tell the user about it.
#[derive(Clone)]
pub struct TlsIdentity {
    pub config: Arc<ServerConfig>,
    /// SHA-256 of the leaf certificate's DER, as colon-separated uppercase hex.
    pub fingerprint: String,
    /// The certificate (chain) in PEM, for clients that must be told to trust it.
    pub certificate_pem: String,
    /// Whether the certificate was generated at start-up.
    pub self_signed: bool,
}

impl std::fmt::Debug for TlsIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsIdentity")
            .field("fingerprint", &self.fingerprint)
            .field("self_signed", &self.self_signed)
            .finish_non_exhaustive()
    }
}

impl TlsIdentity {
    /// Reads a certificate chain (leaf first) and its private key from PEM files.
    pub fn from_pem_files(cert_path: &Path, key_path: &Path) -> Result<Self, CertError> {
        let cert_pem = read(cert_path, "certificate")?;
        let key_pem = read(key_path, "private key")?;
        let chain = CertificateDer::pem_slice_iter(&cert_pem)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|error| CertError::BadCertificate {
                path: cert_path.to_path_buf(),
                reason: error.to_string(),
            })?;
        if chain.is_empty() {
            return Err(CertError::NoCertificate {
                path: cert_path.to_path_buf(),
            });
        }
        let certificate_pem = String::from_utf8_lossy(&cert_pem).into_owned();
        let key = PrivateKeyDer::from_pem_slice(&key_pem).map_err(|error| CertError::NoKey {
            path: key_path.to_path_buf(),
            reason: error.to_string(),
        })?;
        Self::build(chain, key, certificate_pem, false)
    }

    /// Generates a certificate for `localhost`, `127.0.0.1`, `::1` and `extra_names`
    /// (host names or IP addresses the listeners are bound to).
    pub fn self_signed(extra_names: &[String]) -> Result<Self, CertError> {
        let mut names = vec![
            "localhost".to_owned(),
            "127.0.0.1".to_owned(),
            "::1".to_owned(),
        ];
        for name in extra_names {
            if !names.contains(name) {
                names.push(name.clone());
            }
        }
        let generated = rcgen::generate_simple_self_signed(names)?;
        let leaf = generated.cert.der().clone();
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(
            generated.signing_key.serialize_der(),
        ));
        Self::build(vec![leaf], key, generated.cert.pem(), true)
    }

    fn build(
        chain: Vec<CertificateDer<'static>>,
        key: PrivateKeyDer<'static>,
        certificate_pem: String,
        self_signed: bool,
    ) -> Result<Self, CertError> {
        let fingerprint = chain
            .first()
            .map(|leaf| fingerprint(leaf))
            .unwrap_or_default();
        // An explicit provider: the process-wide default would panic if two crypto
        // back ends were ever compiled in.
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .with_no_client_auth()
            .with_single_cert(chain, key)?;
        Ok(Self {
            config: Arc::new(config),
            fingerprint,
            certificate_pem,
            self_signed,
        })
    }
}

fn read(path: &Path, kind: &'static str) -> Result<Vec<u8>, CertError> {
    std::fs::read(path).map_err(|source| CertError::Read {
        kind,
        path: path.to_path_buf(),
        source,
    })
}

/// SHA-256 of a certificate's DER as `AB:CD:...`, the form browsers and `openssl x509
/// -fingerprint -sha256` show.
pub fn fingerprint(certificate: &CertificateDer<'_>) -> String {
    let digest = Sha256::digest(certificate.as_ref());
    let hex: Vec<String> = digest.iter().map(|byte| format!("{byte:02X}")).collect();
    hex.join(":")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn self_signed_identity_has_a_sha256_fingerprint() {
        let identity = TlsIdentity::self_signed(&["broker.test".into()]).expect("generate");
        assert!(identity.self_signed);
        assert_eq!(identity.fingerprint.len(), 32 * 3 - 1);
        assert!(identity
            .certificate_pem
            .starts_with("-----BEGIN CERTIFICATE-----"));
    }

    #[test]
    fn pem_files_round_trip_and_keep_the_fingerprint() {
        let generated = TlsIdentity::self_signed(&[]).expect("generate");
        let dir = tempfile::tempdir().expect("temp dir");
        let cert_path = dir.path().join("cert.pem");
        let key_path = dir.path().join("key.pem");
        let certified =
            rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).expect("generate");
        std::fs::write(&cert_path, certified.cert.pem()).expect("write cert");
        std::fs::write(&key_path, certified.signing_key.serialize_pem()).expect("write key");
        let loaded = TlsIdentity::from_pem_files(&cert_path, &key_path).expect("load");
        assert_eq!(loaded.fingerprint, fingerprint(certified.cert.der()));
        assert_eq!(loaded.certificate_pem, certified.cert.pem());
        assert_ne!(loaded.fingerprint, generated.fingerprint);
    }

    #[test]
    fn a_key_file_without_a_key_is_a_clear_error() {
        let dir = tempfile::tempdir().expect("temp dir");
        let cert_path = dir.path().join("cert.pem");
        let certified =
            rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).expect("generate");
        std::fs::write(&cert_path, certified.cert.pem()).expect("write cert");
        let error = TlsIdentity::from_pem_files(&cert_path, &cert_path).expect_err("no key");
        assert!(error.to_string().contains("no PEM private key"), "{error}");
    }

    #[test]
    fn a_missing_file_names_its_path() {
        let error = TlsIdentity::from_pem_files(Path::new("/nonexistent/c.pem"), Path::new("k"))
            .expect_err("missing");
        assert!(error.to_string().contains("/nonexistent/c.pem"), "{error}");
    }
}
