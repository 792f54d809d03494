//! What the bundle targets share: a commune's PC A whose bundles PC B trusts, and A's bundle
//! taken apart and put back together (as an attacker holding A's key would) with the sync
//! tests' own zip helpers.

#![allow(dead_code)]

#[path = "../../crates/sync/tests/common/mod.rs"]
mod sync_tests;

use ed25519_dalek::SigningKey;
use sync_tests::{unzip, zip_files};
use kehoach_core::{Change, Kind, Store};
use kehoach_sync::{export_bundle, import_bundle, ExportOptions, ImportOptions};
use sha2::{Digest, Sha256};
use uuid::Uuid;

pub struct Pair {
    pub a: Store,
    pub b: Store,
    /// A bundle of A with a plan, a task and a note, which B takes.
    pub bundle: Vec<u8>,
    pub key: SigningKey,
}

pub fn pair() -> Pair {
    let mut a = Store::open_in_memory().unwrap();
    let mut b = Store::open_in_memory().unwrap();
    kehoach_sync::found_commune(&a).unwrap();
    let inv = kehoach_sync::create_invitation(&mut a).unwrap();
    kehoach_sync::join(&mut b, &inv).unwrap();
    let (joined, _) = export_bundle(&b, &ExportOptions::default()).unwrap();
    import_bundle(&mut a, &joined, &ImportOptions::default()).unwrap();
    let (plan, task) = (Uuid::from_u128(0x100), Uuid::from_u128(0x200));
    a.commit(vec![
        Change::new(Kind::Plan, plan, "title", "Kế hoạch Đề án 06 năm 2024"),
        Change::new(Kind::Task, task, "plan_id", plan.to_string()),
        Change::new(Kind::Task, task, "text", "Rà soát, làm sạch dữ liệu dân cư"),
        Change::new(Kind::Task, task, "status", "in_progress"),
    ])
    .unwrap();
    let (bundle, _) = export_bundle(&a, &ExportOptions::default()).unwrap();
    let key = sync_tests::signing_key(&a);
    Pair { a, b, bundle, key }
}

/// `bundle` with its ops file replaced by `ops`, the manifest made to match (hash, size, a new
/// id so it is no replay) and signed again with `key`: what a trusted but hostile PC can send.
pub fn with_ops(bundle: &[u8], key: &SigningKey, ops: &[u8]) -> Vec<u8> {
    let mut files = unzip(bundle);
    files.insert("ops.jsonl".into(), ops.to_vec());
    sync_tests::resign(&zip_files(&files), key, |m| {
        m["id"] = serde_json::json!(Uuid::new_v4());
        for f in m["files"].as_array_mut().unwrap() {
            if f["path"] == "ops.jsonl" {
                f["size"] = serde_json::json!(ops.len());
                f["sha256"] = serde_json::json!(hex::encode(Sha256::digest(ops)));
            }
        }
    })
}

/// Imports `bytes` into `store`; a refused file must leave the store as it was.
pub fn import_checked(store: &mut Store, bytes: &[u8]) {
    let before = store.op_count().unwrap();
    if import_bundle(store, bytes, &ImportOptions::default()).is_err() {
        assert_eq!(store.op_count().unwrap(), before, "a refused bundle changed the op log");
    }
}

/// `data` as an ops file in which every line that reads as an op is signed with `key`, as a
/// hostile PC holding its own key signs what it sends: the receiver's checks past the
/// signature (values, kinds, clocks, authorship of other devices' ops) are what is fuzzed.
/// Lines that are not ops stay as they are, for the parser.
pub fn signed_lines(data: &[u8], key: &SigningKey) -> Vec<u8> {
    use ed25519_dalek::Signer;
    let mut out = Vec::with_capacity(data.len() + 256);
    for (i, line) in data.split(|b| *b == b'\n').enumerate() {
        if i > 0 {
            out.push(b'\n');
        }
        match serde_json::from_slice::<kehoach_core::Op>(line) {
            Ok(mut op) => {
                op.sig = Some(hex::encode(key.sign(&op.signing_bytes()).to_bytes()));
                out.extend(serde_json::to_vec(&op).expect("an op serialises"));
            }
            Err(_) => out.extend_from_slice(line),
        }
    }
    out
}
