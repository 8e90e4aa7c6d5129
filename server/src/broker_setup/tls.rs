//! The certificate for `--mqtts` / `--wss`: read from `--tls-cert` / `--tls-key`, or
//! generated with `--tls-self-signed`. Its SHA-256 fingerprint is logged so a user can
//! compare it with what a client is shown.

use std::net::SocketAddr;

use anyhow::{bail, Context};
use broker::listener::TlsIdentity;

use crate::cli::BrokerArgs;

/// The identity the TLS listeners at `tls_addrs` present; `None` when there are none.
pub fn identity(
    args: &BrokerArgs,
    tls_addrs: &[SocketAddr],
) -> anyhow::Result<Option<TlsIdentity>> {
    let configured = args.tls_cert.is_some() || args.tls_self_signed;
    if tls_addrs.is_empty() {
        if configured {
            tracing::warn!(
                "a TLS certificate is configured but unused: add --mqtts ADDR or --wss ADDR"
            );
        }
        return Ok(None);
    }
    let identity = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => {
            let identity =
                TlsIdentity::from_pem_files(cert, key).context("--tls-cert / --tls-key")?;
            tracing::info!(
                "TLS certificate {}, SHA-256 fingerprint {}",
                cert.display(),
                identity.fingerprint
            );
            identity
        }
        _ if args.tls_self_signed => {
            let names = extra_names(tls_addrs);
            let identity = TlsIdentity::self_signed(&names).context("--tls-self-signed")?;
            let mut covered = vec!["localhost", "127.0.0.1", "::1"];
            covered.extend(names.iter().map(String::as_str));
            tracing::info!(
                "TLS certificate self-signed for {}, SHA-256 fingerprint {}",
                covered.join(", "),
                identity.fingerprint
            );
            tracing::debug!("self-signed certificate:\n{}", identity.certificate_pem);
            identity
        }
        _ => bail!(
            "--mqtts and --wss need a certificate: pass --tls-cert FILE and --tls-key FILE, \
             or --tls-self-signed for local testing"
        ),
    };
    Ok(Some(identity))
}

/// Specific non-loopback addresses the TLS listeners are bound to, so the generated
/// certificate also names them.
fn extra_names(tls_addrs: &[SocketAddr]) -> Vec<String> {
    let mut names: Vec<String> = tls_addrs
        .iter()
        .map(SocketAddr::ip)
        .filter(|ip| !ip.is_loopback() && !ip.is_unspecified())
        .map(|ip| ip.to_string())
        .collect();
    names.sort();
    names.dedup();
    names
}
