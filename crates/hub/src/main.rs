//! `kehoach-hub`: serve, enrol a commune's device, or enrol a parent unit's read-only device.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use kehoach_hub::tls::{self, TlsListener};
use kehoach_hub::{api, postgres::PostgresStore, sqlite::SqliteStore, DeviceRecord, HubStore, ParentRecord};
use uuid::Uuid;

#[derive(Parser)]
#[command(name = "kehoach-hub", version, about = "kehoach sync hub")]
struct Cli {
    /// Directory of the embedded SQLite store (default engine).
    #[arg(long, global = true, default_value = "kehoach-hub-data")]
    data: PathBuf,
    /// Use PostgreSQL instead: postgres://user@host:port/db
    #[arg(long, global = true)]
    database_url: Option<String>,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Serve HTTPS with this PEM certificate chain (with --tls-key); without it, plain HTTP
    /// (for loopback, a LAN, or behind a TLS-terminating proxy).
    #[arg(long, requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// The PEM private key of --tls-cert.
    #[arg(long, requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// A folder of signed updates (installers with their `.kehoach-update.json`, as
    /// `scripts/package.sh` writes them to dist/): each PC is offered the newest for its
    /// platform and downloads it from the hub.
    #[arg(long)]
    updates: Option<PathBuf>,
    /// Timeouts and the connection cap (issue 14, point 2).
    #[command(flatten)]
    limits: kehoach_hub::Limits,
    /// Each device's quotas.
    #[command(flatten)]
    quotas: kehoach_hub::Quotas,
    #[command(subcommand)]
    cmd: Option<Cmd>,
}

#[derive(Subcommand)]
enum Cmd {
    /// Withdraw a device's enrolment (a lost or stolen PC): its requests are refused from now on.
    Revoke {
        #[arg(long)]
        device: Uuid,
    },
    /// Allow a device to sync its commune (values from `kehoach device list --json`).
    Enrol {
        #[arg(long)]
        commune: Uuid,
        #[arg(long)]
        device: Uuid,
        #[arg(long)]
        public_key: String,
    },
    /// Allow a district or province PC to read its communes (roll-up and pull), never to write.
    EnrolParent {
        /// The parent unit's name, e.g. "UBND huyện Ia Pa".
        #[arg(long)]
        unit: String,
        #[arg(long)]
        device: Uuid,
        #[arg(long)]
        public_key: String,
        /// The communes it oversees (their ids, comma-separated).
        #[arg(long, value_delimiter = ',', required = true)]
        communes: Vec<Uuid>,
    },
}

async fn open(cli: &Cli) -> Result<Arc<dyn HubStore>> {
    Ok(match &cli.database_url {
        Some(url) => Arc::new(PostgresStore::connect(url).await.context("cannot connect to PostgreSQL")?),
        None => Arc::new(SqliteStore::open(&cli.data).with_context(|| format!("cannot open {}", cli.data.display()))?),
    })
}

#[tokio::main]
async fn main() -> Result<()> {
    let cli = Cli::parse();
    let store = open(&cli).await?;
    match &cli.cmd {
        Some(Cmd::Enrol { commune, device, public_key }) => {
            store.enrol(&DeviceRecord { id: *device, commune: *commune, public_key: public_key.clone() }).await?;
            println!("enrolled {device} into {commune}");
        }
        Some(Cmd::Revoke { device }) => {
            if !store.revoke(*device).await? {
                anyhow::bail!("{device} is not enrolled");
            }
            println!("revoked {device}: its requests are refused from now on");
        }
        Some(Cmd::EnrolParent { unit, device, public_key, communes }) => {
            let p = ParentRecord {
                id: *device,
                unit: unit.clone(),
                public_key: public_key.clone(),
                communes: communes.clone(),
            };
            store.enrol_parent(&p).await?;
            println!("enrolled {device} as {unit}, reading {} communes", communes.len());
        }
        None => {
            let listener = kehoach_hub::bind(cli.listen)?;
            let addr = listener.local_addr()?;
            let stop = async {
                let _ = tokio::signal::ctrl_c().await;
            };
            let updates = cli.updates.clone().map(api::UpdatesFolder::signed_by_release_keys);
            let app = api::router_with(store, updates, cli.quotas.clone());
            let limits = cli.limits.clone();
            match (&cli.tls_cert, &cli.tls_key) {
                (Some(cert), Some(key)) => {
                    let listener = TlsListener::new(listener, tls::server_config(cert, key)?)?;
                    eprintln!("kehoach-hub listening on https://{addr}");
                    kehoach_hub::serve(listener, app, limits, stop).await;
                }
                _ => {
                    eprintln!("kehoach-hub listening on http://{addr}");
                    kehoach_hub::serve(listener, app, limits, stop).await;
                }
            }
        }
    }
    Ok(())
}
