//! Indicators through the `kehoach` command on real SQLite files: a target's kind, figures by
//! kind, the catalogue of standard indicators; every bad input refused with no change.

mod common;

use std::path::Path;

use common::*;

/// The command fails, says `want`, and changes nothing.
fn refused(db: &Path, args: &[&str], want: &str) {
    let before = dump(db);
    let e = stderr(kehoach(db, args));
    assert!(e.contains(want), "{args:?}: {e:?} should contain {want:?}");
    assert_eq!(dump(db), before, "{args:?} changed the data");
}

fn plan(db: &Path) -> String {
    let p = json(db, &["plan", "create", "--title", "KH Đề án 06", "--date", "2023-04-07", "--json"]);
    p["id"].as_str().unwrap().to_string()
}

#[test]
fn targets_by_kind_and_figures_by_kind() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.sqlite3");
    let p = plan(&db);
    let add = |args: &[&str]| {
        let mut all = vec!["target", "add", "--plan", &p];
        all.extend_from_slice(args);
        all.push("--json");
        json(&db, &all)
    };
    let share = add(&["--text", "Tỷ lệ kích hoạt VNeID mức 2", "--value", "80", "--kind", "percent"]);
    assert_eq!((share["kind"].as_str(), share["unit"].as_str()), (Some("percent"), Some("%")));
    let count = add(&["--text", "Số hồ sơ DVC trực tuyến", "--value", "1.500", "--unit", "hồ sơ"]);
    assert_eq!(count["kind"], "count", "read from the unit");
    let met = add(&["--text", "Tổ công tác họp giao ban", "--kind", "yes_no"]);
    assert_eq!((met["kind"].as_str(), met["value"].as_f64()), (Some("yes_no"), Some(1.0)));
    let id = |t: &serde_json::Value| t["id"].as_str().unwrap().to_string();
    let (share, count, met) = (id(&share), id(&count), id(&met));

    let r = json(
        &db,
        &[
            "target",
            "record",
            &share,
            "--period",
            "05/2023",
            "--numerator",
            "1.234",
            "--denominator",
            "1.500",
            "--json",
        ],
    );
    assert_eq!((r["latest"]["numerator"].as_f64(), r["latest"]["denominator"].as_f64()), (Some(1234.0), Some(1500.0)));
    json(&db, &["target", "record", &count, "--period", "05/2023", "--value", "1.250", "--json"]);
    json(&db, &["target", "record", &met, "--period", "05/2023", "--yes", "--json"]);
    let no = json(&db, &["target", "record", &met, "--period", "06/2023", "--no", "--json"]);
    assert_eq!(no["latest"]["value"], 0.0);

    let text = stdout(kehoach(&db, &["target", "list", "--plan", &p]));
    assert!(text.contains("\tpercent\t1.234/1.500 (82,3%) (2023-05) / 80%\tTỷ lệ kích hoạt VNeID mức 2"), "{text}");
    assert!(text.contains("\tcount\t1.250 hồ sơ (2023-05) / 1.500 hồ sơ\t"), "{text}");
    assert!(text.contains("\tyes_no\tchưa (2023-06) / 1\t"), "{text}");
    let list = json(&db, &["target", "list", "--plan", &p, "--json"]);
    assert_eq!(list.as_array().unwrap().len(), 3);

    refused(
        &db,
        &["target", "record", &share, "--period", "05/2023", "--numerator", "5", "--denominator", "0"],
        "mẫu số phải lớn hơn 0",
    );
    refused(
        &db,
        &["target", "record", &share, "--period", "05/2023", "--numerator", "1.600", "--denominator", "1.500"],
        "không được lớn hơn mẫu số",
    );
    refused(&db, &["target", "record", &share, "--period", "05/2023", "--numerator", "5"], "chưa nhập mẫu số");
    refused(
        &db,
        &["target", "record", &count, "--period", "05/2023", "--numerator", "1", "--denominator", "2"],
        "là chỉ tiêu số lượng",
    );
    refused(
        &db,
        &["target", "record", &count, "--period", "05/2023", "--value", "3", "--yes"],
        "chỉ nhập một trong ba",
    );
    refused(&db, &["target", "record", &met, "--period", "05/2023", "--value", "7"], "là 1 (có) hoặc 0 (chưa)");
    refused(&db, &["target", "record", &met, "--period", "05/2023"], "chưa nhập số liệu");
    refused(
        &db,
        &["target", "add", "--plan", &p, "--text", "x", "--value", "5", "--kind", "ratio"],
        "loại chỉ tiêu không hợp lệ",
    );
    refused(
        &db,
        &["target", "add", "--plan", &p, "--text", "x", "--value", "5", "--unit", "%", "--kind", "count"],
        "đơn vị % dành cho chỉ tiêu tỷ lệ",
    );
    refused(&db, &["target", "add", "--plan", &p, "--text", "x", "--unit", "hồ sơ"], "chưa nhập giá trị chỉ tiêu");
}

#[test]
fn the_standard_indicators_attach_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.sqlite3");
    let p = plan(&db);
    let added = json(&db, &["target", "attach", "--plan", &p, "--catalogue", "indicators", "--json"]);
    let added = added.as_array().unwrap();
    assert_eq!(added.len(), 12);
    assert!(added.iter().all(|t| t["code"].is_string()));
    let vneid = added.iter().find(|t| t["code"] == "dinh_danh_muc_2_ty_le").unwrap();
    assert_eq!(vneid["denominator_label"], "công dân từ 14 tuổi trở lên");
    refused(&db, &["target", "attach", "--plan", &p], "đã có đủ 12 chỉ tiêu");
    refused(&db, &["target", "attach", "--plan", &p, "--catalogue", "services"], "không có danh mục chỉ tiêu mẫu");
    let id = vneid["id"].as_str().unwrap();
    let goal = json(&db, &["target", "goal", id, "--value", "95,5", "--json"]);
    assert_eq!(goal["value"], 95.5);
    refused(&db, &["target", "goal", id, "--value", "150"], "không được vượt quá 100");
    refused(&db, &["target", "record", id, "--period", "05/2023", "--value", "82"], "nhập tử số và mẫu số");
    kehoach(&db, &["target", "delete", id]).success();
    let back = json(&db, &["target", "attach", "--plan", &p, "--json"]);
    assert_eq!(back.as_array().unwrap().len(), 1);
    assert_eq!(back[0]["id"].as_str(), Some(id));
    assert_eq!(json(&db, &["target", "list", "--plan", &p, "--json"]).as_array().unwrap().len(), 12);
}
