//! The programme's five utility groups plus cross-cutting work, and the keyword table that
//! files a task under one of them from its section and text. A person can override the
//! result per task (the task's `group` field).
//!
//! # The keyword table
//!
//! Keywords are matched as whole words, punctuation ignored, on folded text (lower case, no
//! diacritics, "đ" → "d"), so they are
//! written folded. A task scores 3 per keyword found in its section (plans group their tasks
//! by section, "1. Nhóm tiện ích phục vụ giải quyết TTHC…") and 1 per keyword found in its
//! text; the highest score wins, ties go to the earlier group in the table, and a task with no
//! keyword at all is cross-cutting (`chung`).
//!
//! | key | group | keywords (folded) |
//! |---|---|---|
//! | `dich_vu_cong` | 1. Giải quyết TTHC, cung cấp DVC trực tuyến | thu tuc hanh chinh, tthc, dich vu cong, dvc, mot cua, truc tuyen, ho so, khai sinh, khai tu, ket hon, ho tich, thuong tru, tam tru, luu tru, tam vang, ly lich tu phap, giay phep lai xe, dang ky xe, ho chieu, nop phi, le phi |
//! | `kinh_te_xa_hoi` | 2. Phát triển kinh tế – xã hội | kinh te, an sinh, bao hiem, y te, kham chua benh, giao duc, truong hoc, tro cap, chi tra, khong dung tien mat, thanh toan, ngan hang, nong nghiep, lao dong, viec lam, doanh nghiep |
//! | `cong_dan_so` | 3. Phát triển công dân số | cong dan so, vneid, dinh danh dien tu, tai khoan dinh danh, can cuoc, cccd, gan chip, ky so, chu ky so, thiet bi doc |
//! | `du_lieu_dan_cu` | 4. Hoàn thiện hệ sinh thái, làm giàu dữ liệu dân cư | du lieu dan cu, co so du lieu, csdl, lam giau, lam sach, dung, du, sach, song, thu thap, cap nhat du lieu, so hoa, ket noi, chia se, he sinh thai, dong bo du lieu |
//! | `chi_dao_dieu_hanh` | 5. Phục vụ chỉ đạo, điều hành | chi dao, dieu hanh, phuc vu lanh dao, trung tam dieu hanh, ioc, giam sat, phan tich du lieu |
//! | `chung` | Nhiệm vụ chung (tham mưu, tuyên truyền, pháp luật, an ninh, hạ tầng, kinh phí) | tuyen truyen, tham muu, to cong tac, quy che, kiem tra, so ket, tong ket, bao cao, phap luat, van ban, an ninh, an toan thong tin, bao mat, ha tang, trang thiet bi, duong truyen, kinh phi, ngan sach |

use kehoach_model::GroupProgress;
use serde_json::Value;
use uuid::Uuid;

use super::live_task;
use crate::error::{CoreError, Result};
use crate::fold::fold;
use crate::op::{Change, Kind};
use crate::record as field;
use crate::store::Store;

/// One row of the keyword table.
pub struct Group {
    pub key: &'static str,
    pub label: &'static str,
    pub keywords: &'static [&'static str],
}

/// The keyword table (documented in this module's header; keep the two in step).
pub const GROUPS: &[Group] = &[
    Group {
        key: "dich_vu_cong",
        label: "Giải quyết thủ tục hành chính, cung cấp dịch vụ công trực tuyến",
        keywords: &[
            "thu tuc hanh chinh",
            "tthc",
            "dich vu cong",
            "dvc",
            "mot cua",
            "truc tuyen",
            "ho so",
            "khai sinh",
            "khai tu",
            "ket hon",
            "ho tich",
            "thuong tru",
            "tam tru",
            "luu tru",
            "tam vang",
            "ly lich tu phap",
            "giay phep lai xe",
            "dang ky xe",
            "ho chieu",
            "nop phi",
            "le phi",
        ],
    },
    Group {
        key: "kinh_te_xa_hoi",
        label: "Phát triển kinh tế – xã hội",
        keywords: &[
            "kinh te",
            "an sinh",
            "bao hiem",
            "y te",
            "kham chua benh",
            "giao duc",
            "truong hoc",
            "tro cap",
            "chi tra",
            "khong dung tien mat",
            "thanh toan",
            "ngan hang",
            "nong nghiep",
            "lao dong",
            "viec lam",
            "doanh nghiep",
        ],
    },
    Group {
        key: "cong_dan_so",
        label: "Phát triển công dân số",
        keywords: &[
            "cong dan so",
            "vneid",
            "dinh danh dien tu",
            "tai khoan dinh danh",
            "can cuoc",
            "cccd",
            "gan chip",
            "ky so",
            "chu ky so",
            "thiet bi doc",
        ],
    },
    Group {
        key: "du_lieu_dan_cu",
        label: "Hoàn thiện hệ sinh thái, làm giàu dữ liệu dân cư",
        keywords: &[
            "du lieu dan cu",
            "co so du lieu",
            "csdl",
            "lam giau",
            "lam sach",
            "dung, du, sach, song",
            "thu thap",
            "cap nhat du lieu",
            "so hoa",
            "ket noi",
            "chia se",
            "he sinh thai",
            "dong bo du lieu",
        ],
    },
    Group {
        key: "chi_dao_dieu_hanh",
        label: "Phục vụ chỉ đạo, điều hành",
        keywords: &[
            "chi dao",
            "dieu hanh",
            "phuc vu lanh dao",
            "trung tam dieu hanh",
            "ioc",
            "giam sat",
            "phan tich du lieu",
        ],
    },
    Group {
        key: "chung",
        label: "Nhiệm vụ chung (tham mưu, tuyên truyền, pháp luật, an ninh, hạ tầng, kinh phí)",
        keywords: &[
            "tuyen truyen",
            "tham muu",
            "to cong tac",
            "quy che",
            "kiem tra",
            "so ket",
            "tong ket",
            "bao cao",
            "phap luat",
            "van ban",
            "an ninh",
            "an toan thong tin",
            "bao mat",
            "ha tang",
            "trang thiet bi",
            "duong truyen",
            "kinh phi",
            "ngan sach",
        ],
    },
];

/// The key of cross-cutting work, where unclassified tasks go.
pub const CROSS_CUTTING: &str = "chung";

pub fn group(key: &str) -> Option<&'static Group> {
    GROUPS.iter().find(|g| g.key == key)
}

#[cfg(test)]
/// Whether `kw` occurs in `hay` on word boundaries ("ioc" must not match "bioc…").
fn has_word(hay: &str, kw: &str) -> bool {
    let b = hay.as_bytes();
    let mut from = 0;
    while let Some(i) = hay[from..].find(kw) {
        let s = from + i;
        let e = s + kw.len();
        let before = s == 0 || !b[s - 1].is_ascii_alphanumeric();
        let after = e == b.len() || !b[e].is_ascii_alphanumeric();
        if before && after {
            return true;
        }
        from = s + 1;
        while !hay.is_char_boundary(from) {
            from += 1;
        }
    }
    false
}

/// The keywords as word sequences, indexed by their first word: matching a text is then one
/// hash look-up per word instead of a substring search per keyword.
struct Index {
    by_first: std::collections::HashMap<&'static str, Vec<(usize, usize, Vec<&'static str>)>>,
}

fn index() -> &'static Index {
    static IDX: std::sync::OnceLock<Index> = std::sync::OnceLock::new();
    IDX.get_or_init(|| {
        let mut by_first: std::collections::HashMap<&'static str, Vec<_>> = Default::default();
        let mut n = 0;
        for (g, grp) in GROUPS.iter().enumerate() {
            for kw in grp.keywords {
                let words: Vec<&'static str> =
                    kw.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
                by_first.entry(words[0]).or_default().push((g, n, words));
                n += 1;
            }
        }
        assert!(n <= 128, "the keyword table outgrew the u128 bitset");
        Index { by_first }
    })
}

/// Keyword hits per group in already folded text (each keyword counted once), times `weight`.
fn scores(folded: &str, weight: u32) -> [u32; GROUP_COUNT] {
    let mut out = [0; GROUP_COUNT];
    let words: Vec<&str> = folded.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let idx = index();
    let mut seen = 0u128;
    for i in 0..words.len() {
        let Some(cands) = idx.by_first.get(words[i]) else { continue };
        for (g, n, kw) in cands {
            if seen & (1 << n) == 0 && words.len() - i >= kw.len() && words[i..i + kw.len()] == kw[..] {
                seen |= 1 << n;
                out[*g] += weight;
            }
        }
    }
    out
}

fn best(score: [u32; GROUP_COUNT]) -> &'static str {
    let mut best = (0u32, CROSS_CUTTING);
    for (g, s) in GROUPS.iter().zip(score) {
        if s > best.0 {
            best = (s, g.key);
        }
    }
    best.1
}

const GROUP_COUNT: usize = 6;
const SECTION_WEIGHT: u32 = 3;

/// Files a task under a group from its section and text (see the table above).
pub fn classify(section: Option<&str>, text: &str) -> &'static str {
    let sec = scores(&section.map(fold).unwrap_or_default(), SECTION_WEIGHT);
    let txt = scores(&fold(text), 1);
    best(std::array::from_fn(|i| sec[i] + txt[i]))
}

/// The group a task is filed under: its override, else the keyword table.
pub fn task_group(override_key: Option<&str>, section: Option<&str>, text: &str) -> &'static str {
    override_key.and_then(group).map(|g| g.key).unwrap_or_else(|| classify(section, text))
}

/// `classify` for many tasks at once (the dashboard): a plan has a handful of sections, so
/// their scores are computed once; text is folded with a per-character memo, since full
/// Unicode decomposition of every character dominated the dashboard's time.
#[derive(Default)]
pub struct Classifier {
    sections: std::collections::HashMap<String, [u32; GROUP_COUNT]>,
    chars: std::collections::HashMap<char, Option<char>>,
    buf: String,
}

impl Classifier {
    pub fn task_group(&mut self, override_key: Option<&str>, section: Option<&str>, text: &str) -> &'static str {
        if let Some(g) = override_key.and_then(group) {
            return g.key;
        }
        let sec = match section {
            None => [0; GROUP_COUNT],
            Some(s) => *self.sections.entry(s.to_string()).or_insert_with(|| scores(&fold(s), SECTION_WEIGHT)),
        };
        self.buf.clear();
        for c in text.chars() {
            if c.is_ascii() {
                self.buf.push(c.to_ascii_lowercase());
            } else {
                let f = *self.chars.entry(c).or_insert_with(|| {
                    let mut b = [0u8; 4];
                    fold(c.encode_utf8(&mut b)).chars().next()
                });
                if let Some(f) = f {
                    self.buf.push(f);
                }
            }
        }
        let txt = scores(&self.buf, 1);
        best(std::array::from_fn(|i| sec[i] + txt[i]))
    }
}

/// Sets (or with `None` clears) the group a person chose for a task.
pub fn set_task_group(store: &mut Store, task_id: Uuid, key: Option<&str>) -> Result<()> {
    live_task(store, task_id)?;
    let value = match key.map(str::trim).filter(|k| !k.is_empty()) {
        None => Value::Null,
        Some(k) => match group(k) {
            Some(g) => Value::from(g.key),
            None => {
                let keys: Vec<&str> = GROUPS.iter().map(|g| g.key).collect();
                return Err(CoreError::invalid(format!("nhóm không hợp lệ: \"{k}\" (dùng {})", keys.join(", "))));
            }
        },
    };
    store.commit(vec![Change::new(Kind::Task, task_id, field::task::GROUP, value)])?;
    Ok(())
}

/// An empty progress row per group, in table order.
pub(crate) fn empty_progress() -> Vec<GroupProgress> {
    GROUPS.iter().map(|g| GroupProgress { key: g.key.into(), label: g.label.into(), ..Default::default() }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_by_section_first() {
        assert_eq!(
            classify(Some("1. Nhóm tiện ích phục vụ giải quyết TTHC và cung cấp DVC trực tuyến"), "Rà soát"),
            "dich_vu_cong"
        );
        assert_eq!(classify(None, "Tuyên truyền về tài khoản định danh điện tử VNeID"), "cong_dan_so");
        assert_eq!(classify(None, "Làm sạch dữ liệu dân cư"), "du_lieu_dan_cu");
        assert_eq!(classify(None, "Việc không rõ"), "chung");
        assert!(!has_word("bioc", "ioc"));
        assert_eq!(scores("bioc", 1), [0; GROUP_COUNT]);
        assert_eq!(classify(None, "Làm sạch dữ liệu theo tiêu chí đúng, đủ, sạch, sống"), "du_lieu_dan_cu");
        let mut c = Classifier::default();
        for (sec, text) in [
            (None, "Tuyên truyền về tài khoản định danh điện tử VNeID"),
            (Some("2. Phát triển kinh tế, xã hội"), "Rà soát"),
            (None, "Đăng ký khai sinh"),
        ] {
            assert_eq!(c.task_group(None, sec, text), classify(sec, text));
        }
    }
}
