//! The review screen's row operations: merge with the next row, split at the caret.

use kehoach_model::{Due, DueKind, ImportedTask};

fn task(text: &str, lead: &[&str], time: Option<&str>) -> ImportedTask {
    ImportedTask {
        reference: Some("1.2".into()),
        section: Some("Công tác chỉ đạo".into()),
        text: text.into(),
        lead: lead.iter().map(|s| s.to_string()).collect(),
        time_text: time.map(str::to_string),
        due: if time.is_some() { Due::new(DueKind::Quarter { year: 2023, quarter: 2 }) } else { Due::default() },
        ..Default::default()
    }
}

#[test]
fn a_merge_joins_the_texts_and_keeps_every_unit_once() {
    let a = task("Rà soát, cập nhật dữ liệu hộ tịch", &["Tư pháp – Hộ tịch"], None);
    let mut b =
        task("lên Cơ sở dữ liệu quốc gia về dân cư.", &["Tư pháp – Hộ tịch", "Công an xã"], Some("Quý II/2023"));
    b.reference = Some("1.3".into());
    let m = a.merged_with(&b);
    assert_eq!(m.text, "Rà soát, cập nhật dữ liệu hộ tịch lên Cơ sở dữ liệu quốc gia về dân cư.");
    assert_eq!(m.lead, vec!["Tư pháp – Hộ tịch", "Công an xã"]);
    // The first row had no time: the second's is taken, with its deadline.
    assert_eq!(m.time_text.as_deref(), Some("Quý II/2023"));
    assert_eq!(m.due.kind, DueKind::Quarter { year: 2023, quarter: 2 });
    assert_eq!(m.reference.as_deref(), Some("1.2"));
}

#[test]
fn a_merge_keeps_the_first_rows_time() {
    let mut a = task("Cấp thẻ căn cước", &[], Some("Trong tháng 5/2023"));
    a.due = Due::new(DueKind::Month { year: 2023, month: 5 });
    let b = task("cho công dân đủ tuổi", &[], Some("Quý II/2023"));
    let m = a.merged_with(&b);
    assert_eq!(m.time_text.as_deref(), Some("Trong tháng 5/2023"));
    assert_eq!(m.due.kind, DueKind::Month { year: 2023, month: 5 });
}

#[test]
fn a_split_at_the_caret_makes_two_tasks_with_the_same_fields() {
    let t = task(
        "Kích hoạt tài khoản định danh điện tử. Thu nhận hồ sơ cấp thẻ căn cước.",
        &["Công an xã"],
        Some("Quý II/2023"),
    );
    let at = t.text.find("Thu nhận").unwrap();
    let (a, b) = t.split_at(at).unwrap();
    assert_eq!(a.text, "Kích hoạt tài khoản định danh điện tử.");
    assert_eq!(b.text, "Thu nhận hồ sơ cấp thẻ căn cước.");
    assert_eq!(b.lead, t.lead);
    assert_eq!(b.due, t.due);
    assert_eq!(b.section, t.section);
    assert_eq!(a.reference.as_deref(), Some("1.2"));
    assert_eq!(b.reference, None);
}

#[test]
fn a_split_that_leaves_a_part_empty_or_cuts_a_letter_is_refused() {
    let t = task("Cấp thẻ căn cước", &[], None);
    assert!(t.split_at(0).is_none());
    assert!(t.split_at(t.text.len()).is_none());
    assert!(t.split_at(2).is_none(), "inside the three bytes of 'ấ'");
    assert!(t.split_at(999).is_none());
}
