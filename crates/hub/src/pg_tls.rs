//! TLS to the PostgreSQL server, as the database URL asks for it (issue 14, point 10): a
//! province hub's database often lives on another machine, and the communes' data must not
//! cross the network in clear.
//!
//! The URL's `sslmode` is honoured:
//! - absent or `disable`: no TLS (a server on the same machine, as the tests and a small hub use);
//! - `prefer`: TLS when the server offers it, plain otherwise;
//! - `require`, `verify-ca`, `verify-full`: TLS or no connection.
//!
//! Whenever TLS is used the server's certificate is checked — its chain against the system's
//! roots plus the CA file `sslrootcert=` names, and its host name — whatever the mode: unlike
//! libpq's `require`, an unchecked certificate would let anyone on the path read the data. A
//! server with its own CA therefore needs `sslrootcert=/path/ca.crt` in the URL.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use tokio_postgres::config::SslMode;
use tokio_postgres::{Client, Config, Connection, NoTls, Socket};

/// A URL split into what tokio-postgres reads and what it does not (`sslrootcert`, and the
/// `verify-*` spellings of `sslmode`, which it refuses).
#[derive(Debug, PartialEq)]
struct TlsSettings {
    url: String,
    root_cert: Option<PathBuf>,
}

fn split(url: &str) -> TlsSettings {
    let Some((base, query)) = url.split_once('?') else {
        return TlsSettings { url: url.to_string(), root_cert: None };
    };
    let mut kept = Vec::new();
    let mut root_cert = None;
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        match pair.split_once('=') {
            // `%XX` escapes (a path with spaces, say).
            Some(("sslrootcert", v)) => {
                root_cert =
                    Some(PathBuf::from(percent_encoding::percent_decode_str(v).decode_utf8_lossy().into_owned()))
            }
            Some(("sslmode", "verify-ca" | "verify-full")) => kept.push("sslmode=require".to_string()),
            _ => kept.push(pair.to_string()),
        }
    }
    let url = if kept.is_empty() { base.to_string() } else { format!("{base}?{}", kept.join("&")) };
    TlsSettings { url, root_cert }
}

fn client_config(root_cert: Option<&PathBuf>) -> Result<rustls::ClientConfig> {
    let mut roots = rustls::RootCertStore::empty();
    // The system's roots; a machine without any (a bare container) still has the file's.
    for cert in rustls_native_certs::load_native_certs().certs {
        let _ = roots.add(cert);
    }
    if let Some(path) = root_cert {
        let pem = std::fs::read(path).with_context(|| format!("sslrootcert: cannot read {}", path.display()))?;
        let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&pem)
            .collect::<Result<_, _>>()
            .with_context(|| format!("sslrootcert: {} is not a PEM certificate file", path.display()))?;
        if certs.is_empty() {
            bail!("sslrootcert: no certificate in {}", path.display());
        }
        for cert in certs {
            roots.add(cert).with_context(|| {
                format!("sslrootcert: {} holds a certificate that cannot be a root", path.display())
            })?;
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_no_client_auth())
}

/// A running connection's future, whatever the transport: the caller spawns it.
pub type Driver = std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), tokio_postgres::Error>> + Send>>;

/// Connects as `url` says, TLS included.
pub async fn connect(url: &str) -> Result<(Client, Driver)> {
    let settings = split(url);
    let config: Config = settings.url.parse().context("the PostgreSQL URL is not valid")?;
    if config.get_ssl_mode() == SslMode::Disable || (settings.root_cert.is_none() && !url.contains("sslmode=")) {
        let (client, conn) = config.connect(NoTls).await?;
        return Ok((client, drive(conn)));
    }
    let tls = tokio_postgres_rustls::MakeRustlsConnect::new(client_config(settings.root_cert.as_ref())?);
    let (client, conn) = config.connect(tls).await.map_err(|e| explain(e, &config))?;
    Ok((client, drive(conn)))
}

fn drive<T>(conn: Connection<Socket, T>) -> Driver
where
    T: tokio_postgres::tls::TlsStream + Unpin + Send + 'static,
{
    Box::pin(conn)
}

/// A refused certificate says what to do about it.
fn explain(e: tokio_postgres::Error, config: &Config) -> anyhow::Error {
    let text = format!("{e:#}");
    let source = std::error::Error::source(&e).map(|s| s.to_string()).unwrap_or_default();
    let cert = [&text, &source].iter().any(|t| t.contains("certificate") || t.contains("UnknownIssuer"));
    let mode = match config.get_ssl_mode() {
        SslMode::Require => "require",
        _ => "prefer",
    };
    if cert {
        anyhow::anyhow!(
            "the PostgreSQL server's TLS certificate is not trusted (sslmode={mode}): {text} {source}; \
             name its CA with sslrootcert=/path/ca.crt in the URL"
        )
    } else {
        anyhow::Error::new(e).context(format!("TLS to PostgreSQL (sslmode={mode})"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_settings_tokio_postgres_does_not_read_are_taken_out() {
        let s = split("postgres://hub@db.tinh.vn:5432/kehoach?sslmode=verify-full&sslrootcert=/etc/k%20h/ca.crt&application_name=hub");
        assert_eq!(s.url, "postgres://hub@db.tinh.vn:5432/kehoach?sslmode=require&application_name=hub");
        assert_eq!(s.root_cert, Some(PathBuf::from("/etc/k h/ca.crt")));
        let plain = split("postgres://postgres@127.0.0.1:5432/postgres");
        assert_eq!(plain.url, "postgres://postgres@127.0.0.1:5432/postgres");
        assert_eq!(split("postgres://h/db?sslrootcert=/ca.pem").url, "postgres://h/db");
    }
}
