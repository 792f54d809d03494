//! Test fixtures: a throwaway PKI made with the openssl command, a rendered kehoach report,
//! and poppler's pdfsig.
#![allow(dead_code)]

pub mod tsa;

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{DateTime, FixedOffset, TimeZone};
use kehoach_report::*;

pub const P12_PASSWORD: &str = "mật-khẩu 2023";

pub fn now() -> DateTime<FixedOffset> {
    chrono::Utc::now().with_timezone(&FixedOffset::east_opt(7 * 3600).unwrap())
}

fn run(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl").args(args).current_dir(dir).output().expect("openssl runs");
    assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// A CA (`ca.pem`), a signer certificate issued by it (valid now), its PKCS#12 with
/// [`P12_PASSWORD`], a second signer (the Chairman), an expired and a not-yet-valid certificate
/// made with `openssl ca -startdate/-enddate`, and a self-signed one (`selfsigned.p12`).
pub struct Pki {
    pub dir: tempfile::TempDir,
}

impl Pki {
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
    pub fn p12(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.path(&format!("{name}.p12"))).unwrap()
    }
}

const EXT: &str = "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n";
const CA_CNF: &str = "[ca]\ndefault_ca=d\n[d]\ndatabase=index.txt\nnew_certs_dir=.\nserial=serial\ndefault_md=sha256\npolicy=p\nunique_subject=no\ncopy_extensions=none\nx509_extensions=e\n[p]\ncommonName=supplied\norganizationName=optional\ncountryName=optional\n[e]\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n";

fn person(d: &Path, name: &str, subject: &str) {
    run(
        d,
        &[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            &format!("{name}.key"),
            "-out",
            &format!("{name}.csr"),
            "-utf8",
            "-subj",
            subject,
        ],
    );
}

/// A person's certificate issued by the test CA in `d` for a year, with the extensions in the
/// file `ext_file` (in `d`): `<name>.pem`, and with its key and the CA's certificate, `<name>.p12`.
pub fn issue(d: &Path, name: &str, subject: &str, ext_file: &str) {
    person(d, name, subject);
    let (csr, pem, key, p12) =
        (format!("{name}.csr"), format!("{name}.pem"), format!("{name}.key"), format!("{name}.p12"));
    run(
        d,
        &[
            "x509",
            "-req",
            "-in",
            &csr,
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            &pem,
            "-days",
            "365",
            "-sha256",
            "-extfile",
            ext_file,
        ],
    );
    let pass = format!("pass:{P12_PASSWORD}");
    run(
        d,
        &[
            "pkcs12",
            "-export",
            "-inkey",
            &key,
            "-in",
            &pem,
            "-certfile",
            "ca.pem",
            "-out",
            &p12,
            "-passout",
            &pass,
            "-name",
            name,
        ],
    );
}

/// A person's certificate valid only from `start` to `end` (openssl's `ca` sets the dates
/// that `x509 -req` cannot), issued by the test CA in `d`, as `<name>.p12`.
fn dated(d: &Path, name: &str, subject: &str, start: &str, end: &str) {
    person(d, name, subject);
    let (csr, pem, p12) = (format!("{name}.csr"), format!("{name}.pem"), format!("{name}.p12"));
    run(
        d,
        &[
            "ca",
            "-batch",
            "-config",
            "ca.cnf",
            "-cert",
            "ca.pem",
            "-keyfile",
            "ca.key",
            "-in",
            &csr,
            "-out",
            &pem,
            "-startdate",
            start,
            "-enddate",
            end,
            "-notext",
            "-utf8",
        ],
    );
    run(
        d,
        &[
            "pkcs12",
            "-export",
            "-inkey",
            &format!("{name}.key"),
            "-in",
            &pem,
            "-certfile",
            "ca.pem",
            "-out",
            &p12,
            "-passout",
            &format!("pass:{P12_PASSWORD}"),
        ],
    );
}

pub fn pki() -> Pki {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("ext.cnf"), EXT).unwrap();
    std::fs::write(d.join("ca.cnf"), CA_CNF).unwrap();
    std::fs::write(d.join("index.txt"), "").unwrap();
    std::fs::write(d.join("serial"), "1000\n").unwrap();
    run(
        d,
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-days",
            "3650",
            "-utf8",
            "-subj",
            "/CN=Kehoach Test CA/O=Thử nghiệm/C=VN",
        ],
    );
    for (name, subject) in [
        ("officer", "/CN=Nguyễn Thị Bích Ngọc/O=UBND xã Chư Răng/C=VN"),
        ("chairman", "/CN=Ksor Y Phương/O=UBND xã Chư Răng/C=VN"),
    ] {
        issue(d, name, subject, "ext.cnf");
    }
    // Expired: valid through 2020 only. Not yet valid: from 2090.
    dated(d, "expired", "/CN=Trần Văn Cũ/O=UBND xã Chư Răng/C=VN", "20200101000000Z", "20201231000000Z");
    dated(d, "future", "/CN=Lê Văn Sau/O=UBND xã Chư Răng/C=VN", "20900101000000Z", "20901231000000Z");
    // Self-signed: a "Chủ tịch" certificate the signer made for himself (no authority issued it).
    run(
        d,
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "selfsigned.key",
            "-out",
            "selfsigned.pem",
            "-days",
            "365",
            "-utf8",
            "-subj",
            "/CN=Ksor Y Phương/O=UBND xã Chư Răng/C=VN",
            "-addext",
            "basicConstraints=critical,CA:FALSE",
            "-addext",
            "keyUsage=critical,digitalSignature,nonRepudiation",
        ],
    );
    run(
        d,
        &[
            "pkcs12",
            "-export",
            "-inkey",
            "selfsigned.key",
            "-in",
            "selfsigned.pem",
            "-out",
            "selfsigned.p12",
            "-passout",
            &format!("pass:{P12_PASSWORD}"),
        ],
    );
    Pki { dir }
}

/// A small monthly report rendered by kehoach.
pub fn report_pdf() -> Vec<u8> {
    let doc = Document {
        header: Header {
            parent_body: "UBND huyện Ia Pa".into(),
            issuing_body: "Ủy ban nhân dân\nxã Chư Răng".into(),
            number: "24/BC-UBND".into(),
            place: "Chư Răng".into(),
            date: DocDate { year: 2023, month: 4, day: 7 },
        },
        doc_type: "Báo cáo".into(),
        title: "Kết quả thực hiện Đề án 06 tháng 3 năm 2023".into(),
        blocks: vec![
            Block::Heading("I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH".into()),
            Block::Paragraph("Ủy ban nhân dân xã đã ban hành Kế hoạch số 05/KH-UBND ngày 10/01/2023 triển khai Đề án 06 trên địa bàn xã năm 2023.".into()),
            Block::Heading("II. KẾT QUẢ THỰC HIỆN".into()),
            Block::Paragraph("Trong tháng, Bộ phận Tiếp nhận và Trả kết quả xã tiếp nhận 214 hồ sơ thủ tục hành chính, trong đó 131 hồ sơ nộp trực tuyến (đạt 61,2%).".into()),
        ],
        recipients: vec!["UBND huyện Ia Pa".into(), "Công an huyện".into(), "Lưu: VT".into()],
        signature: Signature { authority: "TM. Ủy ban nhân dân".into(), title: "Chủ tịch".into(), name: "Ksor Y Phương".into() },
        appendices: vec![],
    };
    let created = FixedOffset::east_opt(7 * 3600).unwrap().with_ymd_and_hms(2023, 4, 7, 8, 30, 0).unwrap();
    render_pdf(&doc, created).expect("renders")
}

/// pdfsig's output for `pdf` (written to a temporary file).
pub fn pdfsig(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("signed.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdfsig").arg(&path).output().expect("pdfsig (poppler-utils) is installed");
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

/// How many signatures pdfsig calls valid / invalid.
pub fn pdfsig_counts(out: &str) -> (usize, usize) {
    let valid = out.matches("Signature Validation: Signature is Valid.").count();
    let total = out.matches("Signature Validation:").count();
    (valid, total - valid)
}

/// Flips one byte inside the first signed range, in a stream's data (so the file still parses).
pub fn tamper(pdf: &[u8]) -> Vec<u8> {
    let mut out = pdf.to_vec();
    let at = out.windows(7).position(|w| w == b"stream\n").expect("a stream") + 40;
    out[at] ^= 0x01;
    out
}

/// A data file in a temporary directory with a complete, saved monthly report (version 2).
pub fn saved_report() -> (tempfile::TempDir, kehoach_core::Store, kehoach_model::ReportDraft) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = kehoach_core::Store::open(&dir.path().join("k.sqlite3")).unwrap();
    kehoach_core::save_settings(
        &mut store,
        &kehoach_model::Settings {
            commune: Some("UBND xã Chư Răng".into()),
            parent: Some("UBND huyện Ia Pa".into()),
            place: Some("Chư Răng".into()),
            signer: Some("Ksor Y Phương".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let plan = kehoach_core::create_plan(
        &mut store,
        &kehoach_model::NewPlan { title: "Kế hoạch 06".into(), ..Default::default() },
    )
    .unwrap();
    kehoach_core::add_task(
        &mut store,
        &kehoach_model::NewTask { plan_id: plan.id, text: "Cấp thẻ căn cước".into(), ..Default::default() },
    )
    .unwrap();
    let mut d = kehoach_core::reports::draft_report(
        &mut store,
        plan.id,
        &kehoach_core::reports::parse_period("2023-03").unwrap(),
        Some("2023-04-07"),
    )
    .unwrap();
    d.content.header.number = "24/BC-UBND".into();
    let d = kehoach_core::reports::save_report(&mut store, d.id, &d.content).unwrap();
    (dir, store, d)
}
