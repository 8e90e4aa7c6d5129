//! `--tls-self-signed` as a client sees it: the certificate served on `--mqtts` is the
//! one whose SHA-256 fingerprint the log announced, and MQTT works over it.

mod binary_support;

use std::sync::{Arc, Mutex};

use binary_support::{Running, DEADLINE};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Accepts any certificate but remembers it, so the test can compare fingerprints.
#[derive(Debug)]
struct Recorder {
    provider: Arc<CryptoProvider>,
    seen: Mutex<Option<Vec<u8>>>,
}

impl ServerCertVerifier for Recorder {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        *self.seen.lock().expect("lock") = Some(end_entity.to_vec());
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

#[test]
fn the_announced_fingerprint_is_the_certificate_served() {
    let mut broker = Running::start(&[
        "broker",
        "--mqtt",
        "off",
        "--ws",
        "off",
        "--mqtts",
        "127.0.0.1:0",
        "--tls-self-signed",
    ]);
    let fingerprint = broker.value_after("SHA-256 fingerprint ");
    let addr = broker.value_after("MQTT over TLS on ");
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let served = runtime.block_on(async {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let recorder = Arc::new(Recorder {
            provider: provider.clone(),
            seen: Mutex::new(None),
        });
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("versions")
            .dangerous()
            .with_custom_certificate_verifier(recorder.clone())
            .with_no_client_auth();
        let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
        let tcp = tokio::net::TcpStream::connect(&addr)
            .await
            .expect("connect");
        let name = ServerName::try_from("localhost").expect("name");
        let mut tls = tokio::time::timeout(DEADLINE, connector.connect(name, tcp))
            .await
            .expect("in time")
            .expect("TLS handshake");
        // MQTT 3.1.1 CONNECT, client id "t", clean session; CONNACK accepted comes back.
        let connect = [
            0x10, 0x0d, 0, 4, b'M', b'Q', b'T', b'T', 4, 2, 0, 60, 0, 1, b't',
        ];
        tls.write_all(&connect).await.expect("send CONNECT");
        let mut connack = [0u8; 4];
        tokio::time::timeout(DEADLINE, tls.read_exact(&mut connack))
            .await
            .expect("in time")
            .expect("CONNACK");
        assert_eq!(connack, [0x20, 0x02, 0x00, 0x00]);
        let seen = recorder.seen.lock().expect("lock").clone();
        seen.expect("a certificate was presented")
    });
    let digest = Sha256::digest(&served);
    let hex: Vec<String> = digest.iter().map(|byte| format!("{byte:02X}")).collect();
    assert_eq!(hex.join(":"), fingerprint);
    let status = broker.terminate();
    assert!(
        status.success(),
        "{status:?}; log:\n{}",
        broker.log.join("\n")
    );
}
