//! Shared fixtures: a realistic monthly Đề án 06 report, and helpers that run poppler.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{DateTime, FixedOffset, TimeZone};
use kehoach_report::*;
use unicode_normalization::UnicodeNormalization;

pub fn created() -> DateTime<FixedOffset> {
    FixedOffset::east_opt(7 * 3600).unwrap().with_ymd_and_hms(2023, 4, 7, 8, 30, 0).unwrap()
}

pub fn header() -> Header {
    Header {
        parent_body: "UBND huyện Ia Pa".into(),
        issuing_body: "Ủy ban nhân dân\nxã Chư Răng".into(),
        number: "24/BC-UBND".into(),
        place: "Chư Răng".into(),
        date: DocDate { year: 2023, month: 4, day: 7 },
    }
}

pub fn signature() -> Signature {
    Signature {
        authority: "TM. Ủy ban nhân dân".into(), title: "Chủ tịch".into(), name: "Ksor Y Phương".into()
    }
}

pub fn task_columns() -> Vec<Column> {
    vec![
        Column { title: "STT".into(), width: ColumnWidth::Mm(11.0), align: Align::Center },
        Column { title: "Nhiệm vụ".into(), width: ColumnWidth::Weight(3.0), align: Align::Left },
        Column { title: "Đơn vị chủ trì".into(), width: ColumnWidth::Weight(1.4), align: Align::Left },
        Column { title: "Thời gian hoàn thành".into(), width: ColumnWidth::Weight(1.3), align: Align::Center },
        Column { title: "Kết quả".into(), width: ColumnWidth::Weight(1.2), align: Align::Left },
    ]
}

fn p(s: &str) -> Block {
    Block::Paragraph(s.into())
}
fn h(s: &str) -> Block {
    Block::Heading(s.into())
}

/// A monthly report as a commune would send it, parts I–V and an appendix of tasks.
pub fn monthly_report() -> Document {
    let rows: Vec<Vec<String>> = [
        [
            "1",
            "Ban hành Kế hoạch triển khai Đề án 06 năm 2023 trên địa bàn xã",
            "Công an xã",
            "Trong tháng 01/2023",
            "Đã hoàn thành",
        ],
        [
            "2",
            "Kiện toàn Tổ công tác triển khai Đề án 06 cấp xã và ban hành quy chế hoạt động",
            "Văn phòng – Thống kê",
            "Trong quý I/2023",
            "Đã hoàn thành",
        ],
        [
            "3",
            "Thu nhận hồ sơ cấp thẻ Căn cước công dân gắn chip cho công dân đủ 14 tuổi trở lên",
            "Công an xã",
            "Thường xuyên",
            "Đang thực hiện (đạt 96,8%)",
        ],
        [
            "4",
            "Kích hoạt tài khoản định danh điện tử mức độ 2 trên ứng dụng VNeID",
            "Công an xã",
            "Trong quý II/2023",
            "Đang thực hiện (1.284 tài khoản)",
        ],
        [
            "5",
            "Hướng dẫn người dân nộp hồ sơ 25 dịch vụ công thiết yếu trên Cổng dịch vụ công quốc gia",
            "Bộ phận Tiếp nhận và Trả kết quả",
            "Thường xuyên",
            "Đang thực hiện",
        ],
        [
            "6",
            "Làm sạch dữ liệu hộ tịch, đồng bộ với Cơ sở dữ liệu quốc gia về dân cư",
            "Tư pháp – Hộ tịch",
            "Trong tháng 3/2023",
            "Chậm tiến độ",
        ],
        [
            "7",
            "Chi trả an sinh xã hội không dùng tiền mặt cho đối tượng bảo trợ xã hội",
            "Lao động – Thương binh và Xã hội",
            "6 tháng đầu năm",
            "Đang thực hiện",
        ],
        [
            "8",
            "Tuyên truyền về lợi ích của tài khoản định danh điện tử trên hệ thống truyền thanh xã",
            "Văn hóa – Thông tin",
            "Thường xuyên",
            "Đã thực hiện 12 buổi",
        ],
        [
            "9",
            "Rà soát, bổ sung thông tin về đất đai, nhà ở vào cơ sở dữ liệu dân cư",
            "Địa chính – Xây dựng",
            "Sau khi có hướng dẫn của Bộ Công an",
            "Chưa thực hiện",
        ],
        [
            "10",
            "Bảo đảm hạ tầng, thiết bị kết nối tại Bộ phận một cửa; bố trí máy tính cho người dân tự nộp hồ sơ",
            "Văn phòng – Thống kê",
            "Trong quý I/2023 và duy trì thường xuyên",
            "Đã hoàn thành",
        ],
        [
            "11",
            "Bảo đảm an ninh, an toàn thông tin khi khai thác dữ liệu dân cư",
            "Công an xã",
            "Thường xuyên",
            "Đang thực hiện",
        ],
        [
            "12",
            "Báo cáo kết quả thực hiện Đề án 06 hằng tháng về UBND huyện (qua Công an huyện)",
            "Công an xã",
            "Trước ngày 12 hằng tháng",
            "Đúng hạn",
        ],
    ]
    .iter()
    .map(|r| r.iter().map(|s| s.to_string()).collect())
    .collect();

    Document {
        header: header(),
        doc_type: "Báo cáo".into(),
        title: "Kết quả thực hiện Đề án phát triển ứng dụng dữ liệu về dân cư, định danh và xác thực điện tử (Đề án 06) tháng 3 năm 2023".into(),
        blocks: vec![
            p("Thực hiện Kế hoạch số 39/KH-UBND ngày 20/03/2023 của UBND huyện Ia Pa về triển khai Đề án phát triển ứng dụng dữ liệu về dân cư, định danh và xác thực điện tử phục vụ chuyển đổi số quốc gia giai đoạn 2022 – 2025, tầm nhìn đến năm 2030 trên địa bàn huyện năm 2023; Ủy ban nhân dân xã Chư Răng báo cáo kết quả thực hiện tháng 3 năm 2023 như sau:"),
            h("I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH"),
            p("Ủy ban nhân dân xã đã ban hành Kế hoạch số 05/KH-UBND ngày 10/01/2023 triển khai Đề án 06 trên địa bàn xã năm 2023; Quyết định số 12/QĐ-UBND ngày 16/01/2023 kiện toàn Tổ công tác triển khai Đề án 06 cấp xã, do đồng chí Chủ tịch UBND xã làm Tổ trưởng, Trưởng Công an xã làm Tổ phó thường trực."),
            p("Tổ công tác tổ chức họp giao ban định kỳ vào ngày 25 hằng tháng để đánh giá tiến độ, phân công nhiệm vụ cụ thể cho từng thành viên, gắn trách nhiệm người đứng đầu các bộ phận chuyên môn với kết quả thực hiện."),
            h("II. KẾT QUẢ THỰC HIỆN"),
            h("1. Nhóm tiện ích phục vụ giải quyết thủ tục hành chính và cung cấp dịch vụ công trực tuyến"),
            p("Trong tháng, Bộ phận Tiếp nhận và Trả kết quả xã tiếp nhận 214 hồ sơ thủ tục hành chính, trong đó 131 hồ sơ nộp trực tuyến (đạt 61,2%), tăng 8,4% so với tháng trước; 100% hồ sơ được giải quyết đúng hạn. Đã khai thác thông tin công dân trên Cơ sở dữ liệu quốc gia về dân cư thay cho việc yêu cầu xuất trình sổ hộ khẩu giấy theo 07 phương thức."),
            h("2. Nhóm tiện ích phục vụ phát triển kinh tế – xã hội"),
            p("Phối hợp với Bưu điện văn hóa xã hướng dẫn 46 đối tượng bảo trợ xã hội mở tài khoản để nhận trợ cấp không dùng tiền mặt; phối hợp với Ngân hàng Chính sách xã hội rà soát thông tin khách hàng vay vốn bằng số định danh cá nhân."),
            h("3. Nhóm tiện ích phục vụ phát triển công dân số"),
            p("Công an xã thu nhận 152 hồ sơ cấp thẻ Căn cước công dân gắn chip, lũy kế đạt 96,8% số công dân đủ điều kiện; thu nhận 318 hồ sơ đăng ký tài khoản định danh điện tử, trong đó 274 tài khoản mức độ 2 đã được kích hoạt. Tổ chức 04 đợt cấp lưu động tại các làng Ơi Khê, Bôn Chư Răng, Plei Ring và Ia Ptao cho người cao tuổi, người khuyết tật."),
            h("4. Nhóm tiện ích hoàn thiện hệ sinh thái, làm giàu dữ liệu dân cư"),
            p("Tư pháp – Hộ tịch rà soát 1.062 trường hợp đăng ký khai sinh, kết hôn, khai tử có sai lệch với Cơ sở dữ liệu quốc gia về dân cư; đã điều chỉnh 845 trường hợp, còn 217 trường hợp đang xác minh."),
            h("5. Nhóm tiện ích phục vụ chỉ đạo, điều hành"),
            p("Duy trì báo cáo số liệu định kỳ trên hệ thống báo cáo của tỉnh; sử dụng số liệu dân cư để phục vụ công tác rà soát hộ nghèo, hộ cận nghèo và lập danh sách cử tri."),
            h("III. TỒN TẠI, HẠN CHẾ, KHÓ KHĂN, VƯỚNG MẮC"),
            p("- Đường truyền Internet tại một số làng không ổn định, người dân ở xa trung tâm chưa có điện thoại thông minh nên việc kích hoạt tài khoản định danh điện tử còn chậm."),
            p("- Việc làm sạch dữ liệu hộ tịch chậm so với kế hoạch do sổ hộ tịch giai đoạn trước năm 2000 bị hư hỏng, thông tin không đầy đủ."),
            h("IV. PHƯƠNG HƯỚNG, NHIỆM VỤ THÁNG 4 NĂM 2023"),
            p("- Tiếp tục thu nhận hồ sơ cấp thẻ Căn cước công dân và tài khoản định danh điện tử, phấn đấu đến ngày 30/4/2023 đạt 100% công dân đủ tuổi được cấp thẻ."),
            p("- Hoàn thành việc làm sạch dữ liệu hộ tịch còn tồn đọng; đẩy mạnh hướng dẫn người dân sử dụng dịch vụ công trực tuyến mức độ 4."),
            h("V. ĐỀ XUẤT, KIẾN NGHỊ"),
            p("Đề nghị UBND huyện quan tâm bố trí kinh phí trang bị thêm 02 máy tính và 01 máy quét tài liệu cho Bộ phận Tiếp nhận và Trả kết quả xã; Công an huyện tăng cường hỗ trợ kỹ thuật kích hoạt tài khoản định danh điện tử tại các làng vùng sâu."),
            p("Trên đây là báo cáo kết quả thực hiện Đề án 06 tháng 3 năm 2023 của Ủy ban nhân dân xã Chư Răng./."),
        ],
        recipients: vec![
            "UBND huyện Ia Pa (b/c)".into(),
            "Công an huyện Ia Pa (b/c)".into(),
            "TT Đảng ủy, TT HĐND xã".into(),
            "CT, các PCT UBND xã".into(),
            "Thành viên Tổ công tác 06 xã".into(),
            "Lưu: VT, CA.".into(),
        ],
        signature: signature(),
        appendices: vec![Appendix {
            label: "Phụ lục".into(),
            title: "Tình hình thực hiện nhiệm vụ Đề án 06 tháng 3 năm 2023".into(),
            note: "(Kèm theo Báo cáo số 24/BC-UBND ngày 07/4/2023 của UBND xã Chư Răng)".into(),
            blocks: vec![Block::Table(Table { columns: task_columns(), rows })],
        }],
    }
}

pub fn out_dir(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

pub fn write_pdf(dir: &Path, doc: &Document) -> PathBuf {
    let bytes = render_pdf(doc, created()).expect("renders");
    let path = dir.join("report.pdf");
    std::fs::write(&path, bytes).unwrap();
    path
}

pub fn run(cmd: &str, args: &[&str]) -> String {
    let out =
        Command::new(cmd).args(args).output().unwrap_or_else(|e| panic!("{cmd}: {e} (apt-get install poppler-utils)"));
    assert!(out.status.success(), "{cmd} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8 output")
}

pub fn page_count(pdf: &Path) -> usize {
    let info = run("pdfinfo", &[pdf.to_str().unwrap()]);
    info.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap()
}

/// The text of one page (1-based), as pdftotext reads it.
pub fn page_text(pdf: &Path, page: usize) -> String {
    let n = page.to_string();
    run("pdftotext", &["-f", &n, "-l", &n, "-enc", "UTF-8", pdf.to_str().unwrap(), "-"])
}

/// Words after NFC, whitespace collapsed.
pub fn words(s: &str) -> Vec<String> {
    s.nfc().collect::<String>().split_whitespace().map(str::to_string).collect()
}

/// Whether `needle` occurs as a contiguous run in `hay`.
pub fn contains_run(hay: &[String], needle: &[String]) -> bool {
    needle.is_empty() || hay.windows(needle.len()).any(|w| w == needle)
}

/// One text line as `pdftotext -bbox-layout` reports it: page (1-based), box in points from
/// the top-left corner, and its words.
#[derive(Debug, Clone)]
pub struct BoxLine {
    pub page: usize,
    pub x_min: f64,
    pub y_min: f64,
    pub x_max: f64,
    pub y_max: f64,
    pub words: Vec<String>,
}

fn attr(tag: &str, name: &str) -> f64 {
    let key = format!("{name}=\"");
    let start = tag.find(&key).unwrap() + key.len();
    let end = start + tag[start..].find('"').unwrap();
    tag[start..end].parse().unwrap()
}

pub fn box_lines(pdf: &Path) -> Vec<BoxLine> {
    let xml = run("pdftotext", &["-bbox-layout", "-enc", "UTF-8", pdf.to_str().unwrap(), "-"]);
    let mut out: Vec<BoxLine> = Vec::new();
    let mut page = 0;
    for raw in xml.lines() {
        let t = raw.trim();
        if t.starts_with("<page ") {
            page += 1;
        } else if t.starts_with("<line ") {
            out.push(BoxLine {
                page,
                x_min: attr(t, "xMin"),
                y_min: attr(t, "yMin"),
                x_max: attr(t, "xMax"),
                y_max: attr(t, "yMax"),
                words: Vec::new(),
            });
        } else if t.starts_with("<word ") {
            let text = &t[t.find('>').unwrap() + 1..t.rfind("</word>").unwrap()];
            let text = text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"");
            out.last_mut().unwrap().words.push(text);
        }
    }
    out
}
