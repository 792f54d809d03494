//! The reporting loop through the `kehoach` command (issue 12): three communes report a month
//! to their district — one on time, one late, one leaves a draft — the district sees
//! completeness 2/3 and timeliness 1/3, returns one report with a reason, the commune issues it
//! again, an accepted report refuses a new version. Once through USB bundles only, once through
//! a real `kehoach-hub`.
//!
//! The clock is never faked: "late" comes from the plans' own rules. Chư Răng's plan asks for
//! the report before the 31st of the month after (always ahead of today for last month), Ia
//! Tul's plan follows Decree 09's cut-off with "before the 15th": last month's period ended on
//! its 14th, so its report was due on last month's 15th — always behind today.

mod common;

use std::path::{Path, PathBuf};

use chrono::Datelike;
use common::*;
use serde_json::Value;

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Last month, as a period code: the report every commune owes now.
fn last_month() -> String {
    let today = chrono::Local::now().date_naive();
    let first = today.with_day(1).unwrap().pred_opt().unwrap();
    format!("{:04}-{:02}", first.year(), first.month())
}

/// A commune's plan document of last month's year, with its monthly reporting day.
fn plan_text(commune: &str, day: u32) -> String {
    format!(
        "ỦY BAN NHÂN DÂN XÃ {up}\nSố: 12/KH-UBND\n{commune}, ngày 05 tháng 01 năm {year}\nKẾ HOẠCH\n\
         Triển khai Đề án 06 trên địa bàn xã\nI. MỤC ĐÍCH, YÊU CẦU\nTriển khai đồng bộ các nhiệm vụ của Đề án 06.\n\
         II. NHIỆM VỤ\n1. Rà soát, cập nhật, làm sạch dữ liệu dân cư trên địa bàn xã.\n\
         Đơn vị thực hiện: Công an xã.\nThời gian hoàn thành: Thường xuyên.\n\
         III. TỔ CHỨC THỰC HIỆN\nCông an xã tổng hợp kết quả, báo cáo UBND huyện Ia Pa trước ngày {day} hàng tháng.\n",
        up = commune.to_uppercase(),
        year = &last_month()[..4],
    )
}

struct Commune {
    name: &'static str,
    db: PathBuf,
    report: String,
}

/// A commune PC with its plan and last month's report drafted (and issued by hand when
/// `issue`), its commune founded so it can send bundles.
fn commune(dir: &Path, name: &'static str, place: &str, day: u32, decree09: bool, issue: bool) -> Commune {
    let db = dir.join(format!("{place}.sqlite3"));
    let setup = ["setup", "--commune", name, "--parent", "UBND huyện Ia Pa", "--place", place, "--signer", "Lê Văn A"];
    kehoach(&db, &setup).success();
    kehoach(&db, &["device", "found"]).success();
    let doc = dir.join(format!("{place}.txt"));
    std::fs::write(&doc, plan_text(place, day)).unwrap();
    let plan = json(&db, &["plan", "import", s(&doc), "--json"]);
    let plan = plan["id"].as_str().unwrap().to_string();
    if decree09 {
        kehoach(&db, &["plan", "edit", &plan, "--period-cutoff", "decree09"]).success();
    }
    // The standard indicators, and last month's share of level-2 accounts as numerator and
    // denominator (the first percentage of the catalogue).
    kehoach(&db, &["target", "attach", "--plan", &plan, "--catalogue", "indicators"]).success();
    let targets = json(&db, &["target", "list", "--json"]);
    let pct = targets.as_array().unwrap().iter().find(|t| t["kind"] == "percent").expect("a percentage indicator");
    let (num, den) = (day * 10, day * 20);
    let month = &last_month();
    let typed = format!("{}/{}", &month[5..], &month[..4]);
    let record = ["target", "record", pct["id"].as_str().unwrap(), "--period", &typed];
    kehoach(&db, &[&record[..], &["--numerator", &num.to_string(), "--denominator", &den.to_string()]].concat())
        .success();
    let d = json(&db, &["report", "draft", "--plan", &plan, "--period", &last_month(), "--json"]);
    let report = d["id"].as_str().unwrap().to_string();
    if issue {
        // Signed by hand; the scan of the signed paper goes with it.
        let scan = dir.join(format!("{place}-ban-quet.pdf"));
        std::fs::write(&scan, format!("%PDF-1.4\n% bản quét báo cáo của {name}\n%%EOF\n")).unwrap();
        let issue = ["report", "issue", &report, "--number", "05/BC-UBND", "--scan", s(&scan), "--json"];
        let issued = json(&db, &issue);
        assert_eq!(issued["status"], "issued", "{issued}");
    }
    Commune { name, db, report }
}

fn three_communes(dir: &Path) -> [Commune; 3] {
    [
        commune(dir, "UBND xã Chư Răng", "Chư Răng", 31, false, true),
        commune(dir, "UBND xã Ia Tul", "Ia Tul", 15, true, true),
        commune(dir, "UBND xã Ia Broăi", "Ia Broăi", 20, false, false),
    ]
}

fn report_of(c: &Commune) -> Value {
    let list = json(&c.db, &["report", "list", "--json"]);
    list.as_array().unwrap().iter().find(|r| r["id"] == c.report.as_str()).cloned().expect("the report is listed")
}

fn row<'a>(rollup: &'a Value, name: &str) -> &'a Value {
    rollup["communes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("{name}: {rollup}"))
}

/// What the district sees first: 2 of 3 received, 1 of 3 on time, each commune's state.
fn assert_first_rollup(r: &Value) {
    let t = &r["totals"];
    assert_eq!(
        (t["expected"].as_u64(), t["received"].as_u64(), t["on_time"].as_u64()),
        (Some(3), Some(2), Some(1)),
        "{r}"
    );
    assert!((t["completeness"].as_f64().unwrap() - 2.0 / 3.0).abs() < 1e-9, "{t}");
    assert!((t["timeliness"].as_f64().unwrap() - 1.0 / 3.0).abs() < 1e-9, "{t}");
    assert_eq!(row(r, "UBND xã Chư Răng")["state"]["status"], "on_time");
    assert_eq!(row(r, "UBND xã Chư Răng")["state"]["late_days"], 0);
    let ia_tul = &row(r, "UBND xã Ia Tul")["state"];
    assert_eq!(ia_tul["status"], "late", "{ia_tul}");
    assert!(ia_tul["late_days"].as_i64().unwrap() >= 1, "{ia_tul}");
    assert!(ia_tul["issued_at"].as_str().is_some_and(|t| !t.is_empty()), "{ia_tul}");
    // A draft is not counted as received.
    assert_eq!(row(r, "UBND xã Ia Broăi")["state"]["status"], "draft");
    assert_eq!(row(r, "UBND xã Ia Broăi")["report"], false);
    assert_eq!(r["reported"], 2);
    // Percentages add up as Σ numerator / Σ denominator: 310 + 150 + 200 of 620 + 300 + 400 is
    // 50%, each commune's 50% never summed to 150%.
    let pct = r["indicators"].as_array().unwrap().iter().find(|i| i["kind"] == "percent").unwrap();
    assert_eq!((pct["numerator"].as_f64(), pct["denominator"].as_f64()), (Some(660.0), Some(1320.0)), "{pct}");
    assert_eq!((pct["value"].as_f64(), pct["communes"].as_u64()), (Some(50.0), Some(3)), "{pct}");
}

#[test]
fn the_loop_through_usb_bundles_only() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let [chu_rang, ia_tul, ia_broai] = three_communes(d);
    let period = last_month();

    // Each commune's report, as the commune PC lists it.
    assert_eq!(report_of(&chu_rang)["late_days"], 0);
    assert!(report_of(&ia_tul)["late_days"].as_i64().unwrap() >= 1);
    assert_eq!(report_of(&ia_broai)["status"], "draft");
    // Issued: the schedule no longer calls it late.
    let schedule = json(&ia_tul.db, &["report", "schedule", "--json"]);
    assert!(!schedule.as_array().unwrap().iter().any(|e| e["period_code"] == period.as_str()), "{schedule}");

    // The district PC takes each commune's bundle from a USB stick.
    let district = d.join("huyen.sqlite3");
    let setup = ["setup", "--commune", "UBND huyện Ia Pa", "--parent", "UBND tỉnh Gia Lai", "--place", "Ia Pa"];
    kehoach(&district, &[&setup[..], &["--signer", "Trần Văn B"]].concat()).success();
    kehoach(&district, &["rollup", "unit", "UBND huyện Ia Pa"]).success();
    let district_before = dump(&district);
    for c in [&chu_rang, &ia_tul, &ia_broai] {
        let file = d.join(format!("{}.kehoach", c.name));
        kehoach(&c.db, &["sync", "export", "--out", s(&file)]).success();
        let r = json(&district, &["rollup", "import", s(&file), "--json"]);
        assert_eq!((r["name"].as_str(), r["new_commune"].as_bool()), (Some(c.name), Some(true)), "{r}");
    }
    // The communes' data feed the roll-up and stay out of the district's own data.
    assert_eq!(dump(&district), district_before);
    let r = json(&district, &["rollup", "--period", &period, "--json"]);
    assert_first_rollup(&r);
    // The scan of Chư Răng's signed paper came with its bundle.
    let doc = row(&r, "UBND xã Chư Răng")["state"]["document"].as_str().unwrap().to_string();
    let copy = std::fs::read_to_string(d.join("cac-xa").join(&doc)).unwrap();
    assert!(copy.contains("bản quét báo cáo của UBND xã Chư Răng"), "{copy}");
    let text = stdout(kehoach(&district, &["rollup", "--period", &period]));
    assert!(text.contains("Đã gửi báo cáo: 2/3 xã (đầy đủ 66,7%); đúng hạn: 1/3 xã (kịp thời 33,3%)"), "{text}");
    assert!(text.contains("đã gửi muộn") && text.contains("dự thảo"), "{text}");

    // A draft cannot be accepted; a return needs a reason.
    let e = stderr(kehoach(&district, &["rollup", "accept", "--commune", "Ia Broăi", "--period", &period]));
    assert!(e.contains("chưa được ban hành"), "{e}");
    let e = stderr(kehoach(&district, &["rollup", "return", "--commune", "Ia Tul", "--period", &period]));
    assert!(e.contains("lý do"), "{e}");

    // The district returns Ia Tul's report and writes the decision for its USB stick.
    let decision = d.join("tra-lai-ia-tul.kehoach");
    let reason = "Thiếu số liệu tài khoản định danh mức 2";
    let ret = ["rollup", "return", "--commune", "Ia Tul", "--period", &period, "--reason", reason];
    let out = json(&district, &[&ret[..], &["--out", s(&decision), "--json"]].concat());
    assert_eq!(out["status"], "returned", "{out}");
    let before = dump(&ia_tul.db);
    let imported = json(&ia_tul.db, &["sync", "import", s(&decision), "--json"]);
    // Only the decision came in: one op on the report.
    assert_eq!(imported["applied"]["applied"], 1, "{imported}");
    assert_ne!(dump(&ia_tul.db), before);
    let mine = report_of(&ia_tul);
    assert_eq!((mine["status"].as_str(), mine["review_reason"].as_str()), (Some("returned"), Some(reason)), "{mine}");
    let shown = stdout(kehoach(&ia_tul.db, &["report", "show", &ia_tul.report]));
    assert!(shown.contains("Cấp trên (UBND huyện Ia Pa): Trả lại phiên bản") && shown.contains(reason), "{shown}");
    let schedule = json(&ia_tul.db, &["report", "schedule", "--json"]);
    assert!(schedule.as_array().unwrap().iter().any(|e| e["state"] == "returned"), "{schedule}");

    // Ia Tul corrects it and issues the next version; the district sees it issued again, still
    // late (judged by the first issue).
    let again = json(&ia_tul.db, &["report", "issue", &ia_tul.report, "--number", "07/BC-UBND", "--json"]);
    assert_eq!((again["status"].as_str(), again["version"].as_u64()), (Some("issued"), Some(3)), "{again}");
    let file = d.join("ia-tul-2.kehoach");
    kehoach(&ia_tul.db, &["sync", "export", "--out", s(&file)]).success();
    json(&district, &["rollup", "import", s(&file), "--json"]);
    let r = json(&district, &["rollup", "--period", &period, "--json"]);
    assert_eq!(row(&r, "UBND xã Ia Tul")["state"]["status"], "late");
    assert_eq!(row(&r, "UBND xã Ia Tul")["state"]["version"], 3);

    // The district accepts Chư Răng's report: locked there once the decision arrives.
    let decision = d.join("chap-nhan-chu-rang.kehoach");
    let acc = ["rollup", "accept", "--commune", "Chư Răng", "--period", &period, "--out", s(&decision)];
    kehoach(&district, &acc).success();
    kehoach(&chu_rang.db, &["sync", "import", s(&decision)]).success();
    assert_eq!(report_of(&chu_rang)["status"], "accepted");
    let before = dump(&chu_rang.db);
    let e = stderr(kehoach(&chu_rang.db, &["report", "issue", &chu_rang.report, "--number", "09/BC-UBND"]));
    assert!(e.contains("đã được UBND huyện Ia Pa chấp nhận"), "{e}");
    assert_eq!(dump(&chu_rang.db), before, "a refused new version changes nothing");
    let r = json(&district, &["rollup", "--period", &period, "--json"]);
    assert_eq!(row(&r, "UBND xã Chư Răng")["state"]["status"], "accepted");
    assert_eq!(r["totals"]["on_time"], 1);

    // The year's grid: last month's column shows the three states.
    let year: i32 = period[..4].parse().unwrap();
    let month: usize = period[5..].parse().unwrap();
    let g = json(&district, &["rollup", "grid", "--year", &year.to_string(), "--json"]);
    let states: Vec<&str> =
        g["communes"].as_array().unwrap().iter().map(|c| c["months"][month - 1]["status"].as_str().unwrap()).collect();
    assert_eq!(states, ["accepted", "draft", "late"], "{g}");
}

/// A decision bundle can carry nothing but decisions, and a commune's bundle is no decision.
#[test]
fn a_bundle_from_above_carries_decisions_only() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let chu_rang = commune(d, "UBND xã Chư Răng", "Chư Răng", 31, false, true);
    let district = d.join("huyen.sqlite3");
    let file = d.join("chu-rang.kehoach");
    kehoach(&chu_rang.db, &["sync", "export", "--out", s(&file)]).success();
    json(&district, &["rollup", "import", s(&file), "--json"]);
    // Imported twice: refused as a replay, nothing changes.
    let e = stderr(kehoach(&district, &["rollup", "import", s(&file)]));
    assert!(e.contains("đã được nhập trước đây"), "{e}");
    // A commune's own bundle given to another commune's PC is refused (other commune).
    let other = commune(d, "UBND xã Ia Tul", "Ia Tul", 15, false, false);
    let before = dump(&other.db);
    let e = stderr(kehoach(&other.db, &["sync", "import", s(&file)]));
    assert!(e.contains("xã khác"), "{e}");
    assert_eq!(dump(&other.db), before);
    // Garbage as a commune bundle: a clear message, no copy left behind.
    let junk = d.join("junk.kehoach");
    std::fs::write(&junk, b"PK\x03\x04 not really a zip").unwrap();
    let e = stderr(kehoach(&district, &["rollup", "import", s(&junk)]));
    assert!(e.contains("Tệp đồng bộ"), "{e}");
    let copies = std::fs::read_dir(d.join("cac-xa"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().ends_with(".sqlite3"));
    assert_eq!(copies.count(), 1);
}

#[test]
fn the_loop_through_the_hub() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let communes = three_communes(d);
    let period = last_month();
    let hub_data = d.join("hub");
    let mut ids = Vec::new();
    for c in &communes {
        let dev = json(&c.db, &["device", "list", "--json"]);
        let commune = dev["commune"].as_str().unwrap().to_string();
        let enrol = ["enrol", "--commune", &commune, "--device", dev["device"].as_str().unwrap()];
        hub_admin(&hub_data, &[&enrol[..], &["--public-key", dev["public_key"].as_str().unwrap()]].concat());
        ids.push(commune);
    }
    let district = d.join("huyen.sqlite3");
    let dev = json(&district, &["device", "list", "--json"]);
    hub_admin(
        &hub_data,
        &[
            "enrol-parent",
            "--unit",
            "UBND huyện Ia Pa",
            "--device",
            dev["device"].as_str().unwrap(),
            "--public-key",
            dev["public_key"].as_str().unwrap(),
            "--communes",
            &ids.join(","),
        ],
    );
    let hub = Hub::start(&hub_data);
    for c in &communes {
        kehoach(&c.db, &["sync", "hub", "--url", &hub.url]).success();
    }

    let r = json(&district, &["rollup", "--hub", &hub.url, "--period", &period, "--json"]);
    assert_eq!(r["unit"], "UBND huyện Ia Pa");
    assert_first_rollup(&r);
    // The scan of Ia Tul's signed paper came down from the hub with its data.
    let doc = row(&r, "UBND xã Ia Tul")["state"]["document"].as_str().unwrap().to_string();
    let copy = std::fs::read_to_string(d.join("cac-xa").join(&doc)).unwrap();
    assert!(copy.contains("bản quét báo cáo của UBND xã Ia Tul"), "{copy}");

    // Returned through the hub; the commune's next sync brings the decision.
    let [chu_rang, ia_tul, _] = &communes;
    let reason = "Đề nghị bổ sung kết quả cấp CCCD";
    let ret = ["rollup", "return", "--hub", &hub.url, "--commune", "Ia Tul", "--period", &period, "--reason", reason];
    let out = json(&district, &[&ret[..], &["--json"]].concat());
    assert_eq!(out["sent"][0], "hub", "{out}");
    kehoach(&ia_tul.db, &["sync", "hub", "--url", &hub.url]).success();
    let mine = report_of(ia_tul);
    assert_eq!((mine["status"].as_str(), mine["review_reason"].as_str()), (Some("returned"), Some(reason)), "{mine}");
    json(&ia_tul.db, &["report", "issue", &ia_tul.report, "--number", "07/BC-UBND", "--json"]);
    kehoach(&ia_tul.db, &["sync", "hub", "--url", &hub.url]).success();

    kehoach(&district, &["rollup", "accept", "--hub", &hub.url, "--commune", "Chư Răng", "--period", &period])
        .success();
    kehoach(&chu_rang.db, &["sync", "hub", "--url", &hub.url]).success();
    assert_eq!(report_of(chu_rang)["status"], "accepted");
    let e = stderr(kehoach(&chu_rang.db, &["report", "issue", &chu_rang.report, "--number", "09/BC-UBND"]));
    assert!(e.contains("chấp nhận"), "{e}");

    let r = json(&district, &["rollup", "--hub", &hub.url, "--period", &period, "--json"]);
    assert_eq!(row(&r, "UBND xã Chư Răng")["state"]["status"], "accepted");
    assert_eq!(
        (row(&r, "UBND xã Ia Tul")["state"]["status"].as_str(), row(&r, "UBND xã Ia Tul")["state"]["version"].as_u64()),
        (Some("late"), Some(3))
    );
    // The hub's own roll-up says the same.
    assert_eq!(r["totals"]["received"], 2);
}
