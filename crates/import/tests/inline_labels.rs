//! Labels wherever they stand in a task: after its sentence with or without a space, separated
//! by "." or ";", with the synonyms plans use; umbrella items over sub-items stay headings.

use kehoach_import::{parse_text, DueKind};

const HEAD: &str = "ỦY BAN NHÂN DÂN\nXÃ AN BÌNH\nSố: 12/KH-UBND\nAn Bình, ngày 02 tháng 3 năm 2024\nKẾ HOẠCH\nThực hiện Đề án 06 năm 2024\nII. NHIỆM VỤ CỤ THỂ\n";

#[test]
fn labels_after_the_sentence_in_every_spelling() {
    let text = format!(
        "{HEAD}1. Công tác chỉ đạo\n\
         1.1. Ban hành Quyết định kiện toàn Tổ công tác Đề án 06 của xã.Chủ trì: Công an xã; Phối hợp: Văn phòng – Thống kê xã; Thời hạn: Quý I/2024.\n\
         1.2. Rà soát, cập nhật dữ liệu hộ tịch lên Cơ sở dữ liệu quốc gia về dân cư. Đơn vị thực hiện: Tư pháp – Hộ tịch xã. Đơn vị theo dõi, đôn đốc: Văn phòng – Thống kê xã. Thời hạn hoàn thành: Trong tháng 5/2024. Sản phẩm: Báo cáo kết quả rà soát. Kinh phí: Ngân sách xã.\n\
         1.3. Tuyên truyền, hướng dẫn người dân kích hoạt tài khoản định danh điện tử; Cơ quan chủ trì: Công an xã; Thời gian thực hiện: Thường xuyên.\n"
    );
    let p = parse_text(&text);
    assert_eq!(p.tasks.len(), 3, "{:#?}", p.tasks);
    let t = &p.tasks[0];
    assert_eq!(t.text, "Ban hành Quyết định kiện toàn Tổ công tác Đề án 06 của xã.");
    assert_eq!(t.lead, vec!["Công an xã"]);
    assert_eq!(t.coord, vec!["Văn phòng – Thống kê xã"]);
    assert!(matches!(t.due.kind, DueKind::Quarter { year: 2024, quarter: 1 }), "{:?}", t.due);
    let t = &p.tasks[1];
    assert_eq!(t.text, "Rà soát, cập nhật dữ liệu hộ tịch lên Cơ sở dữ liệu quốc gia về dân cư.");
    assert_eq!(t.lead, vec!["Tư pháp – Hộ tịch xã"]);
    assert_eq!(t.monitor, vec!["Văn phòng – Thống kê xã"]);
    assert!(matches!(t.due.kind, DueKind::Month { year: 2024, month: 5 }), "{:?}", t.due);
    // The money is not the product: each has its own field.
    assert_eq!(t.product.as_deref(), Some("Báo cáo kết quả rà soát"));
    assert_eq!(t.budget.as_deref(), Some("Ngân sách xã"));
    let t = &p.tasks[2];
    assert_eq!(t.text, "Tuyên truyền, hướng dẫn người dân kích hoạt tài khoản định danh điện tử");
    assert_eq!(t.lead, vec!["Công an xã"]);
    assert_eq!(t.due.kind, DueKind::Recurring);
}

#[test]
fn an_umbrella_over_sub_items_is_a_heading_and_lends_its_units() {
    let text = format!(
        "{HEAD}2. Dữ liệu dân cư\n\
         - Làm sạch dữ liệu dân cư trên địa bàn xã. Trong đó:\n\
         + Đối soát dữ liệu người có công với Cơ sở dữ liệu quốc gia về dân cư. Cơ quan thực hiện: Công chức Lao động – Thương binh và Xã hội xã chủ trì, phối hợp với Công an xã. Thời gian hoàn thành: Trong quý II/2024.\n\
         + Đối soát dữ liệu bảo hiểm y tế với Cơ sở dữ liệu quốc gia về dân cư. Cơ quan thực hiện: Công an xã. Thời gian hoàn thành: Trong quý III/2024.\n"
    );
    let p = parse_text(&text);
    assert_eq!(p.tasks.len(), 2, "{:#?}", p.tasks);
    assert!(p.tasks.iter().all(|t| !t.text.starts_with("Làm sạch")));
    assert_eq!(p.tasks[0].lead, vec!["Công chức Lao động – Thương binh và Xã hội xã"]);
    assert_eq!(p.tasks[0].coord, vec!["Công an xã"]);
    assert!(matches!(p.tasks[1].due.kind, DueKind::Quarter { year: 2024, quarter: 3 }));
}

#[test]
fn a_lowercase_time_word_in_a_sentence_is_not_a_label() {
    let text = format!(
        "{HEAD}1. Rà soát hồ sơ, rút ngắn thời gian: giải quyết thủ tục cho người dân. Cơ quan thực hiện: Văn phòng – Thống kê xã. Thời gian hoàn thành: Trong tháng 6/2024.\n"
    );
    let p = parse_text(&text);
    assert_eq!(p.tasks.len(), 1);
    assert_eq!(p.tasks[0].text, "Rà soát hồ sơ, rút ngắn thời gian: giải quyết thủ tục cho người dân.");
    assert_eq!(p.tasks[0].lead, vec!["Văn phòng – Thống kê xã"]);
}

/// An assignment table's "Nguồn kinh phí thực hiện" column is the budget, not a lead unit
/// (its header says "thực hiện").
#[test]
fn a_budget_column_is_no_unit() {
    let text = format!(
        "{HEAD}STT\tNội dung\tĐơn vị chủ trì\tThời gian hoàn thành\tNguồn kinh phí thực hiện\n\
         1\tTrang bị máy đọc thẻ căn cước cho Bộ phận Một cửa xã\tVăn phòng – Thống kê xã\tQuý II/2024\tNgân sách xã\n"
    );
    let p = parse_text(&text);
    assert_eq!(p.tasks.len(), 1, "{:#?}", p.tasks);
    assert_eq!(p.tasks[0].lead, vec!["Văn phòng – Thống kê xã"]);
    assert_eq!(p.tasks[0].budget.as_deref(), Some("Ngân sách xã"));
    assert_eq!(p.tasks[0].product, None);
}
