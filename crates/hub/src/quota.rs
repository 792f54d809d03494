//! Per-device quotas (issue 14, point 2): how many ops one push may carry, how many ops and
//! bytes a device may send in a day, how many of its requests may run at once. One broken or
//! stolen device can then fill neither the hub's disk nor its memory nor its time, and the
//! commune's other devices go on syncing.
//!
//! Counted in memory per UTC day: a restart starts the day's counts again, which at worst
//! doubles one day's allowance — the quotas bound a runaway device, not a billing.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use uuid::Uuid;

/// The quotas; `kehoach-hub` takes them as options.
#[derive(Debug, Clone, clap::Args)]
pub struct Quotas {
    /// Most ops in one push (a PC pushes pages of 1,000).
    #[arg(long, default_value_t = 5_000)]
    pub max_push_ops: usize,
    /// Most ops one device may push in a day (a plan of 1,000 tasks makes about 15,000).
    #[arg(long, default_value_t = 500_000)]
    pub daily_ops: u64,
    /// Most bytes (pushes and attachment files) one device may send in a day, in MiB.
    #[arg(long, default_value_t = 2048)]
    pub daily_mib: u64,
    /// Most requests of one device served at once.
    #[arg(long, default_value_t = 4)]
    pub requests_per_device: usize,
}

impl Default for Quotas {
    fn default() -> Self {
        Quotas { max_push_ops: 5_000, daily_ops: 500_000, daily_mib: 2048, requests_per_device: 4 }
    }
}

/// Why a request is refused, in the officer's words: its HTTP status and message.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    pub status: u16,
    pub message: String,
}

#[derive(Default)]
struct Usage {
    day: i64,
    ops: u64,
    bytes: u64,
}

/// The quotas in force and what each device has used.
pub struct Meter {
    quotas: Quotas,
    used: Mutex<HashMap<Uuid, Usage>>,
    running: Mutex<HashMap<Uuid, Arc<Semaphore>>>,
}

fn today() -> i64 {
    chrono::Utc::now().timestamp().div_euclid(86_400)
}

fn too_many(what: String) -> Refusal {
    Refusal { status: 429, message: what }
}

impl Meter {
    pub fn new(quotas: Quotas) -> Meter {
        Meter { quotas, used: Mutex::default(), running: Mutex::default() }
    }

    /// A slot for one request of `device`, held while it runs; refused when the device already
    /// has its quota of requests running.
    pub fn start(&self, device: Uuid) -> Result<OwnedSemaphorePermit, Refusal> {
        let slots = {
            let mut running = self.running.lock().unwrap_or_else(|p| p.into_inner());
            running.entry(device).or_insert_with(|| Arc::new(Semaphore::new(self.quotas.requests_per_device))).clone()
        };
        slots.try_acquire_owned().map_err(|_| {
            too_many(format!(
                "Thiết bị đang gửi quá nhiều yêu cầu cùng lúc (tối đa {}); hãy thử lại sau ít phút",
                self.quotas.requests_per_device
            ))
        })
    }

    /// Whether `bytes` more would still fit in `device`'s day (checked from the declared length
    /// before a body is read; nothing is counted).
    pub fn would_fit(&self, device: Uuid, bytes: u64) -> Result<(), Refusal> {
        let used = self.used.lock().unwrap_or_else(|p| p.into_inner());
        let so_far = used.get(&device).filter(|u| u.day == today()).map_or(0, |u| u.bytes);
        self.check_bytes(so_far.saturating_add(bytes))
    }

    fn check_bytes(&self, total: u64) -> Result<(), Refusal> {
        if total > self.quotas.daily_mib << 20 {
            return Err(too_many(format!(
                "Thiết bị đã gửi quá {} MB trong ngày hôm nay; máy chủ nhận tiếp từ ngày mai (giờ UTC)",
                self.quotas.daily_mib
            )));
        }
        Ok(())
    }

    /// Admits a request of `device` carrying `ops` ops in `bytes` bytes and counts its bytes, or
    /// refuses it (and counts nothing): too many ops for one push, the day's ops used up, or
    /// past the day's bytes. Only the ops new to the hub count against the day
    /// ([`Meter::count_new_ops`]): a PC that has just pulled its commune's history pushes it
    /// back, and the hub takes none of it again.
    pub fn admit(&self, device: Uuid, ops: usize, bytes: u64) -> Result<(), Refusal> {
        if ops > self.quotas.max_push_ops {
            return Err(Refusal {
                status: 413,
                message: format!("Một lần gửi có {ops} thao tác, quá mức {} của máy chủ", self.quotas.max_push_ops),
            });
        }
        let mut used = self.used.lock().unwrap_or_else(|p| p.into_inner());
        let day = today();
        let u = used.entry(device).or_default();
        if u.day != day {
            *u = Usage { day, ..Usage::default() };
        }
        if ops > 0 && u.ops >= self.quotas.daily_ops {
            return Err(too_many(format!(
                "Thiết bị đã gửi quá {} thao tác trong ngày hôm nay; máy chủ nhận tiếp từ ngày mai (giờ UTC)",
                self.quotas.daily_ops
            )));
        }
        let bytes_after = u.bytes.saturating_add(bytes);
        self.check_bytes(bytes_after)?;
        u.bytes = bytes_after;
        Ok(())
    }

    /// Counts `n` ops of `device` the hub stored (a push can take the day past its quota by
    /// at most one push; the next is refused).
    pub fn count_new_ops(&self, device: Uuid, n: u64) {
        let mut used = self.used.lock().unwrap_or_else(|p| p.into_inner());
        let day = today();
        let u = used.entry(device).or_default();
        if u.day != day {
            *u = Usage { day, ..Usage::default() };
        }
        u.ops = u.ops.saturating_add(n);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_device_past_its_quotas_is_refused_and_others_are_not() {
        let m = Meter::new(Quotas { max_push_ops: 10, daily_ops: 25, daily_mib: 1, requests_per_device: 2 });
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        assert_eq!(m.admit(a, 11, 0).unwrap_err().status, 413);
        m.admit(a, 10, 0).unwrap();
        m.count_new_ops(a, 10);
        m.admit(a, 10, 0).unwrap();
        m.count_new_ops(a, 10);
        // Duplicates are not counted: 20 new so far, under 25.
        m.admit(a, 10, 0).unwrap();
        m.count_new_ops(a, 5);
        let e = m.admit(a, 1, 0).unwrap_err();
        assert_eq!(e.status, 429);
        assert!(e.message.contains("25 thao tác"), "{}", e.message);
        m.admit(a, 0, 10).unwrap();
        m.admit(b, 10, 0).unwrap();
        assert_eq!(m.admit(b, 0, 2 << 20).unwrap_err().status, 429);
        assert!(m.would_fit(b, 1 << 20).is_ok());
        assert!(m.would_fit(b, (1 << 20) + 1).is_err());
        let first = m.start(a).unwrap();
        let _second = m.start(a).unwrap();
        assert_eq!(m.start(a).unwrap_err().status, 429);
        let _b = m.start(b).unwrap();
        drop(first);
        let _a = m.start(a).unwrap();
    }
}
