//! A bundle file from anywhere (a USB stick): any bytes, or a valid bundle of a trusted PC with
//! bytes changed here and there. Refused or taken, never a panic, and a refused file changes
//! nothing.
#![no_main]

use std::sync::{LazyLock, Mutex};

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

static PAIR: LazyLock<Mutex<common::Pair>> = LazyLock::new(|| Mutex::new(common::pair()));

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let mut p = PAIR.lock().unwrap();
    let bytes = if mode % 2 == 0 {
        rest.to_vec()
    } else {
        // (offset, value) pairs over A's valid bundle.
        let mut b = p.bundle.clone();
        for c in rest.chunks_exact(3) {
            let at = u16::from_le_bytes([c[0], c[1]]) as usize % b.len();
            b[at] = c[2];
        }
        b
    };
    let p = &mut *p;
    common::import_checked(&mut p.b, &bytes);
});
