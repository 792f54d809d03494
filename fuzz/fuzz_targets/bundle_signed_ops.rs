//! A trusted PC turned hostile: a correctly signed bundle whose ops file is anything, each op
//! in it signed with that PC's own key. The receiving PC applies what it can, sets aside what
//! it cannot, refuses the rest whole — and never panics; a refused bundle changes nothing.
#![no_main]

use std::sync::{LazyLock, Mutex};

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

static PAIR: LazyLock<Mutex<common::Pair>> = LazyLock::new(|| Mutex::new(common::pair()));

fuzz_target!(|data: &[u8]| {
    let mut p = PAIR.lock().unwrap();
    let p = &mut *p;
    let ops = common::signed_lines(data, &p.key);
    let bytes = common::with_ops(&p.bundle, &p.key, &ops);
    common::import_checked(&mut p.b, &bytes);
    // Later local edits still work whatever was taken.
    p.b.commit(vec![kehoach_core::Change::new(
        kehoach_core::Kind::Task,
        uuid::Uuid::from_u128(0x200),
        "status",
        "done",
    )])
    .expect("a local edit after an import");
});
