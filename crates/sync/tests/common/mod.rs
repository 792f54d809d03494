//! Helpers shared by the sync tests: replicas, edits, and a zip re-packer that plays the
//! attacker (changes files, re-signs with a chosen key).

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};
use std::path::Path;

use ed25519_dalek::{Signer, SigningKey};
use kehoach_core::{Change, Kind, Op, Store};
use kehoach_sync::{export_bundle, import_bundle, ExportOptions, ImportOptions};
use serde_json::json;
use uuid::Uuid;

pub fn edit(store: &mut Store, entity: u128, kind: Kind, field: &str, value: serde_json::Value) {
    store.commit(vec![Change::new(kind, Uuid::from_u128(entity), field, value)]).unwrap();
}

pub fn some_data(store: &mut Store, tag: &str) {
    edit(store, 0x100, Kind::Plan, "title", json!(format!("Kế hoạch Đề án 06 — {tag}")));
    edit(store, 0x200, Kind::Task, "text", json!(format!("Rà soát dữ liệu dân cư {tag}")));
    edit(store, 0x200, Kind::Task, "status", json!("in_progress"));
}

/// `store`'s signature of `op`, as that device makes it (issue 14, point 4).
pub fn sign_as(store: &Store, op: &Op) -> String {
    hex::encode(signing_key(store).sign(&op.signing_bytes()).to_bytes())
}

/// The data of `store` without the devices' admissions and revocations: what two PCs compare
/// when one has not yet received the other's own admission (written when it joined).
pub fn data(store: &Store) -> serde_json::Value {
    let mut d: serde_json::Value = serde_json::from_str(&store.dump_json().unwrap()).unwrap();
    let entities = d["entities"].as_object_mut().unwrap();
    for e in entities.values_mut() {
        if e["kind"] == "user" {
            let f = e["fields"].as_object_mut().unwrap();
            f.remove("admission");
            f.remove("revoked");
        }
    }
    entities.retain(|_, e| e["kind"] != "user" || !e["fields"].as_object().unwrap().is_empty());
    d
}

/// A founding PC and a second PC joined through an invitation; each trusts the other.
pub fn pair(a: &mut Store, b: &mut Store) {
    let inv = kehoach_sync::create_invitation(a).unwrap();
    kehoach_sync::join(b, &inv).unwrap();
    let (bundle, _) = export_bundle(b, &ExportOptions::default()).unwrap();
    import_bundle(a, &bundle, &ImportOptions::default()).unwrap();
}

pub fn unzip(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut out = BTreeMap::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let mut b = Vec::new();
        f.read_to_end(&mut b).unwrap();
        out.insert(f.name().to_string(), b);
    }
    out
}

pub fn zip_files(files: &BTreeMap<String, Vec<u8>>) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, body) in files {
        z.start_file(name.as_str(), zip::write::SimpleFileOptions::default()).unwrap();
        z.write_all(body).unwrap();
    }
    z.finish().unwrap().into_inner()
}

/// Rewrites the manifest with `f` and signs it again with `key`.
pub fn resign(bytes: &[u8], key: &SigningKey, f: impl FnOnce(&mut serde_json::Value)) -> Vec<u8> {
    let mut files = unzip(bytes);
    let mut m: serde_json::Value = serde_json::from_slice(&files["manifest.json"]).unwrap();
    f(&mut m);
    let mb = serde_json::to_vec_pretty(&m).unwrap();
    let sig = hex::encode(key.sign(&mb).to_bytes());
    files.insert("manifest.json".into(), mb);
    files.insert("signature".into(), sig.into_bytes());
    zip_files(&files)
}

/// The device's own signing key, as the tests' "stolen key" or "right key" for re-signing.
pub fn signing_key(store: &Store) -> SigningKey {
    let hexkey = store.local_setting("sync.signing_key").unwrap().unwrap();
    SigningKey::from_bytes(&hex::decode(hexkey).unwrap().try_into().unwrap())
}

/// The database file's bytes with the store closed (so WAL is checkpointed into it).
pub fn file_bytes(path: &Path) -> Vec<u8> {
    let wal = path.with_extension("sqlite3-wal");
    assert!(!wal.exists() || std::fs::metadata(&wal).unwrap().len() == 0, "WAL left behind");
    std::fs::read(path).unwrap()
}

/// `b`'s bundle (with a new edit of its own, so the receiver reads it) with `extra` appended to
/// its ops and signed again by `b`: what a trusted PC — broken, or with its key in the wrong
/// hands — can send.
pub fn bundle_with(b: &mut Store, extra: &[Op]) -> Vec<u8> {
    edit(b, 0x300, Kind::Task, "text", json!("Cấp căn cước lưu động"));
    let (bundle, _) = export_bundle(b, &ExportOptions { since: Some(0), ..Default::default() }).unwrap();
    let mut files = unzip(&bundle);
    let mut ops = String::from_utf8(files["ops.jsonl"].clone()).unwrap();
    for o in extra {
        // Ops claiming to be b's carry b's signature, as b's own would.
        let mut o = o.clone();
        if o.device == b.device_id() {
            o.sig = Some(hex::encode(signing_key(b).sign(&o.signing_bytes()).to_bytes()));
        }
        ops.push_str(&serde_json::to_string(&o).unwrap());
        ops.push('\n');
    }
    let body = ops.into_bytes();
    let sha = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&body));
    let len = body.len();
    files.insert("ops.jsonl".into(), body);
    resign(&zip_files(&files), &signing_key(b), |m| {
        m["files"][0]["sha256"] = json!(sha);
        m["files"][0]["size"] = json!(len);
        m["covers"]["ops"] = json!(m["covers"]["ops"].as_u64().unwrap() + extra.len() as u64);
    })
}
