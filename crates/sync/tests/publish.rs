//! A plan of the level above received by a commune (issue 17): only a publication signed by the
//! level above's PC the commune trusts (the first one on the officer's acceptance), addressed to
//! this commune, unchanged since it was signed, is stored; anything else gets a clear message and
//! changes nothing.

mod common;

use common::*;
use ed25519_dalek::Signer;
use kehoach_core::{upstream, Store};
use kehoach_model::{NewPlan, NewTask, SignedPublication};
use kehoach_sync::{publish, SyncError};
use uuid::Uuid;

fn district(dir: &std::path::Path, name: &str) -> (Store, Uuid) {
    let mut s = Store::open(&dir.join(format!("{name}.sqlite3"))).unwrap();
    s.set_local_setting(kehoach_sync::district::UNIT, "UBND huyện Ia Pa").unwrap();
    let plan = kehoach_core::create_plan(
        &mut s,
        &NewPlan {
            title: "Kế hoạch Đề án 06".into(),
            number: Some("39/KH-UBND".into()),
            date: Some("2023-03-20".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let task = NewTask {
        plan_id: plan.id,
        text: "Rà soát dữ liệu dân cư".into(),
        lead: vec!["UBND các xã, thị trấn".into()],
        ..Default::default()
    };
    kehoach_core::add_task(&mut s, &task).unwrap();
    (s, plan.id)
}

fn commune_pc(dir: &std::path::Path, name: &str) -> (Store, Uuid) {
    let s = Store::open(&dir.join(format!("{name}.sqlite3"))).unwrap();
    let c = kehoach_sync::found_commune(&s).unwrap();
    (s, c)
}

fn bytes(p: &SignedPublication) -> Vec<u8> {
    serde_json::to_vec(p).unwrap()
}

/// Receives `file` and expects a refusal whose message contains `says`, with nothing changed.
fn refused(pc: &mut Store, file: &[u8], accept: bool, says: &str) -> SyncError {
    let before = (pc.dump_json().unwrap(), kehoach_sync::trusted_devices(pc).unwrap());
    let e = publish::receive(pc, file, accept).unwrap_err();
    assert!(e.to_string().contains(says), "{e}");
    assert_eq!((pc.dump_json().unwrap(), kehoach_sync::trusted_devices(pc).unwrap()), before, "{e}");
    e
}

#[test]
fn garbage_tampering_and_the_wrong_commune_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (huyen, plan) = district(dir.path(), "huyen");
    let (mut xa, commune) = commune_pc(dir.path(), "xa");

    for junk in [&b""[..], b"PK\x03\x04", b"{\"payload\": 5}", b"[1, 2, 3]", &[0xff; 100][..]] {
        refused(&mut xa, junk, true, "không phải kế hoạch cấp trên");
    }

    let good = publish::publish(&huyen, plan, &[commune]).unwrap();
    // A changed word after signing.
    let mut changed = good.clone();
    changed.payload = changed.payload.replace("Rà soát", "Xóa bỏ");
    let e = refused(&mut xa, &bytes(&changed), true, "đã bị sửa sau khi ký");
    assert!(matches!(e, SyncError::Tampered(_)));
    // Addressed to another commune (changing the list breaks the signature; a true one names another).
    let other = publish::publish(&huyen, plan, &[Uuid::now_v7()]).unwrap();
    refused(&mut xa, &bytes(&other), true, "gửi cho xã khác");
    // A signature cut short, a key that is no key.
    let mut cut = good.clone();
    cut.signature.truncate(20);
    refused(&mut xa, &bytes(&cut), true, "không có chữ ký hợp lệ");
    // From a newer kehoach.
    let mut v: serde_json::Value = serde_json::from_str(&good.payload).unwrap();
    v["format"] = 99.into();
    let newer = SignedPublication { payload: v.to_string(), signature: good.signature.clone() };
    refused(&mut xa, &bytes(&newer), true, "phiên bản kehoach mới hơn");

    // The right file is taken, once.
    let r = publish::receive(&mut xa, &bytes(&good), true).unwrap();
    assert!(r.new && r.newly_trusted);
    assert!(!publish::receive(&mut xa, &bytes(&good), false).unwrap().new);
    assert_eq!(upstream::versions(&xa, plan).unwrap(), vec![1]);
}

#[test]
fn only_the_trusted_level_above_may_publish() {
    let dir = tempfile::tempdir().unwrap();
    let (huyen, plan) = district(dir.path(), "huyen");
    let (mut xa, commune) = commune_pc(dir.path(), "xa");
    let first = publish::publish(&huyen, plan, &[commune]).unwrap();

    // First contact: refused until the officer accepts, with the fingerprint to compare.
    let fp = kehoach_sync::fingerprint(&kehoach_sync::Device::load(&huyen).unwrap().unwrap().public_key_hex());
    refused(&mut xa, &bytes(&first), false, &fp);
    publish::receive(&mut xa, &bytes(&first), true).unwrap();
    let t = kehoach_sync::trusted_device(&xa, huyen.device_id()).unwrap().unwrap();
    assert_eq!(t.via, "parent:UBND huyện Ia Pa");

    // Another PC claiming to be the district: a new device must be accepted again…
    let (impostor, iplan) = district(dir.path(), "gia-mao");
    let theirs = publish::publish(&impostor, iplan, &[commune]).unwrap();
    refused(&mut xa, &bytes(&theirs), false, "chưa tin cậy");
    // …and one using the district's device id with its own key is a forgery.
    let mut v: serde_json::Value = serde_json::from_str(&theirs.payload).unwrap();
    v["device"] = huyen.device_id().to_string().into();
    let payload = v.to_string();
    let signature = hex::encode(signing_key(&impostor).sign(payload.as_bytes()).to_bytes());
    let forged = SignedPublication { payload, signature };
    let e = refused(&mut xa, &bytes(&forged), true, "giả mạo");
    assert!(matches!(e, SyncError::Forged { .. }));

    // A PC of the commune itself is trusted, but not as the level above.
    let mut b = Store::open(&dir.path().join("xa-2.sqlite3")).unwrap();
    pair(&mut xa, &mut b);
    let bplan = kehoach_core::create_plan(&mut b, &NewPlan { title: "Kế hoạch của xã".into(), ..Default::default() })
        .unwrap()
        .id;
    kehoach_core::add_task(&mut b, &NewTask { plan_id: bplan, text: "Việc".into(), ..Default::default() }).unwrap();
    b.set_local_setting(kehoach_sync::district::UNIT, "UBND xã").unwrap();
    let own = publish::publish(&b, bplan, &[commune]).unwrap();
    refused(&mut xa, &bytes(&own), true, "phải do máy của cấp trên ký");
}

#[test]
fn versions_only_go_forward_and_changes_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let (mut huyen, plan) = district(dir.path(), "huyen");
    let (mut xa, commune) = commune_pc(dir.path(), "xa");
    let v1 = publish::publish(&huyen, plan, &[commune]).unwrap();
    // The same content again is the same version.
    assert_eq!(upstream::parse(&publish::publish(&huyen, plan, &[commune]).unwrap()).unwrap().version, 1);
    let task = NewTask {
        plan_id: plan,
        text: "Thu nhận hồ sơ cấp căn cước".into(),
        lead: vec!["UBND cấp xã".into()],
        ..Default::default()
    };
    let added = kehoach_core::add_task(&mut huyen, &task).unwrap();
    let v2 = publish::publish(&huyen, plan, &[commune]).unwrap();
    assert_eq!(upstream::parse(&v2).unwrap().version, 2);

    publish::receive(&mut xa, &bytes(&v1), true).unwrap();
    let r = publish::receive(&mut xa, &bytes(&v2), false).unwrap();
    let ch = r.changes.expect("changes from version 1");
    assert_eq!(ch.added.iter().map(|t| t.id).collect::<Vec<_>>(), vec![added.id]);
    assert!(ch.removed.is_empty() && ch.redated.is_empty() && ch.changed.is_empty(), "{ch:?}");
    assert_eq!(upstream::versions(&xa, plan).unwrap(), vec![1, 2]);
    // Version 1 arriving after version 2 (an old USB file carried late) is refused: nothing goes
    // back, and a version held already is taken again without a change.
    let (mut other, other_id) = commune_pc(dir.path(), "xa-khac");
    let v2_other = publish::publish(&huyen, plan, &[other_id]).unwrap();
    let v1_other = {
        let mut v: serde_json::Value = serde_json::from_str(&v2_other.payload).unwrap();
        v["version"] = 1.into();
        let payload = v.to_string();
        let signature = hex::encode(signing_key(&huyen).sign(payload.as_bytes()).to_bytes());
        SignedPublication { payload, signature }
    };
    publish::receive(&mut other, &bytes(&v2_other), true).unwrap();
    refused(&mut other, &bytes(&v1_other), false, "phiên bản cũ hơn");
}
