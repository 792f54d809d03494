//! Bundles: the ops a recipient may lack, and the attachment files those ops refer to, in a
//! signed container, for a USB stick.

use std::collections::BTreeMap;

use kehoach_core::{Applied, Op, Store};
use serde::Serialize;
use uuid::Uuid;

use crate::attachments;
use crate::authorship::Keys;
use crate::container::{self, file_entry};
use crate::enrolment;
use crate::error::{Result, SyncError};
use crate::identity::{commune, fingerprint, Device};
use crate::manifest::{ContainerKind, Covers, Manifest, Sender, FORMAT, FORMAT_VERSION, OPS_FILE};
use crate::settings;
use crate::trust::{self, TrustedDevice};
/// The contract's types (kehoach-model), which the app shows as they are.
pub use kehoach_model::contract::ExportSummary;

#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    /// Recipients: `age1…` keys or ids of trusted devices. Empty: not encrypted.
    pub to: Vec<String>,
    /// Start after this seq of our log; `None`: after what every named device has
    /// acknowledged, or everything when the recipients are unknown.
    pub since: Option<i64>,
    /// Only the ops this device made (the level above's decisions, out of its copy of a
    /// commune's data).
    pub only_own: bool,
    /// Marks the bundle as the level above's (see `Manifest::parent_unit`).
    pub parent_unit: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The user has explicitly accepted the sending device (shown its fingerprint).
    pub accept_new_device: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub bundle: Uuid,
    pub sender: Uuid,
    pub covers: Covers,
    /// New ops per kind of record, duplicates and conflicts.
    pub applied: Applied,
    /// Devices trusted from now on because of this bundle.
    pub newly_trusted: Vec<Uuid>,
    /// Attachment files newly written to this PC's attachments directory (files already
    /// present are not counted; an in-memory store writes none).
    pub attachments: u64,
    /// Devices admitted to the commune by statements that came with this bundle, one line each
    /// ("Máy mới: …, do … mời ngày …").
    #[serde(default)]
    pub new_devices: Vec<String>,
}

/// Packs the ops the recipients may lack, with the attachment files they refer to, into a
/// signed (and, with recipients, encrypted) bundle. A referenced file this PC lacks is left out
/// and counted, not an error.
pub fn export_bundle(store: &Store, opts: &ExportOptions) -> Result<(Vec<u8>, ExportSummary)> {
    let commune = commune(store)?.ok_or(SyncError::NotEnrolled)?;
    let device = Device::load_or_create(store)?;
    crate::authorship::sign_own(store, &device)?;
    let mut recipients = Vec::new();
    let mut known = Vec::new();
    for spec in &opts.to {
        let spec = spec.trim();
        if let Ok(id) = Uuid::parse_str(spec) {
            let d = crate::admission::known_device(store, id)
                .ok()
                .flatten()
                .ok_or_else(|| SyncError::BadRecipient(spec.into()))?;
            recipients.push(d.age_recipient.parse().map_err(|_| SyncError::BadRecipient(spec.into()))?);
            known.push(id);
        } else {
            recipients.push(spec.parse().map_err(|_| SyncError::BadRecipient(spec.into()))?);
        }
    }
    let from_seq = match opts.since {
        Some(s) => s.max(0),
        None if !known.is_empty() && known.len() == opts.to.len() => {
            let mut min = i64::MAX;
            for id in &known {
                min = min.min(settings::get_i64(store, &settings::acked_key(*id))?);
            }
            min
        }
        None => 0,
    };
    let mut ops = store.ops_since(from_seq)?;
    let to_seq = ops.last().map(|(s, _)| *s).unwrap_or(from_seq);
    if opts.only_own {
        ops.retain(|(_, op)| op.device == store.device_id());
    }
    let mut by_kind = BTreeMap::new();
    let mut jsonl = Vec::new();
    for (_, op) in &ops {
        *by_kind.entry(op.kind.as_str().to_string()).or_insert(0) += 1;
        serde_json::to_writer(&mut jsonl, op).expect("op serialises");
        jsonl.push(b'\n');
    }
    let outgoing = attachments::collect(store, ops.iter().map(|(_, op)| op));
    let (files, payload) = payload(&jsonl, &outgoing);
    let trusted = trust::trusted_devices(store)?;
    let mut acks = BTreeMap::new();
    for d in &trusted {
        acks.insert(d.id, settings::get_i64(store, &settings::received_key(d.id))?);
    }
    let manifest = Manifest {
        format: FORMAT.into(),
        version: FORMAT_VERSION,
        kind: ContainerKind::Bundle,
        id: Uuid::now_v7(),
        created_at: trust::now(),
        commune,
        sender: sender(&device),
        covers: Covers { from_seq, to_seq, ops: ops.len() as u64, by_kind: by_kind.clone() },
        files,
        acks,
        // The level above introduces nobody to the commune.
        devices: if opts.parent_unit.is_some() { Vec::new() } else { trusted },
        enrolment: enrolment::enrolment_proof(store, &device)?,
        invite: None,
        parent_unit: opts.parent_unit.clone(),
    };
    let mut bytes = container::pack(&device, &manifest, &payload)?;
    if !recipients.is_empty() {
        bytes = container::encrypt(&bytes, &recipients)?;
    }
    let summary = ExportSummary {
        bundle: manifest.id,
        commune,
        from_seq,
        to_seq,
        ops: ops.len() as u64,
        by_kind,
        encrypted_to: recipients.len(),
        attachments: outgoing.files.len() as u64,
        attachment_bytes: outgoing.bytes,
        attachments_missing: outgoing.missing,
        attachments_too_large: outgoing.too_large,
    };
    Ok((bytes, summary))
}

/// The manifest entries and the payload of a container: `ops.jsonl`, then the attachments.
pub(crate) fn payload<'a>(
    jsonl: &'a [u8],
    outgoing: &'a attachments::Outgoing,
) -> (Vec<crate::manifest::FileEntry>, Vec<(&'a str, &'a [u8])>) {
    let mut entries = vec![file_entry(OPS_FILE, jsonl)];
    let mut payload = vec![(OPS_FILE, jsonl)];
    for (path, bytes) in &outgoing.files {
        entries.push(file_entry(path, bytes));
        payload.push((path.as_str(), bytes.as_slice()));
    }
    (entries, payload)
}

pub(crate) fn sender(device: &Device) -> Sender {
    Sender { device: device.id, public_key: device.public_key_hex(), age_recipient: device.age_recipient() }
}

/// Ops parsed per message from the reading thread to the writing one.
const PARSE_CHUNK: usize = 2048;

/// Parses `ops.jsonl` and applies its ops in one transaction, all or nothing: the lines are
/// parsed on a second thread while this one writes (parsing is a twentieth of a large import,
/// and the writer never waits for it). A bad line, or a count other than the manifest's
/// `expected`, ends the transaction without keeping anything.
pub(crate) fn apply_ops_file(store: &mut Store, jsonl: &[u8], expected: u64, keys: &mut Keys) -> Result<Applied> {
    let text = std::str::from_utf8(jsonl).map_err(|e| SyncError::Corrupt(format!("{OPS_FILE}: {e}")))?;
    std::thread::scope(|scope| {
        let (send, receive) = std::sync::mpsc::sync_channel::<Result<Vec<Op>>>(8);
        scope.spawn(move || {
            let mut chunk = Vec::with_capacity(PARSE_CHUNK);
            let mut count = 0u64;
            for (i, line) in text.lines().filter(|l| !l.trim().is_empty()).enumerate() {
                match serde_json::from_str(line) {
                    Ok(op) => chunk.push(op),
                    Err(e) => {
                        let _ = send.send(Err(SyncError::Corrupt(format!("{OPS_FILE} dòng {}: {e}", i + 1))));
                        return;
                    }
                }
                count += 1;
                // A send fails only when the writer has stopped on an error of its own.
                if chunk.len() == PARSE_CHUNK && send.send(Ok(std::mem::take(&mut chunk))).is_err() {
                    return;
                }
            }
            let last = if count == expected {
                Ok(chunk)
            } else {
                Err(SyncError::Tampered("số thao tác không khớp với bản kê".into()))
            };
            let _ = send.send(last);
        });
        store.apply_stream_checked(
            receive.into_iter().flat_map(|chunk| match chunk {
                Ok(ops) => ops.into_iter().map(Ok).collect::<Vec<_>>(),
                Err(e) => vec![Err(e)],
            }),
            |op| keys.check(op),
        )
    })
}

/// The statement ops (admissions, revocations) of an `ops.jsonl`, found without parsing the
/// other lines; a line that does not parse is left to the applying pass to refuse.
pub(crate) fn statements_in(jsonl: &[u8]) -> Vec<Op> {
    let text = String::from_utf8_lossy(jsonl);
    text.lines()
        .filter(|l| l.contains("\"admission\"") || l.contains("\"revoked\""))
        .filter_map(|l| serde_json::from_str::<Op>(l).ok())
        .collect()
}

/// How a device of the level above is marked in the trusted list: `parent:<unit>`.
pub(crate) const PARENT_VIA: &str = "parent:";

pub(crate) fn is_parent(d: &TrustedDevice) -> bool {
    d.via.starts_with(PARENT_VIA)
}

/// A bundle of the level above may carry its decisions on reports and nothing else: one other
/// op refuses the whole file.
fn check_parent_ops(jsonl: &[u8]) -> Result<()> {
    let text = std::str::from_utf8(jsonl).map_err(|e| SyncError::Corrupt(format!("{OPS_FILE}: {e}")))?;
    for (i, line) in text.lines().filter(|l| !l.trim().is_empty()).enumerate() {
        let op: Op =
            serde_json::from_str(line).map_err(|e| SyncError::Corrupt(format!("{OPS_FILE} dòng {}: {e}", i + 1)))?;
        if !crate::district::is_parent_op(&op) {
            return Err(SyncError::Tampered(format!(
                "tệp của cấp trên chỉ được mang quyết định về báo cáo, nhưng dòng {} sửa {} {}",
                i + 1,
                op.kind.as_str(),
                op.field
            )));
        }
    }
    Ok(())
}

/// How the sender of a verified bundle is trusted.
enum Trust {
    Known,
    /// The first device of the level above this PC meets, on a bundle that carries only its
    /// decisions: taken on the officer's choice of the file, like the first paper from above.
    Parent,
    /// A new device proving it holds one of our invitations.
    Enrolled {
        invite: Uuid,
    },
    /// A new device the user has accepted.
    Accepted,
}

fn check_sender(store: &Store, m: &Manifest, opts: &ImportOptions) -> Result<Trust> {
    let ours = commune(store)?.ok_or(SyncError::NotEnrolled)?;
    if m.commune != ours {
        return Err(SyncError::OtherCommune { found: m.commune, ours });
    }
    if m.sender.device == store.device_id() {
        return Err(SyncError::OwnBundle);
    }
    if let Some(t) = crate::admission::known_device(store, m.sender.device)? {
        return if t.public_key.eq_ignore_ascii_case(&m.sender.public_key) {
            Ok(Trust::Known)
        } else {
            Err(SyncError::Forged { device: m.sender.device })
        };
    }
    if let Some(invite) = enrolment::check_enrolment(store, m)? {
        return Ok(Trust::Enrolled { invite });
    }
    // A decision bundle of the level above, and no device of the level above known yet.
    if m.parent_unit.is_some() && !trust::trusted_devices(store)?.iter().any(is_parent) {
        return Ok(Trust::Parent);
    }
    if opts.accept_new_device {
        return Ok(Trust::Accepted);
    }
    Err(SyncError::UntrustedDevice { device: m.sender.device, fingerprint: fingerprint(&m.sender.public_key) })
}

/// Verifies a bundle completely — container, signature, hashes, commune, sender, replay,
/// attachment names — and only then writes its attachment files and applies its ops in one
/// transaction. A refused bundle writes nothing, neither to the database nor to the
/// attachments directory.
pub fn import_bundle(store: &mut Store, bytes: &[u8], opts: &ImportOptions) -> Result<ImportReport> {
    let device = Device::load(store)?;
    // Who sent it, and whether it was seen before, is decided on the signed manifest alone:
    // a refused bundle's payload is never inflated.
    let mut how = None;
    let mut opened = container::open_with(bytes, device.as_ref(), |m| {
        if m.kind != ContainerKind::Bundle {
            return Err(SyncError::WrongKind {
                expected: "tệp đồng bộ (đây là tệp lời mời: dùng lệnh join)"
            });
        }
        how = Some(check_sender(store, m, opts)?);
        if store.local_setting(&settings::seen_key(m.id))?.is_some() {
            return Err(SyncError::Replayed(m.id));
        }
        Ok(())
    })?;
    let m = opened.manifest;
    let how = how.expect("checked before the payload was read");
    let from_parent = match &how {
        Trust::Known => crate::admission::known_device(store, m.sender.device)?.is_some_and(|t| is_parent(&t)),
        _ => m.parent_unit.is_some(),
    };
    let rk = settings::received_key(m.sender.device);
    let received = settings::get_i64(store, &rk)?;
    // Everything of the sender's log up to this bundle's end is here already (the cursor only
    // moves over a gapless range, after its ops were applied): the ops need no parsing nor
    // applying — the same data carried again in a new export costs little more than checking
    // the file. Its checks above (signature, hashes, sender, replay) have all been made.
    let held = m.covers.to_seq <= received;
    let ops_file = opened.files.remove(OPS_FILE).unwrap_or_default();
    let incoming = attachments::take_incoming(std::mem::take(&mut opened.files))?;
    // Files first, then the ops: see `attachments::write_incoming` for why a failure between
    // the two is harmless.
    let attachments = attachments::write_incoming(store, &incoming)?;
    if from_parent {
        check_parent_ops(&ops_file)?;
    }
    // Every op must prove its author (issue 14, point 4); a sender trusted from this bundle on
    // is known for its own ops.
    let mut keys = Keys::of(store)?;
    if !matches!(how, Trust::Known) {
        keys.trust(m.sender.device, &m.sender.public_key, m.parent_unit.is_some());
    }
    let applied = if held {
        Applied { duplicates: m.covers.ops, ..Default::default() }
    } else {
        keys.prelearn(&statements_in(&ops_file));
        let mut applied = apply_ops_file(store, &ops_file, m.covers.ops, &mut keys)?;
        applied.applied += crate::authorship::retry_refused(store, &mut keys)?;
        applied
    };

    // Bookkeeping after the data: if it is cut short, re-importing the same file is harmless.
    let mut newly = Vec::new();
    let sender_td = TrustedDevice {
        id: m.sender.device,
        public_key: m.sender.public_key.clone(),
        age_recipient: m.sender.age_recipient.clone(),
        via: String::new(),
        added_at: trust::now(),
    };
    let via_new = |default: &str| match &m.parent_unit {
        Some(unit) => format!("{PARENT_VIA}{unit}"),
        None => default.to_string(),
    };
    match how {
        Trust::Known => {}
        Trust::Parent => {
            newly.extend(trust::add_trusted(store, &[TrustedDevice { via: via_new("accepted"), ..sender_td }])?);
        }
        Trust::Enrolled { invite } => {
            enrolment::mark_used(store, invite, m.sender.device)?;
            newly.extend(trust::add_trusted(store, &[TrustedDevice { via: "enrolment".into(), ..sender_td }])?);
        }
        Trust::Accepted => {
            newly.extend(trust::add_trusted(store, &[TrustedDevice { via: via_new("accepted"), ..sender_td }])?);
        }
    }
    // Nobody is trusted because the sender lists it (issue 14, point 5): the devices this PC
    // now trusts itself are admitted in the data by its own signed statement, and the others
    // only by the statements that came with the ops, checked above.
    if let Some(device) = &device {
        crate::admission::vouch_for_trusted(store, device)?;
    }
    if m.covers.from_seq <= received && m.covers.to_seq > received {
        store.set_local_setting(&rk, &m.covers.to_seq.to_string())?;
    }
    if let Some(acked) = m.acks.get(&store.device_id()) {
        store.set_local_setting(&settings::acked_key(m.sender.device), &acked.to_string())?;
    }
    store.set_local_setting(&settings::seen_key(m.id), &trust::now())?;
    Ok(ImportReport {
        bundle: m.id,
        sender: m.sender.device,
        covers: m.covers,
        applied,
        newly_trusted: newly,
        attachments,
        new_devices: crate::admission::describe(store, &keys.learnt),
    })
}

/// Verifies a bundle's signed manifest and tells who sent it, without inflating its payload or
/// applying anything: what the user is shown before accepting a new device (the import then
/// checks every file against it).
pub fn inspect_bundle(store: &Store, bytes: &[u8]) -> Result<Manifest> {
    let device = Device::load(store)?;
    container::manifest_of(bytes, device.as_ref())
}

#[cfg(test)]
mod tests {
    use kehoach_core::{Change, Kind, Store};
    use uuid::Uuid;

    use super::*;
    use kehoach_core::record as field;

    /// Keys that take unsigned ops (these tests are about the file, not authorship).
    fn legacy(store: &Store) -> Keys {
        let mut k = Keys::of(store).unwrap();
        k.legacy_unsigned = true;
        k
    }

    /// `ops.jsonl` of `n` ops made on another PC.
    fn jsonl(n: usize) -> (Vec<u8>, u64) {
        let mut a = Store::open_in_memory().unwrap();
        let changes: Vec<Change> = (0..n)
            .map(|i| Change::new(Kind::Plan, Uuid::now_v7(), field::plan::TITLE, format!("Kế hoạch {i}")))
            .collect();
        a.commit(changes).unwrap();
        let mut out = Vec::new();
        for (_, op) in a.ops_since(0).unwrap() {
            out.extend(serde_json::to_vec(&op).unwrap());
            out.push(b'\n');
        }
        (out, n as u64)
    }

    /// Parsing runs beside the writes, so a bad line or a wrong count is found after some ops
    /// were written inside the transaction: all of them must go with it.
    #[test]
    fn a_bad_line_or_count_late_in_the_file_keeps_nothing() {
        let (good, n) = jsonl(PARSE_CHUNK * 2 + 10);
        let mut b = Store::open_in_memory().unwrap();
        let before = b.dump_json().unwrap();
        let mut keys = legacy(&b);

        let mut bad = good.clone();
        bad.extend(b"{\"not\": \"an op\"}\n");
        let e = apply_ops_file(&mut b, &bad, n + 1, &mut keys).unwrap_err();
        assert!(matches!(&e, SyncError::Corrupt(m) if m.contains(&format!("dòng {}", n + 1))), "{e}");
        assert_eq!((b.op_count().unwrap(), b.dump_json().unwrap()), (0, before.clone()));

        let e = apply_ops_file(&mut b, &good, n - 1, &mut keys).unwrap_err();
        assert!(matches!(e, SyncError::Tampered(_)), "{e}");
        assert_eq!((b.op_count().unwrap(), b.dump_json().unwrap()), (0, before));

        let applied = apply_ops_file(&mut b, &good, n, &mut keys).unwrap();
        assert_eq!((applied.applied, b.op_count().unwrap()), (n, n as i64));
    }
}
