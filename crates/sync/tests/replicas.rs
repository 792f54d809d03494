//! Five PCs of one commune edit at random and swap bundles in random order, some delivered
//! twice, some encrypted, some cut by acknowledgement cursors; after gathering at one PC and
//! scattering back, all five dump to the same bytes.

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::*;
use kehoach_core::{Kind, Store};
use kehoach_sync::{export_bundle, import_bundle, ExportOptions, ImportOptions, SyncError};
use proptest::prelude::*;
use serde_json::{json, Value};

const N: usize = 5;
const ENTITIES: [(u128, Kind); 3] = [(1, Kind::Plan), (2, Kind::Task), (3, Kind::Task)];

fn field_and_value(kind: Kind, f: u8, v: u8) -> (&'static str, Value) {
    match (kind, f % 3) {
        (_, 2) => ("deleted", json!(v.is_multiple_of(2))),
        (Kind::Plan, 0) => ("title", json!(format!("Kế hoạch {v}"))),
        (Kind::Plan, _) => ("number", json!(format!("{v}/KH-UBND"))),
        (_, 0) => ("text", json!(format!("Nhiệm vụ {v}"))),
        _ => ("status", json!(["not_started", "in_progress", "done"][v as usize % 3])),
    }
}

#[derive(Debug, Clone)]
enum Step {
    Edit {
        at: usize,
        entity: usize,
        field: u8,
        value: u8,
    },
    /// Export from one PC; `to` names the recipient device (cursor + encryption) or nobody.
    Send {
        from: usize,
        to: Option<usize>,
    },
    /// Deliver the bundle at this index of the bag (mod its length) to a PC.
    Deliver {
        bundle: usize,
        to: usize,
    },
}

fn arb_step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (0..N, 0..ENTITIES.len(), 0u8..3, 0u8..4).prop_map(|(at, entity, field, value)| Step::Edit { at, entity, field, value }),
        2 => (0..N, proptest::option::of(0..N)).prop_map(|(from, to)| Step::Send { from, to }),
        3 => (0usize..64, 0..N).prop_map(|(bundle, to)| Step::Deliver { bundle, to }),
    ]
}

/// Five PCs enrolled the way officers do it: the first invites the four others (one
/// invitation each), they answer, and its next bundle introduces them to each other. Done once;
/// each case starts from copies of these five data files.
fn template() -> &'static [PathBuf] {
    static T: OnceLock<(tempfile::TempDir, Vec<PathBuf>)> = OnceLock::new();
    &T.get_or_init(|| {
        let dir = scratch();
        let paths: Vec<PathBuf> = (0..N).map(|i| dir.path().join(format!("pc{i}.sqlite3"))).collect();
        let mut pcs: Vec<Store> = paths.iter().map(|p| Store::open(p).unwrap()).collect();
        let (first, rest) = pcs.split_at_mut(1);
        for pc in rest.iter_mut() {
            kehoach_sync::join(pc, &kehoach_sync::create_invitation(&first[0]).unwrap()).unwrap();
            let (b, _) = export_bundle(pc, &ExportOptions::default()).unwrap();
            import_bundle(&mut first[0], &b, &ImportOptions::default()).unwrap();
        }
        let (intro, _) = export_bundle(&first[0], &ExportOptions::default()).unwrap();
        for pc in rest.iter_mut() {
            import_bundle(pc, &intro, &ImportOptions::default()).unwrap();
        }
        (dir, paths)
    })
    .1
}

fn commune(dir: &Path) -> Vec<Store> {
    template()
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let p = dir.join(format!("pc{i}.sqlite3"));
            std::fs::copy(t, &p).unwrap();
            Store::open(&p).unwrap()
        })
        .collect()
}

fn deliver(pcs: &mut [Store], bundle: &[u8], to: usize) {
    match import_bundle(&mut pcs[to], bundle, &ImportOptions::default()) {
        Ok(_) | Err(SyncError::Replayed(_)) | Err(SyncError::OwnBundle) => {}
        // Encrypted to another PC: correctly refused.
        Err(SyncError::NotForThisDevice) => {}
        Err(e) => panic!("import into PC {to} failed: {e}"),
    }
}

/// Scratch space for the five data files of a case: memory-backed where the OS offers it, so
/// closing a database does not wait for the disk.
fn scratch() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        if let Ok(d) = tempfile::tempdir_in(shm) {
            return d;
        }
    }
    tempfile::tempdir().unwrap()
}

fn run(steps: &[Step]) -> Vec<String> {
    let dir = scratch();
    let mut pcs = commune(dir.path());
    let ids: Vec<String> = pcs.iter().map(|p| p.device_id().to_string()).collect();
    let mut bag: Vec<Vec<u8>> = Vec::new();
    for s in steps {
        match *s {
            Step::Edit { at, entity, field, value } => {
                let (id, kind) = ENTITIES[entity];
                let (f, v) = field_and_value(kind, field, value);
                edit(&mut pcs[at], id, kind, f, v);
            }
            Step::Send { from, to } => {
                let to = to.filter(|t| *t != from).map(|t| vec![ids[t].clone()]).unwrap_or_default();
                let (b, _) =
                    export_bundle(&pcs[from], &ExportOptions { to, since: None, ..Default::default() }).unwrap();
                bag.push(b);
            }
            Step::Deliver { bundle, to } => {
                if !bag.is_empty() {
                    let b = bag[bundle % bag.len()].clone();
                    deliver(&mut pcs, &b, to);
                }
            }
        }
    }
    // Gather at the first PC and scatter back, each bundle cut at what its recipient has
    // acknowledged: enough to converge only if those cursors never skip an op.
    // Plain bundles starting at the sender's recorded cursor for the recipient (encryption is
    // exercised above; here it would only cost time).
    let send = |pcs: &mut [Store], from: usize, to: usize| {
        let acked = pcs[from].local_setting(&format!("sync.acked.{}", ids[to])).unwrap();
        let since = Some(acked.map(|a| a.parse::<i64>().unwrap()).unwrap_or(0));
        let opts = ExportOptions { to: vec![], since, ..Default::default() };
        let (b, _) = export_bundle(&pcs[from], &opts).unwrap();
        deliver(pcs, &b, to);
    };
    for i in 1..N {
        send(&mut pcs, i, 0);
    }
    for i in 1..N {
        send(&mut pcs, 0, i);
    }
    pcs.iter().map(|p| p.dump_json().unwrap()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn five_pcs_converge(steps in proptest::collection::vec(arb_step(), 0..10)) {
        let dumps = run(&steps);
        for d in &dumps[1..] {
            prop_assert_eq!(&dumps[0], d);
        }
    }
}
