//! Writes a commune's data file with N tasks (default 10,000) in 10 plans, through the same
//! import path as the app, for measuring the app on a big commune (scripts/bench-startup.sh):
//! `cargo run -p kehoach-core --example many_tasks -- FILE [N]`.

use std::path::PathBuf;

use kehoach_core::Store;
use kehoach_model::{DocHeader, Due, ImportedPlan, ImportedTask};

const SECTIONS: &[&str] = &[
    "1. Nhóm tiện ích phục vụ giải quyết thủ tục hành chính và cung cấp dịch vụ công trực tuyến",
    "2. Nhóm tiện ích phục vụ phát triển kinh tế, xã hội",
    "3. Nhóm tiện ích phục vụ phát triển công dân số",
    "6. Nhiệm vụ chung",
];
const OBJECTS: &[&str] = &[
    "Hướng dẫn kích hoạt tài khoản định danh điện tử VNeID mức độ 2",
    "Rà soát, làm sạch dữ liệu dân cư theo tiêu chí đúng, đủ, sạch, sống",
    "Tuyên truyền đăng ký khai sinh trực tuyến cho trẻ em dưới 6 tuổi",
    "Đôn đốc chi trả an sinh xã hội không dùng tiền mặt",
];
const PLACES: &[&str] = &["thôn Plei Pa", "thôn Bi Giông", "làng Chư Răng", "trạm y tế xã"];
const UNITS: &[&str] = &["Công an xã", "Văn phòng – Thống kê", "Tư pháp – Hộ tịch", "Bộ phận một cửa"];

fn main() {
    let mut args = std::env::args().skip(1);
    let path = PathBuf::from(args.next().expect("usage: many_tasks FILE [N]"));
    let n: usize = args.next().map(|s| s.parse().expect("N: a number")).unwrap_or(10_000);
    let mut store = Store::open(&path).expect("open the data file");
    let plans = 10;
    for p in 0..plans {
        let tasks = (0..n / plans)
            .map(|k| {
                let i = p * (n / plans) + k;
                let month = 1 + (i % 12) as u32;
                ImportedTask {
                    section: Some(SECTIONS[i % SECTIONS.len()].into()),
                    text: format!("{} tại {} (đợt {i})", OBJECTS[i % OBJECTS.len()], PLACES[(i / 7) % PLACES.len()]),
                    lead: vec![UNITS[i % UNITS.len()].into()],
                    time_text: Some(format!("Trong tháng {month}/2023")),
                    due: serde_json::from_value::<Due>(
                        serde_json::json!({"kind": "month", "year": 2023, "month": month}),
                    )
                    .expect("a month deadline"),
                    ..Default::default()
                }
            })
            .collect();
        let plan = ImportedPlan {
            doc: DocHeader {
                number: Some(format!("{}/KH-UBND", 20 + p)),
                date: Some("2023-01-05".into()),
                title: Some(format!("Kế hoạch triển khai Đề án 06 năm 2023, phần {}", p + 1)),
                ..Default::default()
            },
            tasks,
            ..Default::default()
        };
        kehoach_core::import_plan(&mut store, &plan).expect("import the plan");
    }
    println!("{n} tasks in {plans} plans: {}", path.display());
}
