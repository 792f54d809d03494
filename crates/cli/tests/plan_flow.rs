//! Plans flow down (issue 17) through the `kehoach` command and a real `kehoach-hub`: a district
//! publishes its plan to three communes; Chư Răng takes it from the hub and Ia Tul from a USB
//! file, both derive their plan from it, Pờ Tó does not. The district's coverage then shows 2/3
//! for each task that concerns communes and flags Pờ Tó a month after publication. An amendment
//! adds a task and re-dates another: each commune sees exactly that, and carries it.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

struct Pc {
    db: PathBuf,
    commune: String,
}

/// A commune PC with its settings and its commune founded, enrolled at the hub.
fn commune(dir: &Path, hub_data: &Path, name: &str, place: &str) -> Pc {
    let db = dir.join(format!("{place}.sqlite3"));
    let setup = ["setup", "--commune", name, "--parent", "UBND huyện Ia Pa", "--place", place, "--signer", "Lê Văn A"];
    kehoach(&db, &setup).success();
    kehoach(&db, &["device", "found"]).success();
    let dev = json(&db, &["device", "list", "--json"]);
    let commune = dev["commune"].as_str().unwrap().to_string();
    let enrol = ["enrol", "--commune", &commune, "--device", dev["device"].as_str().unwrap()];
    hub_admin(hub_data, &[&enrol[..], &["--public-key", dev["public_key"].as_str().unwrap()]].concat());
    Pc { db, commune }
}

fn add_task(db: &Path, plan: &str, reference: &str, text: &str, lead: &str, coord: &str, due: &str) -> String {
    let args = ["task", "add", "--plan", plan, "--ref", reference, "--text", text, "--lead", lead];
    let args = [&args[..], &["--coord", coord, "--due-text", due, "--json"]].concat();
    json(db, &args)["id"].as_str().unwrap().to_string()
}

fn tasks_of(db: &Path, plan: &str) -> Vec<Value> {
    json(db, &["plan", "show", plan, "--json"])["tasks"].as_array().unwrap().clone()
}

fn row<'a>(coverage: &'a Value, reference: &str) -> &'a Value {
    coverage["rows"].as_array().unwrap().iter().find(|r| r["ref"] == reference).unwrap_or_else(|| panic!("{coverage}"))
}

fn derivation<'a>(coverage: &'a Value, commune: &str) -> &'a Value {
    coverage["communes"].as_array().unwrap().iter().find(|c| c["commune"] == commune).unwrap()
}

#[test]
fn a_district_plan_flows_down_to_three_communes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let hub_data = d.join("hub");

    // The district and its plan: two tasks concern the communes, one is the district's own.
    let district = d.join("huyen.sqlite3");
    let setup = ["setup", "--commune", "UBND huyện Ia Pa", "--parent", "UBND tỉnh Gia Lai", "--place", "Ia Pa"];
    kehoach(&district, &[&setup[..], &["--signer", "Nguyễn Văn B"]].concat()).success();
    let create = ["plan", "create", "--title", "Kế hoạch triển khai Đề án 06 năm 2023", "--number", "39/KH-UBND"];
    let plan =
        json(&district, &[&create[..], &["--date", "2023-03-20", "--issuer", "UBND huyện Ia Pa", "--json"]].concat());
    let plan = plan["id"].as_str().unwrap().to_string();
    let per_level = "Quý II/2023 đối với cấp huyện, quý III/2023 đối với cấp xã";
    let t1 = add_task(
        &district,
        &plan,
        "1",
        "Rà soát, làm sạch dữ liệu dân cư",
        "UBND các xã, thị trấn",
        "Công an huyện",
        per_level,
    );
    let t2 = add_task(
        &district,
        &plan,
        "2",
        "Tuyên truyền tài khoản VNeID",
        "Công an huyện",
        "Công an các xã",
        "Trong quý II/2023",
    );
    add_task(
        &district,
        &plan,
        "3",
        "Tổng hợp báo cáo UBND tỉnh",
        "Phòng Tư pháp",
        "Văn phòng HĐND và UBND huyện",
        "Trong tháng 12/2023",
    );

    let chu_rang = commune(d, &hub_data, "UBND xã Chư Răng", "Chư Răng");
    let ia_tul = commune(d, &hub_data, "UBND xã Ia Tul", "Ia Tul");
    let po_to = commune(d, &hub_data, "UBND xã Pờ Tó", "Pờ Tó");
    let dev = json(&district, &["device", "list", "--json"]);
    let all = [chu_rang.commune.as_str(), ia_tul.commune.as_str(), po_to.commune.as_str()].join(",");
    let enrol = ["enrol-parent", "--unit", "UBND huyện Ia Pa", "--device", dev["device"].as_str().unwrap()];
    hub_admin(
        &hub_data,
        &[&enrol[..], &["--public-key", dev["public_key"].as_str().unwrap(), "--communes", &all]].concat(),
    );
    let hub = Hub::start(&hub_data);

    // Published through the hub for all three, and as a file for Ia Tul's USB stick.
    let file = d.join("ke-hoach-39.kehoach-plan");
    let communes = ["--commune", &chu_rang.commune, "--commune", &ia_tul.commune, "--commune", &po_to.commune];
    let publish = ["plan", "publish", &plan, "--hub", &hub.url, "--out", s(&file), "--json"];
    let out = json(&district, &[&publish[..], &communes[..]].concat());
    assert_eq!((out["version"].as_u64(), out["hub_communes"].as_u64()), (Some(1), Some(3)), "{out}");

    // Chư Răng: the level above's PC is not trusted yet; the officer accepts it.
    let before = dump(&chu_rang.db);
    let e = stderr(kehoach(&chu_rang.db, &["plan", "receive", "--hub", &hub.url]).failure());
    assert!(e.contains("chưa tin cậy") && e.contains("--accept"), "{e}");
    assert_eq!(dump(&chu_rang.db), before, "a refused publication changes nothing");
    let got = json(&chu_rang.db, &["plan", "receive", "--hub", &hub.url, "--accept", "--json"]);
    assert_eq!((got[0]["version"].as_u64(), got[0]["new"].as_bool()), (Some(1), Some(true)), "{got}");
    let up = json(&chu_rang.db, &["plan", "upstream", "--json"]);
    assert_eq!(up[0]["publication"]["plan"]["number"], "39/KH-UBND", "{up}");

    // The proposal: tasks 1 and 2, worded for the commune, with the commune level's date.
    let p = json(&chu_rang.db, &["plan", "derive", &plan, "--json"]);
    assert_eq!(p["title"], "Kế hoạch thực hiện Kế hoạch số 39/KH-UBND ngày 20/03/2023 của UBND huyện Ia Pa về triển khai Đề án 06 năm 2023");
    let tasks = p["tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), 2, "{p}");
    assert_eq!(tasks[0]["task"]["lead"], serde_json::json!(["UBND xã"]));
    assert_eq!(tasks[0]["task"]["due"], serde_json::json!({"kind": "quarter", "year": 2023, "quarter": 3}));
    assert_eq!(tasks[1]["task"]["lead"], serde_json::json!(["Công an xã"]), "the district's own lead stays with it");
    assert_eq!(p["left_out"].as_array().unwrap().len(), 1);
    let mine = json(&chu_rang.db, &["plan", "derive", &plan, "--create", "--json"]);
    let chu_rang_plan = mine["id"].as_str().unwrap().to_string();
    let mine_tasks = tasks_of(&chu_rang.db, &chu_rang_plan);
    assert_eq!(mine_tasks[0]["parent_task"], t1.as_str());
    assert_eq!(mine_tasks[0]["deadline"], "2023-09-30");
    kehoach(&chu_rang.db, &["task", "set", mine_tasks[0]["id"].as_str().unwrap(), "--status", "done"]).success();
    kehoach(&chu_rang.db, &["sync", "hub", "--url", &hub.url]).success();

    // Ia Tul: from the USB file, an edited proposal (its own title, a task's text), then back to
    // the district as a bundle on the stick.
    kehoach(&ia_tul.db, &["plan", "receive", s(&file), "--accept"]).success();
    let mut p = json(&ia_tul.db, &["plan", "derive", &plan, "--json"]);
    p["title"] = "Kế hoạch của xã Ia Tul thực hiện Kế hoạch 39".into();
    p["tasks"][1]["task"]["text"] = "Tuyên truyền VNeID tại các thôn".into();
    let edited = d.join("de-xuat.json");
    std::fs::write(&edited, p.to_string()).unwrap();
    let mine = json(&ia_tul.db, &["plan", "derive", &plan, "--create", "--proposal", s(&edited), "--json"]);
    let ia_tul_plan = mine["id"].as_str().unwrap().to_string();
    assert_eq!(mine["title"], "Kế hoạch của xã Ia Tul thực hiện Kế hoạch 39");
    assert_eq!(tasks_of(&ia_tul.db, &ia_tul_plan)[1]["text"], "Tuyên truyền VNeID tại các thôn");
    let bundle = d.join("ia-tul.kehoach");
    kehoach(&ia_tul.db, &["sync", "export", "--out", s(&bundle)]).success();
    kehoach(&district, &["rollup", "import", s(&bundle)]).success();

    // Pờ Tó receives it and derives nothing.
    kehoach(&po_to.db, &["plan", "receive", "--hub", &hub.url, "--accept"]).success();
    kehoach(&po_to.db, &["sync", "hub", "--url", &hub.url]).success();

    // Coverage: 2/3 per task concerning communes; Pờ Tó flagged only a month on.
    let today = chrono::Local::now().date_naive();
    let c = json(&district, &["plan", "coverage", &plan, "--hub", &hub.url, "--json"]);
    assert_eq!(c["rows"].as_array().unwrap().len(), 2, "task 3 is the district's own: {c}");
    for r in ["1", "2"] {
        assert_eq!((row(&c, r)["covered"].as_u64(), row(&c, r)["expected"].as_u64()), (Some(2), Some(3)), "{c}");
    }
    let states = row(&c, "1")["communes"].as_array().unwrap();
    let status_of = |name: &str| states.iter().find(|s| s["name"] == name).map(|s| s["status"].clone());
    assert_eq!(status_of("UBND xã Chư Răng"), Some("done".into()));
    assert_eq!(status_of("UBND xã Ia Tul"), Some("not_started".into()));
    assert_eq!(status_of("UBND xã Pờ Tó"), None);
    assert_eq!(derivation(&c, &po_to.commune)["flagged"], false, "not yet a month: {c}");
    let later = (today + chrono::Days::new(31)).to_string();
    let c = json(&district, &["plan", "coverage", &plan, "--as-of", &later, "--json"]);
    assert_eq!(derivation(&c, &po_to.commune)["flagged"], true, "{c}");
    assert_eq!(derivation(&c, &chu_rang.commune)["flagged"], false);
    assert_eq!(derivation(&c, &ia_tul.commune)["version"], 1);
    let text = stdout(kehoach(&district, &["plan", "coverage", &plan, "--as-of", &later]));
    assert!(text.contains("2/3") && text.contains("UBND xã Pờ Tó\tCHƯA LẬP KẾ HOẠCH sau một tháng"), "{text}");

    // The amendment: a task added for the communes, task 2 re-dated.
    let t4 = add_task(
        &district,
        &plan,
        "4",
        "Thu nhận hồ sơ cấp căn cước",
        "UBND cấp xã",
        "Công an huyện",
        "Trong tháng 9/2023",
    );
    kehoach(&district, &["task", "edit", &t2, "--due-text", "Trong quý III/2023"]).success();
    let out = json(&district, &[&publish[..], &communes[..]].concat());
    assert_eq!(out["version"], 2, "{out}");
    // Publishing again with nothing changed keeps the version.
    let again = json(
        &district,
        &["plan", "publish", &plan, "--out", s(&d.join("lai.json")), "--commune", &ia_tul.commune, "--json"],
    );
    assert_eq!(again["version"], 2);

    // Each commune sees exactly the added task and the re-dated one.
    let got = json(&chu_rang.db, &["plan", "receive", "--hub", &hub.url, "--json"]);
    let ch = &got[0]["changes"];
    assert_eq!((ch["added"].as_array().unwrap().len(), ch["redated"].as_array().unwrap().len()), (1, 1), "{got}");
    assert!(ch["removed"].as_array().unwrap().is_empty() && ch["changed"].as_array().unwrap().is_empty(), "{got}");
    assert_eq!(ch["added"][0]["id"], t4.as_str());
    assert_eq!(ch["redated"][0][1]["id"], t2.as_str());
    // Nothing in the commune's plan changed without its officer.
    let untouched = tasks_of(&chu_rang.db, &chu_rang_plan);
    assert_eq!(untouched.len(), 2);
    assert_eq!(untouched[1]["deadline"], "2023-06-30");

    for (pc, mine) in [(&chu_rang, &chu_rang_plan), (&ia_tul, &ia_tul_plan)] {
        if pc.db == ia_tul.db {
            kehoach(&pc.db, &["plan", "receive", s(&file.with_file_name("lai.json"))]).success();
        }
        let a = json(&pc.db, &["plan", "changes", mine, "--json"]);
        let kinds: Vec<&str> = a["items"].as_array().unwrap().iter().map(|i| i["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds, ["added", "redated"], "{a}");
        assert!(a["items"].as_array().unwrap().iter().all(|i| i["selected"] == true), "{a}");
        assert_eq!(a["items"][0]["proposed"]["lead"], serde_json::json!(["UBND xã"]));
        kehoach(&pc.db, &["plan", "carry", mine, "--defaults"]).success();
        let after = tasks_of(&pc.db, mine);
        assert_eq!(after.len(), 3);
        assert_eq!(after[1]["deadline"], "2023-09-30", "re-dated");
        assert_eq!(
            (after[2]["parent_task"].as_str(), after[2]["deadline"].as_str()),
            (Some(t4.as_str()), Some("2023-09-30"))
        );
        let shown = json(&pc.db, &["plan", "show", mine, "--json"]);
        assert_eq!(shown["plan"]["parent"]["version"], 2);
        let a = json(&pc.db, &["plan", "changes", mine, "--json"]);
        assert!(a.is_null(), "up to date: {a}");
    }
    // Pờ Tó holds version 2 too, and still has no plan of its own.
    let got = json(&po_to.db, &["plan", "receive", "--hub", &hub.url, "--json"]);
    assert_eq!(got[0]["version"], 2);
    assert!(json(&po_to.db, &["plan", "list", "--json"]).as_array().unwrap().is_empty());
}

/// The district's document, as the commune gets it on paper or by e-mail.
const DISTRICT_DOC: &str = "ỦY BAN NHÂN DÂN HUYỆN IA PA\nSố: 39/KH-UBND\nIa Pa, ngày 20 tháng 3 năm 2023\nKẾ HOẠCH\n\
Triển khai Đề án 06 năm 2023 trên địa bàn huyện\nI. MỤC ĐÍCH, YÊU CẦU\nTriển khai đồng bộ các nhiệm vụ.\n\
II. NHIỆM VỤ\n1. Rà soát, làm sạch dữ liệu dân cư.\nĐơn vị thực hiện: UBND các xã, thị trấn.\n\
Thời gian hoàn thành: Quý II/2023 đối với cấp huyện, quý III/2023 đối với cấp xã.\n\
2. Tổng hợp báo cáo UBND tỉnh.\nĐơn vị thực hiện: Phòng Tư pháp huyện.\nThời gian hoàn thành: Trong tháng 12/2023.\n\
III. TỔ CHỨC THỰC HIỆN\nCác cơ quan, đơn vị triển khai thực hiện.\n";

#[test]
fn an_imported_document_is_the_same_plan_as_its_later_publication() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let doc = d.join("kh-39.txt");
    std::fs::write(&doc, DISTRICT_DOC).unwrap();

    // The commune imports the district's document and derives its plan from it at once.
    let xa = d.join("xa.sqlite3");
    setup_chu_rang(&xa, "Lê Văn A");
    kehoach(&xa, &["device", "found"]).success();
    let p = json(&xa, &["plan", "import", s(&doc), "--derive", "--dry-run", "--json"]);
    assert_eq!(p["tasks"].as_array().unwrap().len(), 1, "{p}");
    assert_eq!(
        (p["parent"]["number"].as_str(), p["parent"]["date"].as_str()),
        (Some("39/KH-UBND"), Some("2023-03-20"))
    );
    let mine = json(&xa, &["plan", "import", s(&doc), "--derive", "--json"]);
    let mine = mine["id"].as_str().unwrap().to_string();
    let tasks = tasks_of(&xa, &mine);
    assert_eq!((tasks.len(), tasks[0]["parent_ref"].as_str()), (1, Some("1")));
    assert_eq!((tasks[0]["lead"][0].as_str(), tasks[0]["deadline"].as_str()), (Some("UBND xã"), Some("2023-09-30")));
    assert_eq!(
        json(&xa, &["plan", "list", "--json"]).as_array().unwrap().len(),
        1,
        "the district's plan is not the commune's"
    );

    // Later the district publishes the same document as a plan: recognised by number and date.
    let huyen = d.join("huyen.sqlite3");
    let setup = ["setup", "--commune", "UBND huyện Ia Pa", "--parent", "UBND tỉnh Gia Lai", "--place", "Ia Pa"];
    kehoach(&huyen, &[&setup[..], &["--signer", "Nguyễn Văn B"]].concat()).success();
    let plan = json(&huyen, &["plan", "import", s(&doc), "--json"])["id"].as_str().unwrap().to_string();
    let commune = json(&xa, &["device", "list", "--json"])["commune"].as_str().unwrap().to_string();
    let file = d.join("kh.json");
    kehoach(&huyen, &["plan", "publish", &plan, "--out", s(&file), "--commune", &commune]).success();
    kehoach(&xa, &["plan", "receive", s(&file), "--accept"]).success();
    let up = json(&xa, &["plan", "upstream", "--json"]);
    assert_eq!(up[0]["derived"], serde_json::json!([mine]), "{up}");
    let text = stdout(kehoach(&xa, &["plan", "upstream"]));
    assert!(text.contains("đã lập kế hoạch của xã"), "{text}");

    // At the district its task counts as taken on (by the task's number).
    let bundle = d.join("xa.kehoach");
    kehoach(&xa, &["sync", "export", "--out", s(&bundle)]).success();
    kehoach(&huyen, &["rollup", "import", s(&bundle)]).success();
    let c = json(&huyen, &["plan", "coverage", &plan, "--json"]);
    assert_eq!((row(&c, "1")["covered"].as_u64(), row(&c, "1")["expected"].as_u64()), (Some(1), Some(1)), "{c}");
    assert_eq!(c["rows"].as_array().unwrap().len(), 1, "{c}");
    assert_eq!(derivation(&c, &commune)["plan"], mine.as_str());
}
