//! The PostgreSQL store honours the TLS settings of its URL (issue 14, point 10). Needs the
//! server `scripts/start-postgres.sh` starts (TLS on, its CA beside the server's certificate).

use std::path::PathBuf;

use kehoach_hub::{pg_tls, postgres::PostgresStore};

fn server() -> Option<String> {
    match std::env::var("KEHOACH_TEST_PG_URL") {
        Ok(url) => Some(url),
        Err(_) => {
            assert!(std::env::var("KEHOACH_REQUIRE_PG").is_err(), "KEHOACH_TEST_PG_URL is not set");
            eprintln!(
                "skipped: KEHOACH_TEST_PG_URL is not set (export KEHOACH_TEST_PG_URL=$(scripts/start-postgres.sh))"
            );
            None
        }
    }
}

/// Whether the session `url` opens runs over TLS, as the server sees it.
async fn encrypted(url: &str) -> anyhow::Result<bool> {
    let (client, driver) = pg_tls::connect(url).await?;
    tokio::spawn(driver);
    let row = client.query_one("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", &[]).await?;
    Ok(row.get(0))
}

/// The throwaway CA that signed the server's certificate, found through the server itself.
async fn server_ca(url: &str) -> PathBuf {
    let (client, driver) = pg_tls::connect(url).await.unwrap();
    tokio::spawn(driver);
    let cert: String = client.query_one("SHOW ssl_cert_file", &[]).await.unwrap().get(0);
    PathBuf::from(cert).with_file_name("ca.crt")
}

#[tokio::test]
async fn the_url_decides_tls_and_the_servers_certificate_is_checked() {
    let Some(url) = server() else { return };
    let ca = server_ca(&url).await;
    assert!(ca.is_file(), "{}", ca.display());
    let with = |q: &str| format!("{url}?{q}");

    // As before: no sslmode, or sslmode=disable, is a plain connection.
    assert!(!encrypted(&url).await.unwrap());
    assert!(!encrypted(&with("sslmode=disable")).await.unwrap());

    // require with the server's CA: encrypted (tokio-postgres refused `require` outright before).
    assert!(encrypted(&with(&format!("sslmode=require&sslrootcert={}", ca.display()))).await.unwrap());
    assert!(encrypted(&with(&format!("sslmode=prefer&sslrootcert={}", ca.display()))).await.unwrap());
    // verify-full, by host name.
    let by_name = url.replace("127.0.0.1", "localhost");
    assert!(encrypted(&format!("{by_name}?sslmode=verify-full&sslrootcert={}", ca.display())).await.unwrap());

    // A certificate from a CA the hub does not trust: no connection, and the message says what to do.
    let err = encrypted(&with("sslmode=require")).await.unwrap_err();
    assert!(format!("{err:#}").contains("sslrootcert"), "{err:#}");
    // Nor from a CA file that is no such thing.
    let junk = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(junk.path(), b"not a certificate").unwrap();
    let err = encrypted(&with(&format!("sslmode=require&sslrootcert={}", junk.path().display()))).await.unwrap_err();
    assert!(format!("{err:#}").contains("sslrootcert"), "{err:#}");

    // The hub's store itself runs over it.
    let store = PostgresStore::connect(&with(&format!("sslmode=verify-full&sslrootcert={}", ca.display()))).await;
    assert!(store.is_ok(), "{:?}", store.err());
}
