//! The programme's five utility groups plus cross-cutting work, and the keyword table that
//! files a task under one of them from its section and text. A person can override the
//! result per task (the task's `group` field).
//!
//! # The keyword table
//!
//! Keywords are matched on folded text (lower case, no diacritics, "đ" → "d"), so they are
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
            "thu tuc hanh chinh", "tthc", "dich vu cong", "dvc", "mot cua", "truc tuyen", "ho so", "khai sinh",
            "khai tu", "ket hon", "ho tich", "thuong tru", "tam tru", "luu tru", "tam vang", "ly lich tu phap",
            "giay phep lai xe", "dang ky xe", "ho chieu", "nop phi", "le phi",
        ],
    },
    Group {
        key: "kinh_te_xa_hoi",
        label: "Phát triển kinh tế – xã hội",
        keywords: &[
            "kinh te", "an sinh", "bao hiem", "y te", "kham chua benh", "giao duc", "truong hoc", "tro cap",
            "chi tra", "khong dung tien mat", "thanh toan", "ngan hang", "nong nghiep", "lao dong", "viec lam",
            "doanh nghiep",
        ],
    },
    Group {
        key: "cong_dan_so",
        label: "Phát triển công dân số",
        keywords: &[
            "cong dan so", "vneid", "dinh danh dien tu", "tai khoan dinh danh", "can cuoc", "cccd", "gan chip",
            "ky so", "chu ky so", "thiet bi doc",
        ],
    },
    Group {
        key: "du_lieu_dan_cu",
        label: "Hoàn thiện hệ sinh thái, làm giàu dữ liệu dân cư",
        keywords: &[
            "du lieu dan cu", "co so du lieu", "csdl", "lam giau", "lam sach", "dung, du, sach, song", "thu thap",
            "cap nhat du lieu", "so hoa", "ket noi", "chia se", "he sinh thai", "dong bo du lieu",
        ],
    },
    Group {
        key: "chi_dao_dieu_hanh",
        label: "Phục vụ chỉ đạo, điều hành",
        keywords: &["chi dao", "dieu hanh", "phuc vu lanh dao", "trung tam dieu hanh", "ioc", "giam sat", "phan tich du lieu"],
    },
    Group {
        key: "chung",
        label: "Nhiệm vụ chung (tham mưu, tuyên truyền, pháp luật, an ninh, hạ tầng, kinh phí)",
        keywords: &[
            "tuyen truyen", "tham muu", "to cong tac", "quy che", "kiem tra", "so ket", "tong ket", "bao cao",
            "phap luat", "van ban", "an ninh", "an toan thong tin", "bao mat", "ha tang", "trang thiet bi",
            "duong truyen", "kinh phi", "ngan sach",
        ],
    },
];

/// The key of cross-cutting work, where unclassified tasks go.
pub const CROSS_CUTTING: &str = "chung";

pub fn group(key: &str) -> Option<&'static Group> {
    GROUPS.iter().find(|g| g.key == key)
}

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

/// Files a task under a group from its section and text (see the table above).
pub fn classify(section: Option<&str>, text: &str) -> &'static str {
    let sec = section.map(fold).unwrap_or_default();
    let txt = fold(text);
    let mut best = (0u32, CROSS_CUTTING);
    for g in GROUPS {
        let mut score = 0;
        for kw in g.keywords {
            if !sec.is_empty() && has_word(&sec, kw) {
                score += 3;
            }
            if has_word(&txt, kw) {
                score += 1;
            }
        }
        if score > best.0 {
            best = (score, g.key);
        }
    }
    best.1
}

/// The group a task is filed under: its override, else the keyword table.
pub fn task_group(override_key: Option<&str>, section: Option<&str>, text: &str) -> &'static str {
    override_key.and_then(group).map(|g| g.key).unwrap_or_else(|| classify(section, text))
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
    store.commit(vec![Change::new(Kind::Task, task_id, "group", value)])?;
    Ok(())
}

/// An empty progress row per group, in table order.
pub(crate) fn empty_progress() -> Vec<GroupProgress> {
    GROUPS
        .iter()
        .map(|g| GroupProgress { key: g.key.into(), label: g.label.into(), ..Default::default() })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_by_section_first() {
        assert_eq!(classify(Some("1. Nhóm tiện ích phục vụ giải quyết TTHC và cung cấp DVC trực tuyến"), "Rà soát"), "dich_vu_cong");
        assert_eq!(classify(None, "Tuyên truyền về tài khoản định danh điện tử VNeID"), "cong_dan_so");
        assert_eq!(classify(None, "Làm sạch dữ liệu dân cư"), "du_lieu_dan_cu");
        assert_eq!(classify(None, "Việc không rõ"), "chung");
        assert!(!has_word("bioc", "ioc"));
    }
}
