//! Updates from the province hub (issue 16, item 5): the hub offers each PC the newest signed
//! update for its platform from its `--updates` folder and streams the installer; the PC takes
//! only an update signed by a key it trusts, newer than what it runs, whose installer arrives
//! whole — whatever else lies in the folder or however the hub's copy was changed.

use std::path::Path;

use kehoach_core::Store;
use kehoach_hub::api::{self, UpdatesFolder};
use kehoach_sync::update::{self, UpdateError, UpdatePolicy};
use kehoach_sync::{Device, HubClient, SyncError};

mod common;

use common::{Hub, Serving};

/// A hub serving `folder`'s updates.
fn start_hub(folder: UpdatesFolder) -> Hub {
    common::start_sqlite(Serving::routes(move |store| api::router_serving_updates(store, Some(folder))))
}

/// A commune PC enrolled with `hub`.
fn enrolled_pc(dir: &Path, hub: &Hub) -> Store {
    let store = Store::open(&dir.join("xa.sqlite3")).unwrap();
    let commune = kehoach_sync::found_commune(&store).unwrap();
    let key = Device::load_or_create(&store).unwrap().public_key_hex();
    hub.enrol_key(store.device_id(), commune, &key);
    store
}

/// Writes an installer `name` holding `bytes` into `dir` and signs it with `key`.
fn signed(dir: &Path, key: &update::SigningKey, name: &str, bytes: &[u8], version: &str, platform: &str) {
    let installer = dir.join(name);
    std::fs::write(&installer, bytes).unwrap();
    update::sign_update(key, &installer, version, platform).unwrap();
}

fn policy(key: &update::SigningKey, current: &str) -> UpdatePolicy {
    UpdatePolicy { keys: vec![key.verifying_key()], current: current.into(), platform: "windows-x64".into() }
}

struct Setup {
    _dir: tempfile::TempDir,
    hub: Hub,
    pc: Store,
    folder: std::path::PathBuf,
    downloads: std::path::PathBuf,
    key: update::SigningKey,
}

/// A hub whose folder holds, besides the real 0.2.0 for Windows: a 0.1.5 for Windows, a 0.4.0
/// for Linux, a "9.0.0" signed by a stranger's key, and files that are no update at all.
fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    // A province server's folder with spaces and Vietnamese letters.
    let folder = dir.path().join("Bản cập nhật kehoach");
    std::fs::create_dir_all(&folder).unwrap();
    let key = update::signing_key(&update::generate_key().0).unwrap();
    let stranger = update::signing_key(&update::generate_key().0).unwrap();
    signed(&folder, &key, "kehoach_0.2.0_x64-setup.exe", &[7u8; 300_000], "0.2.0", "windows-x64");
    signed(&folder, &key, "kehoach_0.1.5_x64-setup.exe", b"MZ old", "0.1.5", "windows-x64");
    signed(&folder, &key, "kehoach_0.4.0_amd64.deb", b"!<arch> deb", "0.4.0", "linux-amd64");
    signed(&folder, &stranger, "kehoach_9.0.0_x64-setup.exe", b"MZ forged", "9.0.0", "windows-x64");
    std::fs::write(folder.join("ghi-chu.kehoach-update.json"), "Công văn số 15").unwrap();
    std::fs::write(folder.join("hub.sqlite3"), b"not for downloading").unwrap();
    let hub = start_hub(UpdatesFolder { dir: folder.clone(), keys: vec![key.verifying_key()] });
    let pc = enrolled_pc(dir.path(), &hub);
    let downloads = dir.path().join("máy xã").join("cap-nhat");
    Setup { _dir: dir, hub, pc, folder, downloads, key }
}

#[test]
fn a_pc_is_offered_the_newest_signed_update_for_its_platform_and_downloads_it_whole() {
    let s = setup();
    let client = HubClient::new(&s.hub.url);
    let p = policy(&s.key, "0.1.0");
    let offer = update::ask_hub(&s.pc, &client, &p).unwrap().expect("the hub offers an update");
    assert_eq!((offer.version.as_str(), offer.file.as_str()), ("0.2.0", "kehoach_0.2.0_x64-setup.exe"));
    // Remembered for the app's "Có phiên bản mới" until the next sync.
    assert_eq!(update::offered(&s.pc, &p).unwrap(), Some(offer.clone()));

    let got = update::download(&s.pc, &client, &offer, &s.downloads, &p).unwrap();
    assert_eq!(got.version, "0.2.0");
    assert_eq!(std::fs::read(&got.installer).unwrap(), vec![7u8; 300_000]);
    // The download is checked like a file from a USB stick: its description lies beside it.
    let manifest = s.downloads.join("kehoach_0.2.0_x64-setup.exe.kehoach-update.json");
    assert!(update::verify_update(&manifest, &p.keys, "0.1.0", "windows-x64").is_ok());

    // Once 0.2.0 runs, neither the hub nor the remembered offer says there is a newer one.
    let now_current = policy(&s.key, "0.2.0");
    assert_eq!(update::offered(&s.pc, &now_current).unwrap(), None);
    assert_eq!(update::ask_hub(&s.pc, &client, &now_current).unwrap(), None);
    assert_eq!(update::offered(&s.pc, &p).unwrap(), None, "the remembered offer is cleared");
}

#[test]
fn an_installer_changed_on_the_hub_is_refused_and_nothing_is_installed_from_it() {
    let s = setup();
    let client = HubClient::new(&s.hub.url);
    let p = policy(&s.key, "0.1.0");
    let offer = update::ask_hub(&s.pc, &client, &p).unwrap().unwrap();
    // Same size, other bytes: the hub still lists it, the PC must not take it.
    let mut bytes = vec![7u8; 300_000];
    bytes[150_000] = 8;
    std::fs::write(s.folder.join(&offer.file), &bytes).unwrap();
    let err = update::download(&s.pc, &client, &offer, &s.downloads, &p).unwrap_err();
    assert!(matches!(err, SyncError::Update(UpdateError::Tampered(_))), "{err}");
    assert!(err.to_string().contains("không cài"), "{err}");

    // A description whose version was raised after signing is refused before any download.
    let mut forged = offer.clone();
    forged.version = "0.3.0".into();
    let err = update::download(&s.pc, &client, &forged, &s.downloads, &p).unwrap_err();
    assert!(matches!(err, SyncError::Update(UpdateError::BadSignature)), "{err}");
}

#[test]
fn a_pc_trusting_other_keys_is_offered_nothing_and_a_forged_offer_is_an_error() {
    let s = setup();
    let client = HubClient::new(&s.hub.url);
    // This PC trusts another release key: the hub's best update is not signed by it.
    let other = update::signing_key(&update::generate_key().0).unwrap();
    let err = update::ask_hub(&s.pc, &client, &policy(&other, "0.1.0")).unwrap_err();
    assert!(matches!(err, SyncError::Update(UpdateError::BadSignature)), "{err}");
    assert_eq!(update::offered(&s.pc, &policy(&other, "0.1.0")).unwrap(), None);
}

/// A GET signed by `pc`'s device, sent by hand: its status and body.
fn signed_get(hub: &Hub, pc: &Store, path: &str) -> (u16, Vec<u8>) {
    use std::io::{Read, Write};
    let device = Device::load_or_create(pc).unwrap();
    let time = chrono::Utc::now().timestamp_millis();
    let sig = hex::encode(device.sign(&kehoach_sync::hub_auth::signed_message("GET", path, time, b"")));
    let mut tcp = std::net::TcpStream::connect(&hub.addr).unwrap();
    let head = format!(
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n{}: {}\r\n{}: {time}\r\n{}: {sig}\r\n\r\n",
        kehoach_sync::hub_auth::HEADER_DEVICE,
        device.id,
        kehoach_sync::hub_auth::HEADER_TIME,
        kehoach_sync::hub_auth::HEADER_SIGNATURE,
    );
    tcp.write_all(head.as_bytes()).unwrap();
    let mut answer = Vec::new();
    tcp.read_to_end(&mut answer).unwrap();
    let text = String::from_utf8_lossy(&answer);
    let status = text.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = answer.windows(4).position(|w| w == b"\r\n\r\n").map(|i| answer[i + 4..].to_vec()).unwrap_or_default();
    (status, body)
}

#[test]
fn the_hub_hands_out_only_signed_installers_and_only_to_enrolled_devices() {
    let s = setup();
    let client = HubClient::new(&s.hub.url);
    // The signed installer is served as it lies in the folder.
    let (status, body) = signed_get(&s.hub, &s.pc, "/v1/updates/file/kehoach_0.1.5_x64-setup.exe");
    assert_eq!((status, body.as_slice()), (200, &b"MZ old"[..]));
    // Files of the folder that no signed description names are not, nor paths out of it, nor
    // the installer a stranger signed.
    for name in [
        "hub.sqlite3",
        "ghi-chu.kehoach-update.json",
        "kehoach_9.0.0_x64-setup.exe",
        "..%2Fhub%2Fhub.sqlite3",
        "%2E%2E%2Fhub%2Fhub.sqlite3",
    ] {
        let (status, _) = signed_get(&s.hub, &s.pc, &format!("/v1/updates/file/{name}"));
        assert_eq!(status, 404, "{name}");
    }
    // A device the hub does not know gets neither the offer nor a file.
    let dir = tempfile::tempdir().unwrap();
    let stranger = Store::open(&dir.path().join("la.sqlite3")).unwrap();
    kehoach_sync::found_commune(&stranger).unwrap();
    let err = update::ask_hub(&stranger, &client, &policy(&s.key, "0.1.0")).unwrap_err();
    assert!(err.to_string().contains("chưa được đăng ký"), "an unenrolled device is refused: {err}");
    let (status, _) = signed_get(&s.hub, &stranger, "/v1/updates/file/kehoach_0.2.0_x64-setup.exe");
    assert_eq!(status, 403);
}

#[test]
fn a_hub_without_an_updates_folder_offers_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("trống");
    std::fs::create_dir_all(&empty).unwrap();
    let key = update::signing_key(&update::generate_key().0).unwrap();
    let hub = start_hub(UpdatesFolder { dir: empty, keys: vec![key.verifying_key()] });
    let pc = enrolled_pc(dir.path(), &hub);
    assert_eq!(update::ask_hub(&pc, &HubClient::new(&hub.url), &policy(&key, "0.1.0")).unwrap(), None);
}
