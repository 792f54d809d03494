//! `kehoach report sign|verify|tokens|trust`: digital signatures on report PDFs (kehoach_sign).
//!
//! A signed report is recorded on the report (SHA-256, signer, time, attachment path) through
//! `Store::commit`, and the signed PDF is copied to `<data dir>/attachments/<sha256>.pdf`.

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand};
use kehoach_core::Store;
use kehoach_sign::pkcs11::{discover_modules, list_tokens, TokenChoice};
use kehoach_sign::{
    Appearance, Check, CheckState, Integrity, P12Signer, Pkcs11Signer, Placement, SignOptions, Signer, TrustAnchors,
};

use crate::{parse_id, print};

#[derive(Args)]
pub struct SignArgs {
    /// The report's id (its PDF is rendered now); or give --input.
    pub id: Option<String>,
    /// Sign this kehoach report PDF instead of rendering one.
    #[arg(long, conflicts_with = "id")]
    pub input: Option<PathBuf>,
    /// Key and certificates from a PKCS#12 (.p12/.pfx) file...
    #[arg(long, conflicts_with = "pkcs11")]
    pub p12: Option<PathBuf>,
    /// ...whose password is in this environment variable.
    #[arg(long, requires = "p12")]
    pub password_env: Option<String>,
    /// Key on a token: the PKCS#11 module's path, or "auto" for the installed ones.
    #[arg(long)]
    pub pkcs11: Option<String>,
    /// The token's user PIN is in this environment variable (tried once, never retried).
    #[arg(long, requires = "pkcs11")]
    pub pin_env: Option<String>,
    /// The token's label, when several are plugged in.
    #[arg(long, requires = "pkcs11")]
    pub token_label: Option<String>,
    /// The certificate / key label on the token.
    #[arg(long, requires = "pkcs11")]
    pub key_label: Option<String>,
    /// Where to write the signed PDF.
    #[arg(long)]
    pub pdf: PathBuf,
    /// The signer's title shown in the signature (default: the report's).
    #[arg(long)]
    pub title: Option<String>,
    #[arg(long)]
    pub reason: Option<String>,
    #[arg(long)]
    pub location: Option<String>,
    /// auto (the signature block first, then the footer), block or footer.
    #[arg(long, default_value = "auto")]
    pub placement: String,
    /// An RFC 3161 time-stamping service (http://…) for a PAdES B-T signature. Unreachable
    /// (offline, 10 s timeout, HTTP error): signed B-B and said so. A wrong answer: refused.
    #[arg(long, value_name = "URL")]
    pub tsa: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct VerifyArgs {
    pub file: PathBuf,
    /// Also trust the root certificates of this file (PEM or DER) for this check only; to
    /// trust a root from now on, install it with `kehoach report trust add`.
    #[arg(long, value_name = "FILE")]
    pub root: Vec<PathBuf>,
    /// Do not ask the signer's authority (OCSP, CRL) about revocation (it is then "không
    /// kiểm tra được"); without it a PC that is offline says the same after the attempt.
    #[arg(long)]
    pub offline: bool,
    #[arg(long)]
    pub json: bool,
}

/// The root certificates this PC trusts for signatures, besides the operating system's.
#[derive(Subcommand)]
pub enum TrustCmd {
    /// Trust the root certificates of a file (PEM or DER), e.g. the national root CA of
    /// Vietnam's digital-signature system; kept on this PC only, never synced.
    Add {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// List the roots installed on this PC.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Stop trusting an installed root, named by the start of its SHA-256 fingerprint.
    Remove {
        fingerprint: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
pub struct TokensArgs {
    /// A module path; default: every module installed at the vendors' usual paths.
    #[arg(long)]
    pub pkcs11: Option<PathBuf>,
    #[arg(long)]
    pub json: bool,
}

fn module_path(arg: &str) -> Result<PathBuf> {
    if arg != "auto" {
        return Ok(PathBuf::from(arg));
    }
    for m in discover_modules() {
        if list_tokens(&m.path).map(|t| !t.is_empty()).unwrap_or(false) {
            return Ok(m.path);
        }
    }
    bail!("Không tìm thấy thiết bị ký số (USB token) nào trong các thư viện PKCS#11 đã cài. Hãy cắm token hoặc chỉ rõ --pkcs11 ĐƯỜNG_DẪN.")
}

#[derive(serde::Serialize)]
struct Signed {
    file: PathBuf,
    sha256: String,
    signer: String,
    attachment: Option<PathBuf>,
    level: String,
    /// Where the timestamp came from, or why there is none.
    note: String,
    timestamp: Option<kehoach_sign::TimestampInfo>,
}

pub fn sign(store: &mut Store, a: SignArgs) -> Result<()> {
    let now = chrono::Local::now().fixed_offset();
    let signer: Box<dyn Signer> = match (&a.p12, &a.pkcs11) {
        (Some(p12), None) => {
            let password =
                crate::env_secret(a.password_env.as_deref().unwrap_or("KEHOACH_P12_PASSWORD"), "mật khẩu tệp .p12")?;
            let bytes = std::fs::read(p12).with_context(|| format!("không đọc được tệp {}", p12.display()))?;
            Box::new(P12Signer::open(&bytes, &password)?)
        }
        (None, Some(module)) => {
            let pin = crate::env_secret(a.pin_env.as_deref().unwrap_or("KEHOACH_PIN"), "mã PIN")?;
            let choice = TokenChoice { token_label: a.token_label.clone(), key_label: a.key_label.clone() };
            Box::new(Pkcs11Signer::open(&module_path(module)?, &pin, &choice)?)
        }
        _ => bail!("cần --p12 TỆP hoặc --pkcs11 THƯ_VIỆN"),
    };
    let placement = match a.placement.as_str() {
        "auto" => Placement::Auto,
        "block" => Placement::SignatureBlock,
        "footer" => Placement::Footer,
        other => bail!("--placement phải là auto, block hoặc footer (không phải {other:?})"),
    };
    let out = match (&a.id, &a.input) {
        // A saved report: rendered, signed, kept and recorded (the same path as the app's).
        (Some(id), None) => {
            let opts = SignOptions {
                title: a.title.clone(),
                reason: a.reason.clone(),
                location: a.location.clone(),
                placement,
                tsa_url: a.tsa.clone(),
            };
            let r = kehoach_sign::sign_report(store, parse_id(id, "báo cáo")?, signer.as_ref(), &opts, now)?;
            std::fs::write(&a.pdf, &r.pdf).with_context(|| format!("không ghi được tệp {}", a.pdf.display()))?;
            Signed {
                file: a.pdf.clone(),
                sha256: r.sha256,
                signer: r.signer,
                attachment: Some(r.attachment),
                level: r.level,
                note: r.note,
                timestamp: r.timestamp,
            }
        }
        // A PDF file: signed as it is, nothing recorded.
        (None, Some(path)) => {
            let pdf = std::fs::read(path).with_context(|| format!("không đọc được tệp {}", path.display()))?;
            let appearance = Appearance {
                signer: String::new(),
                title: a.title.clone().unwrap_or_default(),
                organisation: String::new(),
                reason: a.reason.clone().unwrap_or_else(|| "Ký duyệt báo cáo".into()),
                location: a.location.clone().unwrap_or_default(),
                placement,
            };
            // Made in memory first: a refusal writes no file.
            let signed = kehoach_sign::sign_pdf_with(&pdf, signer.as_ref(), &appearance, now, a.tsa.as_deref())?;
            let sha256 = kehoach_sign::sha256_hex(&signed.pdf);
            let signer_name = kehoach_sign::summarize(&signer.certificates()[0]).common_name;
            std::fs::write(&a.pdf, &signed.pdf).with_context(|| format!("không ghi được tệp {}", a.pdf.display()))?;
            Signed {
                file: a.pdf.clone(),
                sha256,
                signer: signer_name,
                attachment: None,
                level: signed.level,
                note: signed.note,
                timestamp: signed.timestamp,
            }
        }
        _ => bail!("cần mã báo cáo hoặc --input TỆP.pdf"),
    };
    print(a.json, &out, |s| {
        format!(
            "Đã ký: {}\nNgười ký: {}\nSHA-256: {}\nMức chữ ký: {}\n{}",
            s.file.display(),
            s.signer,
            s.sha256,
            s.level,
            s.note
        )
    });
    Ok(())
}

/// The exit code of `verify` when a signature's bytes changed after signing (or its signature
/// value or timestamp does not verify).
pub const EXIT_MODIFIED: i32 = 2;
/// The exit code of `verify` when the bytes are intact but nobody trusted vouches for the
/// signer: the certificate does not chain to a trusted root (self-signed, or an unknown
/// issuer) or was not valid when it signed. An officer checks a report to accept it as signed
/// by the Chairman; a self-signed certificate says nothing about who signed, so exiting 0 would
/// be read as "the signature is good". A code of its own (not 2) lets a script tell "changed"
/// from "cannot tell who signed". A certificate found revoked before the signing time (or
/// without a timestamp to prove the signature came first) exits 3 too; revocation that could
/// not be checked (offline, no CRL named) is shown as "không kiểm tra được" and does not change
/// the code: it would fail every file checked without a network.
pub const EXIT_UNTRUSTED: i32 = 3;

fn check_line(label: &str, c: &Check) -> String {
    match c.state {
        CheckState::Ok => format!("  {label}: đạt — {}", c.message),
        CheckState::Failed => format!("  {label}: KHÔNG ĐẠT — {}", c.message),
        CheckState::Unknown => format!("  {label}: {}", c.message),
    }
}

pub fn verify(store: &Store, a: VerifyArgs) -> Result<()> {
    let pdf = std::fs::read(&a.file).with_context(|| format!("không đọc được tệp {}", a.file.display()))?;
    let mut anchors = TrustAnchors::for_store(store)?;
    if !a.offline {
        anchors = anchors.looking_up_revocation();
    }
    for root in &a.root {
        let bytes = std::fs::read(root).with_context(|| format!("không đọc được tệp {}", root.display()))?;
        anchors.add_file(&bytes)?;
    }
    let infos = kehoach_sign::verify_pdf_trusting(&pdf, &anchors, chrono::Utc::now())?;
    print(a.json, &infos, |infos| {
        if infos.is_empty() {
            return "Tệp không có chữ ký số.".into();
        }
        infos
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let state = match s.integrity {
                    Integrity::Intact if s.covers_whole_file => "nguyên vẹn".to_string(),
                    Integrity::Intact => "nguyên vẹn (sau lần ký này tệp chỉ có thêm chữ ký khác)".to_string(),
                    Integrity::Modified => format!("ĐÃ BỊ SỬA sau khi ký — {}", s.problem),
                };
                let stamp = match &s.timestamp {
                    None => "không có (thời điểm ký theo đồng hồ máy tính của người ký)".to_string(),
                    Some(t) if t.is_valid() => format!(
                        "{} — cấp bởi «{}», khớp với chữ ký{}",
                        chrono::DateTime::parse_from_rfc3339(&t.time)
                            .map(|d| d.format("%d/%m/%Y %H:%M:%S (UTC%:z)").to_string())
                            .unwrap_or_else(|_| t.time.clone()),
                        t.authority,
                        if t.signature_checked { "" } else { " (chưa kiểm tra được chữ ký của máy chủ: thuật toán chưa hỗ trợ)" }
                    ),
                    Some(t) => format!("KHÔNG HỢP LỆ — {}", t.problem),
                };
                let verdict = if s.is_trustworthy() {
                    match s.revocation.state {
                        CheckState::Ok => "chữ ký hợp lệ, do tổ chức được tin cậy cấp, có hiệu lực khi ký, chưa bị thu hồi",
                        _ => "chữ ký hợp lệ, do tổ chức được tin cậy cấp, có hiệu lực khi ký (chưa kiểm tra được việc thu hồi)",
                    }
                } else if s.integrity == Integrity::Modified || s.timestamp.as_ref().is_some_and(|t| !t.is_valid()) {
                    "KHÔNG HỢP LỆ — tệp đã bị sửa sau khi ký hoặc chữ ký không khớp"
                } else {
                    "KHÔNG ĐỦ TIN CẬY — nội dung nguyên vẹn nhưng không xác nhận được người ký hoặc chứng thư không còn giá trị (xem các dòng trên)"
                };
                format!(
                    "Chữ ký {}: {}\n  Người ký: {}\n  Thời gian ký: {}\n  Dấu thời gian: {}\n  Chứng thư hiệu lực: {} – {}\n  Tổ chức cấp: {}\n  Mức: {} ({})\n  Tình trạng: {}\n{}\n{}\n{}\n  Kết luận: {}",
                    i + 1,
                    s.field,
                    s.signer,
                    s.signing_time.as_deref().unwrap_or("-"),
                    stamp,
                    s.not_before,
                    s.not_after,
                    s.issuer,
                    s.level,
                    s.sub_filter,
                    state,
                    check_line("Chuỗi chứng thư", &s.trust),
                    check_line("Hiệu lực khi ký", &s.validity),
                    check_line("Thu hồi", &s.revocation),
                    verdict
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    });
    // A changed file, or a timestamp that does not belong to its signature, fails the check.
    if infos.iter().any(|s| s.integrity == Integrity::Modified || s.timestamp.as_ref().is_some_and(|t| !t.is_valid())) {
        std::process::exit(EXIT_MODIFIED);
    }
    if infos.iter().any(|s| !s.is_trustworthy()) {
        std::process::exit(EXIT_UNTRUSTED);
    }
    Ok(())
}

fn roots_text(roots: &[kehoach_sign::CertSummary]) -> String {
    roots
        .iter()
        .map(|c| format!("{}\n  Hiệu lực: {} – {}\n  SHA-256: {}", c.subject, c.not_before, c.not_after, c.sha256))
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn trust(store: &Store, cmd: TrustCmd) -> Result<()> {
    match cmd {
        TrustCmd::Add { file, json } => {
            let bytes = std::fs::read(&file).with_context(|| format!("không đọc được tệp {}", file.display()))?;
            let added = kehoach_sign::install_roots(store, &bytes)?;
            print(json, &added, |added| {
                if added.is_empty() {
                    "Các chứng thư gốc trong tệp đã được tin cậy từ trước; không có gì thay đổi.".into()
                } else {
                    format!("Từ nay máy này tin cậy chứng thư gốc:\n{}", roots_text(added))
                }
            });
        }
        TrustCmd::List { json } => {
            let roots = kehoach_sign::installed_roots(store)?;
            print(json, &roots, |roots| {
                if roots.is_empty() {
                    "Chưa cài chứng thư gốc nào; chỉ tin cậy kho chứng thư của hệ điều hành.".into()
                } else {
                    roots_text(roots)
                }
            });
        }
        TrustCmd::Remove { fingerprint, json } => {
            let gone = kehoach_sign::remove_roots(store, &fingerprint)?;
            print(json, &gone, |gone| format!("Đã thôi tin cậy chứng thư gốc:\n{}", roots_text(gone)));
        }
    }
    Ok(())
}

pub fn tokens(a: TokensArgs) -> Result<()> {
    let modules: Vec<PathBuf> = match a.pkcs11 {
        Some(p) => vec![p],
        None => discover_modules().into_iter().map(|m| m.path).collect(),
    };
    let mut all = Vec::new();
    for m in modules {
        match list_tokens(&m) {
            Ok(t) => all.push((m.display().to_string(), t)),
            Err(e) => eprintln!("{e}"),
        }
    }
    print(a.json, &all, |all| {
        let mut s = Vec::new();
        for (m, tokens) in all {
            s.push(format!("{m}: {} token", tokens.len()));
            for t in tokens {
                s.push(format!(
                    "  «{}» ({} {}, số sê-ri {}) {}",
                    t.label, t.manufacturer, t.model, t.serial, t.pin_state
                ));
                for c in &t.certificates {
                    s.push(format!(
                        "    [{}] {} — cấp bởi {}, hiệu lực {} – {}",
                        c.label, c.summary.common_name, c.summary.issuer, c.summary.not_before, c.summary.not_after
                    ));
                }
            }
        }
        if s.is_empty() {
            "Không tìm thấy thư viện PKCS#11 nào.".into()
        } else {
            s.join("\n")
        }
    });
    Ok(())
}
