//! The kinds of record as officers read them: one Vietnamese name each, for the core's
//! messages and every screen (the core's `Kind` spells the kinds; a test there holds every one
//! named here).

/// The Vietnamese name of a record kind as the core spells it (`"task"` → `"nhiệm vụ"`), in
/// lower case; `None` for a kind this version does not know (a newer PC's).
pub fn kind_label_vi(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "org" => "thông tin đơn vị",
        "unit" => "cơ quan, đơn vị",
        "user" => "người dùng",
        "plan" => "kế hoạch",
        "section" => "mục của kế hoạch",
        "task" => "nhiệm vụ",
        "note" => "ghi chú",
        "checklist" => "danh mục kiểm tra",
        "checklist_item" => "mục kiểm tra",
        "target" => "chỉ tiêu",
        "target_value" => "số liệu chỉ tiêu",
        "report" => "báo cáo",
        "evidence" => "minh chứng",
        "publication" => "kế hoạch cấp trên",
        _ => return None,
    })
}
