//! HTTPS on the plant LAN (issue 8, build 14; hole 2's cookie): a real TLS handshake
//! with a rustls client that trusts only the certificate the admin page shows, the
//! `__Host-` Secure cookie, plain HTTP from the LAN only redirected, a certificate
//! upload taking effect for new connections.

use std::sync::Arc;

use plantlog::app::Listen;
use plantlog::auth::Role;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use serde_json::{Value, json};

use crate::util::{crypto, enrol_mfa, script_headers};

/// A client that trusts exactly the certificate in `pem` (as a pinned tablet would).
fn pinned(pem: &[u8]) -> reqwest::Client {
    crypto();
    let mut roots = rustls::RootCertStore::empty();
    for c in CertificateDer::pem_slice_iter(pem) {
        roots.add(c.unwrap()).unwrap();
    }
    let config = rustls::ClientConfig::builder()
        .with_root_certificates(roots)
        .with_no_client_auth();
    reqwest::Client::builder()
        .use_preconfigured_tls(config)
        .cookie_store(true)
        .default_headers(script_headers())
        .build()
        .unwrap()
}

/// The SHA-256 fingerprint of the certificate a real TLS handshake with `addr` presents.
async fn presented(addr: std::net::SocketAddr) -> String {
    crypto();
    #[derive(Debug)]
    struct Any;
    impl rustls::client::danger::ServerCertVerifier for Any {
        fn verify_server_cert(
            &self,
            _: &CertificateDer<'_>,
            _: &[CertificateDer<'_>],
            _: &rustls::pki_types::ServerName<'_>,
            _: &[u8],
            _: rustls::pki_types::UnixTime,
        ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
            Ok(rustls::client::danger::ServerCertVerified::assertion())
        }
        fn verify_tls12_signature(
            &self,
            _: &[u8],
            _: &CertificateDer<'_>,
            _: &rustls::DigitallySignedStruct,
        ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
            Ok(rustls::client::danger::HandshakeSignatureValid::assertion())
        }
        fn verify_tls13_signature(
            &self,
            _: &[u8],
            _: &CertificateDer<'_>,
            _: &rustls::DigitallySignedStruct,
        ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
            Ok(rustls::client::danger::HandshakeSignatureValid::assertion())
        }
        fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
            rustls::crypto::ring::default_provider()
                .signature_verification_algorithms
                .supported_schemes()
        }
    }
    let config = rustls::ClientConfig::builder()
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(Any))
        .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    let name = rustls::pki_types::ServerName::try_from("localhost").unwrap();
    let tls = connector.connect(name, tcp).await.unwrap();
    let (_, conn) = tls.get_ref();
    plantlog::auth::tls::fingerprint(conn.peer_certificates().unwrap()[0].as_ref())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn build14_lan_speaks_https_with_the_shown_certificate_and_plain_http_redirects() {
    let dir = tempfile::tempdir().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let demo = plantlog::sim::demo::start(dir.path(), Listen::Lan(listener))
        .await
        .unwrap();
    let addr = demo.running.local_addr;
    let lan = demo.running.lan();
    assert!(lan.lan, "{lan:?}");
    let cert = lan.certificate.clone().expect("a certificate for the LAN");
    assert!(cert.self_signed);
    assert!(cert.names.contains(&"127.0.0.1".to_string()), "{cert:?}");
    // What the admin page shows is what the handshake presents.
    assert_eq!(presented(addr).await, cert.fingerprint_sha256);
    let pem = std::fs::read(dir.path().join("tls/cert.pem")).unwrap();
    let tls = pinned(&pem);
    let base = format!("https://{addr}");
    let r = tls.get(format!("{base}/api/health")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    // The desktop tray's state is for the app on the Plantlog PC itself, not the LAN.
    let r = tls.get(format!("{base}/api/desktop")).send().await.unwrap();
    assert_eq!(r.status(), 403);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["code"], "local_only", "{body}");

    // Logged in over TLS: the __Host- cookie, Secure.
    let sup = demo
        .users
        .iter()
        .find(|u| u.role == Role::Supervisor)
        .unwrap();
    let r = tls
        .post(format!("{base}/api/login"))
        .json(&json!({"username": sup.username, "password": sup.password}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        cookie.starts_with("__Host-plantlog_session=") && cookie.contains("; Secure"),
        "{cookie}"
    );
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
    let r = tls
        .get(format!("{base}/api/overview"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    // Plain HTTP from the LAN: only a redirect, and no session.
    crypto();
    let plain = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(script_headers())
        .build()
        .unwrap();
    let r = plain
        .get(format!("http://{addr}/api/overview?x=1"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 308);
    assert_eq!(
        r.headers()["location"].to_str().unwrap(),
        format!("https://{addr}/api/overview?x=1")
    );
    let r = plain
        .post(format!("http://{addr}/api/login"))
        .json(&json!({"username": sup.username, "password": sup.password}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 308);
    assert!(r.headers().get("set-cookie").is_none());

    // The admin uploads a certificate: new connections get it.
    let admin = demo.users.iter().find(|u| u.role == Role::Admin).unwrap();
    let a = pinned(&pem);
    let r = a
        .post(format!("{base}/api/login"))
        .json(&json!({"username": admin.username, "password": admin.password}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    enrol_mfa(&a, &base).await;
    let now = plantlog::sample::now_ms();
    let (new_cert, new_key) = plantlog::auth::tls::generate(
        &["plant.example.local".to_string(), "localhost".to_string()],
        &["127.0.0.1".parse().unwrap()],
        now,
    )
    .unwrap();
    let r = a
        .post(format!("{base}/api/security/certificate"))
        .json(&json!({"certificate_pem": new_cert, "private_key_pem": "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400, "a key that is not the certificate's");
    let e: Value = r.json().await.unwrap();
    assert_eq!(e["code"], "bad_certificate");
    let r = a
        .post(format!("{base}/api/security/certificate"))
        .json(&json!({"certificate_pem": new_cert, "private_key_pem": new_key}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let info: Value = r.json().await.unwrap();
    assert_eq!(info["self_signed"], false);
    let shown = info["fingerprint_sha256"].as_str().unwrap().to_string();
    assert_ne!(shown, cert.fingerprint_sha256);
    assert_eq!(presented(addr).await, shown);
    let sec: Value = a
        .get(format!("{base}/api/security"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        sec["lan"]["certificate"]["fingerprint_sha256"],
        shown.as_str()
    );
    let pinned_new = pinned(new_cert.as_bytes());
    let r = pinned_new
        .get(format!("{base}/api/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    demo.running.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn build14_this_pc_stays_plain_http_and_is_never_lan() {
    let dir = tempfile::tempdir().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let demo = plantlog::sim::demo::start(dir.path(), Listen::Listener(listener))
        .await
        .unwrap();
    assert!(!demo.running.lan().lan);
    assert!(
        !dir.path().join("tls").exists(),
        "no certificate for this PC only"
    );
    let r = crate::util::anonymous()
        .get(format!("http://{}/api/health", demo.running.local_addr))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    demo.running.shutdown().await;
}
