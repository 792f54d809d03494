//! Issue 14, point 4: the PC does not take the hub's word for who wrote what. A hub (or anyone
//! on an http:// path) that alters an op, invents a device, or passes on a device renaming
//! another PC's officer gets those ops set aside with the reason; the PC's data stays as it was,
//! and a faithful op beside them is applied.

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;

use common::*;
use ed25519_dalek::{Signer, SigningKey};
use kehoach_core::{pc_users, Hlc, Kind, Op, Store};
use kehoach_model::PcUser;
use kehoach_sync::{district, export_bundle, ExportOptions, HubClient};
use serde_json::json;
use uuid::Uuid;

/// A hub on a loopback port that answers every pull with `ops`, once each connection.
fn fake_hub(ops: Vec<Op>) -> String {
    serve(json!({ "ops": ops, "cursor": ops.len(), "more": false }))
}

/// A hub on a loopback port that answers every request with `answer`.
fn serve(answer: serde_json::Value) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let body = serde_json::to_vec(&answer).unwrap();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { continue };
            let mut req = Vec::new();
            let mut buf = [0u8; 4096];
            while !req.windows(4).any(|w| w == b"\r\n\r\n") {
                match conn.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => req.extend_from_slice(&buf[..n]),
                }
            }
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = conn.write_all(head.as_bytes());
            let _ = conn.write_all(&body);
        }
    });
    url
}

/// The newest op `store` made, signed by it (as anything that leaves a PC is).
fn newest_signed_op(store: &Store) -> Op {
    export_bundle(store, &ExportOptions::default()).unwrap();
    store.ops_since(0).unwrap().into_iter().map(|(_, o)| o).next_back().unwrap()
}

fn named(store: &mut Store, name: &str) {
    pc_users::set_pc_user(store, &PcUser { name: name.into(), unit: None }).unwrap();
}

#[test]
fn a_fake_hub_cannot_alter_ops_invent_devices_or_rename_officers() {
    let mut a = Store::open_in_memory().unwrap();
    let mut b = Store::open_in_memory().unwrap();
    some_data(&mut a, "A");
    named(&mut a, "Lê Văn Tám");
    pair(&mut a, &mut b);
    // b's real, signed edit (signed as b exports).
    edit(&mut b, 0x200, Kind::Task, "status", json!("done"));
    let faithful = newest_signed_op(&b);
    assert!(faithful.sig.is_some());

    // 1. The same op with its value changed on the way.
    let altered = Op { id: Uuid::now_v7(), value: json!("cancelled"), ..faithful.clone() };
    let altered = Op { sig: faithful.sig.clone(), ..altered };
    // 2. A device nobody admitted, signing its own op.
    let stranger = SigningKey::from_bytes(&[7u8; 32]);
    let mut invented = Op {
        id: Uuid::now_v7(),
        entity: Uuid::from_u128(0x100),
        kind: Kind::Plan,
        field: "title".into(),
        value: json!("Kế hoạch giả"),
        hlc: Hlc::from_millis(chrono::Utc::now().timestamp_millis() as u64),
        device: Uuid::now_v7(),
        prev: Hlc::default(),
        sig: None,
    };
    invented.sig = Some(hex::encode(stranger.sign(&invented.signing_bytes()).to_bytes()));
    // 3. b (a real device, its real signature) renaming a's officer.
    let mut rename = Op {
        id: Uuid::now_v7(),
        entity: a.device_id(),
        kind: Kind::User,
        field: "name".into(),
        value: json!("Kẻ Giả Mạo"),
        hlc: Hlc::from_millis(chrono::Utc::now().timestamp_millis() as u64),
        device: b.device_id(),
        prev: Hlc::default(),
        sig: None,
    };
    rename.sig = Some(sign_as(&b, &rename));

    let before = data(&a);
    let hub = fake_hub(vec![altered, invented, rename]);
    let pulled = HubClient::new(&hub).pull(&mut a).unwrap();
    assert_eq!((pulled.applied, pulled.set_aside), (0, 3), "{pulled:?}");
    assert_eq!(data(&a), before, "nothing of the three is kept");
    assert_eq!(pc_users::this_pc_user(&a).unwrap().unwrap().name, "Lê Văn Tám");
    let reasons: Vec<String> = kehoach_core::set_aside::list(&a).unwrap().into_iter().map(|s| s.reason).collect();
    assert!(reasons.iter().any(|r| r.contains("chữ ký của thao tác không khớp")), "{reasons:?}");
    assert!(reasons.iter().any(|r| r.contains("không có trong danh sách máy của xã")), "{reasons:?}");
    assert!(reasons.iter().any(|r| r.contains("chỉ được ghi người dùng của chính mình")), "{reasons:?}");

    // The faithful op from the same hub is taken.
    let hub = fake_hub(vec![faithful]);
    let mut a2 = a;
    let client = HubClient::new(&hub);
    // A new hub address: its own cursor, from the start.
    assert_eq!(client.pull(&mut a2).unwrap().applied, 1);
}

#[test]
fn a_revoked_devices_later_ops_are_refused_and_the_revocation_travels() {
    let mut a = Store::open_in_memory().unwrap();
    let mut b = Store::open_in_memory().unwrap();
    let mut c = Store::open_in_memory().unwrap();
    some_data(&mut a, "A");
    pair(&mut a, &mut b);
    pair(&mut a, &mut c);
    // a revokes c (a lost PC); b learns it from a's bundle.
    kehoach_sync::revoke_device(&mut a, c.device_id()).unwrap();
    let (from_a, _) = export_bundle(&a, &ExportOptions::default()).unwrap();
    kehoach_sync::import_bundle(&mut b, &from_a, &Default::default()).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    // c keeps working after its revocation; its ops reach b through the hub: refused.
    edit(&mut c, 0x200, Kind::Task, "text", json!("Sửa sau khi bị thu hồi"));
    let late = newest_signed_op(&c);
    let before = data(&b);
    let pulled = HubClient::new(&fake_hub(vec![late])).pull(&mut b).unwrap();
    assert_eq!((pulled.applied, pulled.set_aside), (0, 1), "{pulled:?}");
    assert_eq!(data(&b), before);
    let reasons: Vec<String> = kehoach_core::set_aside::list(&b).unwrap().into_iter().map(|s| s.reason).collect();
    assert!(reasons[0].contains("đã bị thu hồi"), "{reasons:?}");
    // And its bundles are refused whole.
    let (from_c, _) = export_bundle(&c, &ExportOptions::default()).unwrap();
    let e = kehoach_sync::import_bundle(&mut b, &from_c, &Default::default()).unwrap_err();
    assert!(e.to_string().contains("đã bị thu hồi"), "{e}");
}

/// The district's copy of a commune, fed by the hub, is held to the same rule as the commune's
/// own PCs: at the first pull it pins the devices the hub lists as the commune's and takes the
/// history handed over; later, an op altered on the way, or signed by a device the hub starts
/// listing without any device of the commune admitting it, is set aside and never reaches the
/// roll-up, while a faithful op beside them is taken.
#[test]
fn a_districts_copy_of_a_commune_checks_who_wrote_what_the_hub_hands_it() {
    let mut a = Store::open_in_memory().unwrap();
    let mut b = Store::open_in_memory().unwrap();
    some_data(&mut a, "A");
    pair(&mut a, &mut b);
    edit(&mut b, 0x200, Kind::Task, "status", json!("done"));
    export_bundle(&b, &ExportOptions::default()).unwrap();
    let commune = kehoach_sync::commune(&a).unwrap().unwrap();
    let device = |s: &Store| json!({ "id": s.device_id(), "public_key": kehoach_sync::Device::load(s).unwrap().unwrap().public_key_hex() });

    let dir = tempfile::tempdir().unwrap();
    let district_pc = Store::open(&dir.path().join("huyen.sqlite3")).unwrap();
    // b holds the whole history (a's, handed over when it joined, and its own); the hub lists
    // only a, the commune's first PC: b is admitted by a's invitation, in the data.
    let history: Vec<Op> = b.ops_since(0).unwrap().into_iter().map(|(_, o)| o).collect();
    let hub = serve(json!({ "ops": history, "cursor": history.len(), "more": false, "devices": [device(&a)] }));
    let pulled = district::sync_from_hub(&district_pc, &HubClient::new(&hub), &[commune]).unwrap();
    assert_eq!((pulled.applied as usize, pulled.set_aside), (history.len(), 0), "{pulled:?}");
    let copy = district::open_copy(&district_pc, commune).unwrap();
    assert_eq!(data(&copy), data(&b));

    // Later pulls: b's op with its value changed on the way, a stranger the hub now lists as
    // the commune's, signing its own op, and a's faithful new op.
    let faithful_b = newest_signed_op(&b);
    let altered = Op { id: Uuid::now_v7(), value: json!("cancelled"), ..faithful_b };
    let stranger = SigningKey::from_bytes(&[9u8; 32]);
    let stranger_id = Uuid::now_v7();
    let mut invented = Op {
        id: Uuid::now_v7(),
        entity: Uuid::from_u128(0x100),
        kind: Kind::Plan,
        field: "title".into(),
        value: json!("Kế hoạch giả"),
        hlc: Hlc::from_millis(chrono::Utc::now().timestamp_millis() as u64),
        device: stranger_id,
        prev: Hlc::default(),
        sig: None,
    };
    invented.sig = Some(hex::encode(stranger.sign(&invented.signing_bytes()).to_bytes()));
    edit(&mut a, 0x300, Kind::Task, "text", json!("Cấp căn cước lưu động"));
    let faithful_a = newest_signed_op(&a);
    let later = vec![altered, invented, faithful_a];
    let devices =
        json!([device(&a), { "id": stranger_id, "public_key": hex::encode(stranger.verifying_key().to_bytes()) }]);
    let hub = serve(json!({ "ops": later, "cursor": history.len() + 3, "more": false, "devices": devices }));
    drop(copy);
    let pulled = district::sync_from_hub(&district_pc, &HubClient::new(&hub), &[commune]).unwrap();
    assert_eq!((pulled.applied, pulled.set_aside), (1, 2), "{pulled:?}");
    let copy = district::open_copy(&district_pc, commune).unwrap();
    let mut reasons: Vec<String> =
        kehoach_core::set_aside::list(&copy).unwrap().into_iter().map(|s| s.reason).collect();
    reasons.sort();
    assert!(reasons[0].contains("chữ ký của thao tác không khớp"), "{reasons:?}");
    assert!(reasons[1].contains("không có trong danh sách máy của xã"), "{reasons:?}");
    let copied = data(&copy);
    assert_eq!(
        copied["entities"][Uuid::from_u128(0x300).to_string()]["fields"]["text"],
        json!("Cấp căn cước lưu động"),
        "{copied}"
    );
    assert_eq!(copied["entities"][Uuid::from_u128(0x200).to_string()]["fields"]["status"], json!("done"));
    assert_eq!(
        copied["entities"][Uuid::from_u128(0x100).to_string()]["fields"]["title"],
        json!("Kế hoạch Đề án 06 — A")
    );
}

/// A device's op that reaches a PC ahead of that device's admission (through the hub, before
/// the PC that invited it has sent anything here) is set aside, and taken as soon as the
/// admission arrives by another path; an op a check refused is never applied by the retry that
/// follows an upgrade, which cannot check it.
#[test]
fn an_op_that_came_before_its_devices_admission_is_taken_once_it_comes() {
    let mut a = Store::open_in_memory().unwrap();
    let mut b = Store::open_in_memory().unwrap();
    let mut c = Store::open_in_memory().unwrap();
    some_data(&mut a, "A");
    pair(&mut a, &mut b);
    // b invites c; a has not heard of c.
    pair(&mut b, &mut c);
    edit(&mut c, 0x200, Kind::Task, "text", json!("Việc do máy c ghi"));
    let early = newest_signed_op(&c);
    let pulled = HubClient::new(&fake_hub(vec![early])).pull(&mut a).unwrap();
    assert_eq!((pulled.applied, pulled.set_aside), (0, 1), "{pulled:?}");
    let text = |s: &Store| kehoach_core::queries::task(s, Uuid::from_u128(0x200)).unwrap().text;
    assert_eq!(text(&a), "Rà soát dữ liệu dân cư A");

    // b's bundle brings c's admission (signed with the ticket b gave it): c's op is taken.
    let (from_b, _) = export_bundle(&b, &ExportOptions { since: Some(0), ..Default::default() }).unwrap();
    kehoach_sync::import_bundle(&mut a, &from_b, &Default::default()).unwrap();
    assert_eq!(text(&a), "Việc do máy c ghi");
    assert_eq!(kehoach_core::set_aside::count(&a).unwrap(), 0);
}
