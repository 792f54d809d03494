//! Who wrote what (issue 14, point 4): every op carries its author device's Ed25519 signature
//! over `Op::signing_bytes`, and every PC checks it against the key of the device that claims
//! to have made it before applying it — whichever way the op came (a bundle, the hub, a merged
//! backup, an invitation, a district's copy of a commune). A hub that alters an op, invents a
//! device, or replays a revoked device's later work gets its ops set aside, listed with the
//! reason, and nothing of them applied.
//!
//! Signing is lazy: the core keeps no key, so a PC signs its own unsigned ops just before any
//! of them leaves it ([`sign_own`]: export, invitation, backup, hub push). Ops made before this
//! change are signed the same way by their author the first time it exports after updating;
//! ops of other devices held unsigned from before stay (they were accepted then), and an
//! unsigned op arriving anew is set aside — except in an invitation, whose inviter vouches for
//! the whole history it hands over (see [`Keys::legacy_unsigned`]).

use std::collections::HashMap;

use ed25519_dalek::{Signature, VerifyingKey};
use kehoach_core::{Op, Store};
use uuid::Uuid;

use crate::admission::{self, Admission, Revocation};
use crate::error::Result;
use crate::identity::Device;
use crate::trust;

/// Signs this device's own ops that carry no signature yet; returns how many.
pub(crate) fn sign_own(store: &Store, device: &Device) -> Result<usize> {
    let unsigned = store.unsigned_own_ops()?;
    if unsigned.is_empty() {
        return Ok(0);
    }
    let sigs: Vec<(Uuid, String)> =
        unsigned.iter().map(|op| (op.id, hex::encode(device.sign(&op.signing_bytes())))).collect();
    store.set_own_signatures(&sigs)?;
    Ok(sigs.len())
}

/// One device whose ops this PC can check.
#[derive(Debug, Clone)]
pub(crate) struct Known {
    pub key: VerifyingKey,
    pub public_key: String,
    /// A device of the level above: only its decisions on reports are taken from it.
    pub parent: bool,
    /// Its ops stamped after this (ms since the epoch) are refused: it was revoked then.
    pub revoked_from: Option<u64>,
}

/// The keys this PC checks received ops against: its own, the devices it trusts itself (its
/// inviter, devices its officer accepted, the level above), and every device admitted to the
/// commune by a signed statement it could check; each with its revocation, if any. Admissions
/// and revocations met in a batch are learnt as they pass, so a device admitted earlier in the
/// same bundle or page is known for its own ops after it.
pub(crate) struct Keys {
    known: HashMap<Uuid, Known>,
    commune: Option<Uuid>,
    /// Unsigned ops are taken (an invitation: the inviter hands over its whole history).
    pub legacy_unsigned: bool,

    /// Devices admitted by statements learnt while checking, in order (for the sync report).
    pub learnt: Vec<Admission>,
    /// Which device used each invitation ticket.
    tickets: HashMap<Uuid, Uuid>,
    /// How many of `learnt` the ops set aside were last tried again with.
    retried_after: usize,
}

pub(crate) fn parse_key(hex_key: &str) -> Option<VerifyingKey> {
    let bytes: [u8; 32] = hex::decode(hex_key.trim()).ok()?.try_into().ok()?;
    VerifyingKey::from_bytes(&bytes).ok()
}

pub(crate) fn verify(key: &VerifyingKey, msg: &[u8], sig_hex: &str) -> bool {
    let Some(sig) = hex::decode(sig_hex.trim()).ok().and_then(|b| <[u8; 64]>::try_from(b).ok()) else {
        return false;
    };
    key.verify_strict(msg, &Signature::from_bytes(&sig)).is_ok()
}

impl Keys {
    /// The keys as this PC holds them now.
    pub fn of(store: &Store) -> Result<Keys> {
        let mut keys = Keys {
            known: HashMap::new(),
            commune: crate::identity::commune(store)?,
            legacy_unsigned: false,
            learnt: Vec::new(),
            tickets: HashMap::new(),
            retried_after: 0,
        };
        if let Some(me) = Device::load(store)? {
            keys.insert(me.id, &me.public_key_hex(), false);
        }
        for t in trust::trusted_devices(store)? {
            keys.insert(t.id, &t.public_key, crate::bundle::is_parent(&t));
        }
        for a in admission::admissions(store)? {
            if let Some(t) = &a.ticket {
                keys.tickets.insert(t.invite, a.device);
            }
            if a.device != store.device_id() {
                keys.insert(a.device, &a.public_key, a.is_parent());
            }
        }
        for r in admission::revocations(store)? {
            keys.revoke(&r);
        }
        Ok(keys)
    }

    /// Adds a device this PC trusts from now on (the sender of a bundle it has just accepted).
    pub fn trust(&mut self, id: Uuid, public_key: &str, parent: bool) {
        self.insert(id, public_key, parent);
    }

    fn insert(&mut self, id: Uuid, public_key: &str, parent: bool) {
        let Some(key) = parse_key(public_key) else { return };
        // A device keeps the first key this PC learnt for it.
        self.known.entry(id).or_insert(Known {
            key,
            public_key: public_key.to_lowercase(),
            parent,
            revoked_from: None,
        });
    }

    fn revoke(&mut self, r: &Revocation) {
        if let Some(k) = self.known.get_mut(&r.device) {
            let at = r.at_ms();
            k.revoked_from = Some(k.revoked_from.map_or(at, |f| f.min(at)));
        }
    }

    /// Whether a device other than `device` was admitted with invitation `invite`.
    pub fn ticket_used_by_other(&self, invite: Uuid, device: Uuid) -> bool {
        self.tickets.get(&invite).is_some_and(|d| *d != device)
    }

    pub fn get(&self, id: Uuid) -> Option<&Known> {
        self.known.get(&id)
    }

    pub fn commune(&self) -> Option<Uuid> {
        self.commune
    }

    /// Whether `device` may still sign at `at_ms` (known and not revoked by then).
    pub fn active_at(&self, device: Uuid, at_ms: u64) -> Option<&Known> {
        self.known.get(&device).filter(|k| k.revoked_from.is_none_or(|from| at_ms <= from))
    }

    /// Why `op` is not taken, in the officer's words; `Ok` when its author is a device this PC
    /// knows, not revoked when it made the op, and the signature is that device's over this
    /// very op. A statement it carries (a device admitted or revoked) is checked and learnt; a
    /// new device's own admission (by invitation) is what makes it known for its signature.
    pub fn check(&mut self, op: &Op) -> std::result::Result<(), String> {
        let who = op.device;
        let statement = admission::is_statement(op);
        let mut pending = None;
        if statement && op.field == admission::ADMISSION && op.entity == who && !self.known.contains_key(&who) {
            let a = admission::check_admission(self, op)?;
            self.insert(a.device, &a.public_key, a.is_parent());
            pending = Some(a);
        }
        let Some(k) = self.known.get(&who) else {
            if op.sig.is_none() && self.legacy_unsigned && !statement {
                return Ok(());
            }
            return Err(format!(
                "thao tác do máy {who} tạo, nhưng máy này không có trong danh sách máy của xã (chưa được máy nào \
                 của xã mời hoặc chấp nhận): không nhận"
            ));
        };
        let refused = match &op.sig {
            None if self.legacy_unsigned && !statement => None,
            None => Some(format!("thao tác của máy {who} không có chữ ký của máy đó: không nhận")),
            Some(sig) if !verify(&k.key, &op.signing_bytes(), sig) => Some(format!(
                "chữ ký của thao tác không khớp với khóa của máy {who}: thao tác đã bị sửa trên đường đến máy \
                 này, không nhận"
            )),
            Some(_) => None,
        };
        let refused = refused.or_else(|| {
            k.revoked_from.filter(|from| op.hlc.millis() > *from).map(|from| {
                format!(
                    "máy {who} đã bị thu hồi từ {}; thao tác nó tạo sau thời điểm đó không được nhận",
                    admission::shown_time(from)
                )
            })
        });
        let refused = refused.or_else(|| {
            (k.parent && !crate::district::is_parent_op(op)).then(|| {
                format!(
                    "máy {who} là máy của cấp trên, chỉ được gửi quyết định về báo cáo, nhưng thao tác sửa {} “{}”",
                    op.kind.label_vi(),
                    op.field
                )
            })
        });
        if let Some(why) = refused {
            if pending.is_some() {
                self.known.remove(&who);
            }
            return Err(why);
        }
        match pending {
            Some(a) => self.learnt_admission(a),
            None if statement => self.learn(op)?,
            None => {}
        }
        Ok(())
    }

    /// Learns the statements among `ops` before any op is applied, whatever their order: a
    /// device's admission may come after its first ops (the PC that admitted the level above
    /// wrote its statement after applying the decision it came with). Passes are repeated while
    /// one teaches something; what stays unproven is refused in the applying pass.
    pub fn prelearn<'a>(&mut self, ops: impl IntoIterator<Item = &'a Op>) {
        let mut pending: Vec<&Op> = ops.into_iter().filter(|op| admission::is_statement(op)).collect();
        loop {
            let before = pending.len();
            pending.retain(|op| self.check(op).is_err());
            if pending.is_empty() || pending.len() == before {
                break;
            }
        }
    }

    fn learnt_admission(&mut self, a: Admission) {
        if let Some(t) = &a.ticket {
            self.tickets.insert(t.invite, a.device);
        }
        self.learnt.push(a);
    }

    /// Checks and learns a statement op (an admission or a revocation).
    fn learn(&mut self, op: &Op) -> std::result::Result<(), String> {
        if op.field == admission::REVOKED {
            let r = admission::check_revocation(self, op)?;
            self.revoke(&r);
        } else {
            let a = admission::check_admission(self, op)?;
            let new = !self.known.contains_key(&a.device);
            self.insert(a.device, &a.public_key, a.is_parent());
            if new {
                self.learnt_admission(a);
            }
        }
        Ok(())
    }
}

/// Applies received ops through [`Keys::check`]: each op this PC does not hold yet must prove
/// its author, or it is set aside with the reason.
pub(crate) fn apply_checked(store: &mut Store, ops: &[Op], keys: &mut Keys) -> Result<kehoach_core::Applied> {
    // A PC that never joined a commune (enrolled at a hub by its administrator alone, as the
    // hub's own tests do) has no device list to check against: it takes the hub's word, as
    // before. Every PC founded or joined through kehoach has one.
    if keys.commune().is_none() {
        return Ok(store.apply_ops(ops)?);
    }
    keys.prelearn(ops);
    let mut applied = store.apply_ops_checked(ops, |op| keys.check(op))?;
    applied.applied += retry_refused(store, keys)?;
    Ok(applied)
}

/// Once a batch taught this PC a new device, the ops of that device it set aside before (they
/// came by another path ahead of its admission) are taken now; returns how many. Nothing to do
/// when the batch admitted no one.
pub(crate) fn retry_refused(store: &mut Store, keys: &mut Keys) -> Result<u64> {
    if keys.learnt.len() == keys.retried_after {
        return Ok(0);
    }
    keys.retried_after = keys.learnt.len();
    Ok(kehoach_core::set_aside::retry_refused(store, |op| keys.check(op))?)
}
