//! A hub for the tests: any store, any routes, plain or HTTPS, with the hub's own connection
//! handling (`kehoach_hub::serve`), on a free loopback port and a runtime of its own thread.

#![allow(dead_code)]

use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;

use kehoach_core::Store;
use kehoach_hub::{api, sqlite::SqliteStore, DeviceRecord, HubStore, Limits};
use kehoach_sync::{Device, HubClient};
use uuid::Uuid;

pub struct Hub {
    /// `http://127.0.0.1:PORT` (or https).
    pub url: String,
    /// `127.0.0.1:PORT`, for raw connections.
    pub addr: String,
    pub store: Arc<dyn HubStore>,
    pub rt: tokio::runtime::Handle,
    /// The SQLite store's folder, when the hub made its own (removed with the hub).
    dir: Option<tempfile::TempDir>,
}

/// How a test's hub serves: its routes, its limits, and a certificate for HTTPS.
pub struct Serving {
    pub router: Box<dyn FnOnce(Arc<dyn HubStore>) -> axum::Router + Send>,
    pub limits: Limits,
    pub tls: Option<Arc<rustls::ServerConfig>>,
}

impl Default for Serving {
    fn default() -> Self {
        Serving { router: Box::new(api::router), limits: Limits::default(), tls: None }
    }
}

impl Serving {
    pub fn routes(router: impl FnOnce(Arc<dyn HubStore>) -> axum::Router + Send + 'static) -> Self {
        Serving { router: Box::new(router), ..Default::default() }
    }
}

/// Serves the store `make` opens, as `serving` says.
pub fn start<F, Fut>(make: F, serving: Serving) -> Hub
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: Future<Output = Arc<dyn HubStore>>,
{
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let handle = rt.handle().clone();
        rt.block_on(async move {
            let store = make().await;
            let tcp = kehoach_hub::bind("127.0.0.1:0".parse().unwrap()).unwrap();
            let addr = tcp.local_addr().unwrap().to_string();
            let app = (serving.router)(store.clone());
            let forever = std::future::pending();
            match serving.tls {
                Some(config) => {
                    tx.send((format!("https://{addr}"), addr, store, handle)).unwrap();
                    let listener = kehoach_hub::tls::TlsListener::new(tcp, config).unwrap();
                    kehoach_hub::serve(listener, app, serving.limits, forever).await;
                }
                None => {
                    tx.send((format!("http://{addr}"), addr, store, handle)).unwrap();
                    kehoach_hub::serve(tcp, app, serving.limits, forever).await;
                }
            }
        });
    });
    let (url, addr, store, rt) = rx.recv().unwrap();
    Hub { url, addr, store, rt, dir: None }
}

/// A hub on the embedded SQLite store in a folder of its own.
pub fn start_sqlite(serving: Serving) -> Hub {
    let dir = tempfile::tempdir().unwrap();
    let hub = start(sqlite(dir.path().to_path_buf()), serving);
    Hub { dir: Some(dir), ..hub }
}

/// The embedded SQLite store in `dir`.
pub fn sqlite(dir: PathBuf) -> impl FnOnce() -> std::future::Ready<Arc<dyn HubStore>> + Send + 'static {
    move || std::future::ready(Arc::new(SqliteStore::open(&dir).unwrap()) as Arc<dyn HubStore>)
}

impl Hub {
    pub fn enrol(&self, pc: &Store, commune: Uuid) {
        let key = Device::load_or_create(pc).unwrap().public_key_hex();
        self.enrol_key(pc.device_id(), commune, &key);
    }

    pub fn enrol_key(&self, device: Uuid, commune: Uuid, key: &str) {
        let rec = DeviceRecord { id: device, commune, public_key: key.to_string() };
        self.rt.block_on(self.store.enrol(&rec)).unwrap();
    }

    pub fn client(&self) -> HubClient {
        HubClient::new(&self.url)
    }
}
