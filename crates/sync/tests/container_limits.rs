//! Issue 14, point 9: a container is judged on its signed manifest before its payload is
//! inflated. A small zip that inflates to hundreds of megabytes — from an untrusted sender, or
//! under a manifest that declares a small file — costs little memory and is refused, and a
//! refused bundle leaves no attachment file behind.
//!
//! The peak of the heap is measured with a counting allocator in this test binary.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::*;
use kehoach_core::{Kind, Store};
use kehoach_sync::{export_bundle, import_bundle, ExportOptions, ImportOptions, SyncError};
use serde_json::json;

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::SeqCst) + layout.size();
            PEAK.fetch_max(now, Ordering::SeqCst);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::SeqCst);
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// Zeros that inflate to `mb` megabytes, deflated into a few hundred kilobytes.
const BOMB_MB: usize = 200;

/// `bundle` with its `ops.jsonl` replaced by a bomb, the manifest (re-signed with `key`) still
/// declaring the original small file.
fn with_bomb(bundle: &[u8], key: &ed25519_dalek::SigningKey) -> Vec<u8> {
    let files = unzip(bundle);
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, body) in &files {
        z.start_file(name.as_str(), opts).unwrap();
        if name == "ops.jsonl" {
            let zeros = vec![0u8; 1 << 20];
            for _ in 0..BOMB_MB {
                z.write_all(&zeros).unwrap();
            }
        } else {
            z.write_all(body).unwrap();
        }
    }
    let repacked = z.finish().unwrap().into_inner();
    resign(&repacked, key, |_| {})
}

fn peak_during<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let base = LIVE.load(Ordering::SeqCst);
    PEAK.store(base, Ordering::SeqCst);
    let out = f();
    (out, PEAK.load(Ordering::SeqCst).saturating_sub(base))
}

#[test]
fn a_zip_bomb_is_refused_before_it_is_inflated() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = Store::open(&dir.path().join("a.sqlite3")).unwrap();
    some_data(&mut a, "A");
    let mut b = Store::open_in_memory().unwrap();
    pair(&mut a, &mut b);
    edit(&mut b, 0x300, Kind::Task, "text", json!("Cấp căn cước lưu động"));
    let (bundle, _) = export_bundle(&b, &ExportOptions::default()).unwrap();
    let bomb = with_bomb(&bundle, &signing_key(&b));
    assert!(bomb.len() < 4 << 20, "the bomb is small on disk: {} bytes", bomb.len());

    // From the trusted PC's key, the manifest declaring the small file: refused as tampered
    // after reading one byte past what the manifest declared.
    let before = a.dump_json().unwrap();
    let (r, peak) = peak_during(|| import_bundle(&mut a, &bomb, &ImportOptions::default()));
    assert!(matches!(r, Err(SyncError::Tampered(_))), "{r:?}");
    assert!(peak < 64 << 20, "peak heap {} MB while refusing a {BOMB_MB} MB bomb", peak >> 20);
    assert_eq!(a.dump_json().unwrap(), before);

    // From a sender nobody trusts: refused on its manifest, nothing inflated.
    let stranger = Store::open_in_memory().unwrap();
    kehoach_sync::found_commune(&stranger).unwrap();
    let (theirs, _) = export_bundle(&stranger, &ExportOptions::default()).unwrap();
    let bomb = with_bomb(&theirs, &signing_key(&stranger));
    let (r, peak) = peak_during(|| import_bundle(&mut a, &bomb, &ImportOptions::default()));
    assert!(matches!(r, Err(SyncError::OtherCommune { .. } | SyncError::UntrustedDevice { .. })), "{r:?}");
    assert!(peak < 64 << 20, "peak heap {} MB", peak >> 20);
    assert!(
        !dir.path().join("attachments").exists()
            || std::fs::read_dir(dir.path().join("attachments")).unwrap().count() == 0
    );
}

#[test]
fn a_manifest_declaring_more_than_the_limit_is_refused_unread() {
    let mut a = Store::open_in_memory().unwrap();
    some_data(&mut a, "A");
    let mut b = Store::open_in_memory().unwrap();
    pair(&mut a, &mut b);
    edit(&mut b, 0x300, Kind::Task, "text", json!("Cấp căn cước lưu động"));
    let (bundle, _) = export_bundle(&b, &ExportOptions::default()).unwrap();
    let huge = resign(&bundle, &signing_key(&b), |m| m["files"][0]["size"] = json!(3u64 << 30));
    let e = import_bundle(&mut a, &huge, &ImportOptions::default()).unwrap_err();
    assert!(e.to_string().contains("quá lớn"), "{e}");
}
