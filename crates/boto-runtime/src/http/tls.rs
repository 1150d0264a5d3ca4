//! TLS client configuration: system roots, an optional CA bundle, or no
//! verification at all (`--no-verify-ssl`, `verify=False`).
//!
//! One difference from webpki's defaults is deliberate. A self-signed
//! certificate made by `openssl req -x509` carries `CA:TRUE`; used as a
//! server's own certificate and trusted by naming it in `ca_bundle`, OpenSSL
//! (and so botocore and aws-cli, through urllib3) accepts it, while webpki
//! refuses a CA certificate as an end entity (`CaUsedAsEndEntity`). When the
//! server presents *exactly* a certificate from the user's explicit bundle,
//! [`BundleVerifier`] accepts it if it is valid for the host name and
//! within its validity period — the checks OpenSSL makes for a trusted leaf.
//! Nothing changes for certificates that merely chain to the bundle, or for
//! the system roots.

use super::HttpSettings;
use crate::error::Error;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use std::sync::Arc;

/// The TLS configuration; the common case (system roots, verification on)
/// is built once per process, since loading the system store costs
/// milliseconds and hundreds of file reads.
pub(super) fn tls_config(settings: &HttpSettings) -> Result<rustls::ClientConfig, Error> {
    static DEFAULT: std::sync::OnceLock<Result<rustls::ClientConfig, String>> =
        std::sync::OnceLock::new();
    if settings.verify_tls && settings.ca_bundle.is_none() {
        return DEFAULT
            .get_or_init(|| build_tls_config(settings).map_err(|e| e.to_string()))
            .clone()
            .map_err(Error::construction);
    }
    build_tls_config(settings)
}

fn build_tls_config(settings: &HttpSettings) -> Result<rustls::ClientConfig, Error> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::construction(format!("TLS setup: {e}")))?;
    if !settings.verify_tls {
        return Ok(builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(NoVerify(provider)))
            .with_no_client_auth());
    }
    let mut roots = rustls::RootCertStore::empty();
    let native = rustls_native_certs::load_native_certs();
    for cert in native.certs {
        let _ = roots.add(cert);
    }
    let Some(path) = &settings.ca_bundle else {
        return Ok(builder.with_root_certificates(roots).with_no_client_auth());
    };
    let pem = std::fs::read(path).map_err(|e| {
        Error::construction(format!("cannot read CA bundle {}: {e}", path.display()))
    })?;
    let mut bundle = Vec::new();
    for cert in rustls_pemfile::certs(&mut &pem[..]) {
        let cert = cert
            .map_err(|e| Error::construction(format!("bad CA bundle {}: {e}", path.display())))?;
        roots.add(cert.clone()).map_err(|e| {
            Error::construction(format!("bad certificate in {}: {e}", path.display()))
        })?;
        bundle.push(cert);
    }
    if bundle.is_empty() {
        return Err(Error::construction(format!(
            "CA bundle {} holds no PEM certificates",
            path.display()
        )));
    }
    let inner =
        rustls::client::WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider)
            .build()
            .map_err(|e| Error::construction(format!("TLS setup: {e}")))?;
    Ok(builder
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(BundleVerifier { inner, bundle }))
        .with_no_client_auth())
}

/// webpki verification, plus OpenSSL's acceptance of a server certificate
/// that is itself in the explicit CA bundle (see the module docs).
#[derive(Debug)]
struct BundleVerifier {
    inner: Arc<rustls::client::WebPkiServerVerifier>,
    bundle: Vec<CertificateDer<'static>>,
}

impl ServerCertVerifier for BundleVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let err =
            match self
                .inner
                .verify_server_cert(end_entity, intermediates, server_name, ocsp, now)
            {
                Ok(v) => return Ok(v),
                Err(e) => e,
            };
        if !self
            .bundle
            .iter()
            .any(|c| c.as_ref() == end_entity.as_ref())
        {
            return Err(err);
        }
        let cert = webpki::EndEntityCert::try_from(end_entity).map_err(|_| err.clone())?;
        cert.verify_is_valid_for_subject_name(server_name)
            .map_err(|_| rustls::CertificateError::NotValidForName)?;
        let (not_before, not_after) =
            validity(end_entity.as_ref()).ok_or(rustls::CertificateError::BadEncoding)?;
        let now = now.as_secs() as i64;
        if now < not_before {
            return Err(rustls::CertificateError::NotValidYet.into());
        }
        if now > not_after {
            return Err(rustls::CertificateError::Expired.into());
        }
        Ok(ServerCertVerified::assertion())
    }
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }
    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

/// One DER element: (tag, contents, what follows). Definite lengths only, as DER requires.
fn der_next(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, mut rest) = rest.split_first()?;
    let len = if first < 0x80 {
        first as usize
    } else {
        let n = (first & 0x7f) as usize;
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n].iter().fold(0usize, |a, b| (a << 8) | *b as usize);
        rest = &rest[n..];
        len
    };
    (rest.len() >= len).then(|| (tag, &rest[..len], &rest[len..]))
}

/// `notBefore` and `notAfter` of an X.509 certificate, as Unix seconds.
fn validity(der: &[u8]) -> Option<(i64, i64)> {
    let (0x30, cert, _) = der_next(der)? else {
        return None;
    };
    let (0x30, tbs, _) = der_next(cert)? else {
        return None;
    };
    let mut rest = tbs;
    if rest.first() == Some(&0xa0) {
        rest = der_next(rest)?.2; // [0] version
    }
    for _ in 0..3 {
        rest = der_next(rest)?.2; // serialNumber, signature, issuer
    }
    let (0x30, validity, _) = der_next(rest)? else {
        return None;
    };
    let (t1, nb, after) = der_next(validity)?;
    let (t2, na, _) = der_next(after)?;
    Some((der_time(t1, nb)?, der_time(t2, na)?))
}

/// UTCTime (`YYMMDDHHMMSSZ`, years 1950–2049) or GeneralizedTime (`YYYYMMDDHHMMSSZ`).
fn der_time(tag: u8, v: &[u8]) -> Option<i64> {
    let s = std::str::from_utf8(v).ok()?;
    let digits = s.strip_suffix('Z')?;
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let full = match (tag, digits.len()) {
        (0x17, 12) => {
            let yy: u32 = digits[..2].parse().ok()?;
            format!("{}{digits}", if yy < 50 { "20" } else { "19" })
        }
        (0x18, 14) => digits.to_string(),
        _ => return None,
    };
    let iso = format!(
        "{}-{}-{}T{}:{}:{}Z",
        &full[..4],
        &full[4..6],
        &full[6..8],
        &full[8..10],
        &full[10..12],
        &full[12..14]
    );
    boto_model::Timestamp::parse(&iso)
        .ok()
        .map(|t| t.epoch_secs())
}

/// `verify=False`: accepts any server certificate. For local testing only.
#[derive(Debug)]
struct NoVerify(Arc<CryptoProvider>);

impl ServerCertVerifier for NoVerify {
    fn verify_server_cert(
        &self,
        _: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }
    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_validity_of_generated_certificates() {
        let mut params = rcgen::CertificateParams::new(vec!["localhost".into()]).unwrap();
        params.not_before = rcgen::date_time_ymd(2020, 1, 2);
        params.not_after = rcgen::date_time_ymd(2049, 12, 31);
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = params.clone().self_signed(&key).unwrap();
        let (nb, na) = validity(cert.der()).unwrap();
        assert_eq!(nb, 1577923200); // 2020-01-02T00:00:00Z
        assert_eq!(na, 2524521600); // 2049-12-31T00:00:00Z
        params.not_after = rcgen::date_time_ymd(2051, 6, 1); // GeneralizedTime from 2050
        let cert = params.self_signed(&key).unwrap();
        assert_eq!(validity(cert.der()).unwrap().1, 2569190400);
    }

    #[test]
    fn malformed_der_is_rejected_not_panicking() {
        for bad in [
            &b""[..],
            b"\x30",
            b"\x30\x84\xff\xff\xff\xff",
            b"\x30\x03\x30\x01",
        ] {
            assert_eq!(validity(bad), None);
        }
        assert_eq!(der_time(0x17, b"2001011200Z"), None);
        assert_eq!(der_time(0x18, b"2020010112000aZ"), None);
    }
}
