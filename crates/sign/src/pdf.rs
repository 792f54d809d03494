//! Incremental-update signing and verification of PDF files.

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone, Utc};
use lopdf::{dictionary, Dictionary, Document, IncrementalDocument, Object, ObjectId, StringFormat};
use sha2::{Digest, Sha256};

use crate::appearance::{self, text_string};
use crate::{
    check_validity, cms_sig, common_name, tsa, vn_time, Appearance, Integrity, Placement, Result, SignError,
    SignatureInfo, SignedPdf, Signer, LEVEL_B_B, LEVEL_B_T,
};

/// Bytes reserved for the DER signature in /Contents (written as twice as many hex digits):
/// room for a chain of several certificates.
pub const CONTENTS_RESERVE: usize = 16 * 1024;
/// The same when a timestamp is asked for: the token carries the TSA's own signature and
/// certificate chain, often 3–8 KB more.
pub const CONTENTS_RESERVE_TSA: usize = 40 * 1024;
/// The marker the report renderer puts in the document's /Keywords.
pub const REPORT_MARKER: &str = "kehoach-report";
const BOX_KEY: &str = "kehoach-signature-box=";
const PLACEHOLDER: i64 = 1_000_000_000;

fn bad(e: impl std::fmt::Display) -> SignError {
    SignError::BadPdf(e.to_string())
}

/// A PDF text string (UTF-16BE with BOM, or PDFDocEncoding taken as Latin-1).
fn decode_text(bytes: &[u8]) -> String {
    if bytes.starts_with(&[0xFE, 0xFF]) {
        let units: Vec<u16> =
            bytes[2..].chunks(2).filter(|c| c.len() == 2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
        String::from_utf16_lossy(&units)
    } else {
        bytes.iter().map(|&b| b as char).collect()
    }
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> Option<&'a Object> {
    match o {
        Object::Reference(id) => doc.get_object(*id).ok(),
        other => Some(other),
    }
}

fn info_keywords(doc: &Document) -> Option<String> {
    let info = deref(doc, doc.trailer.get(b"Info").ok()?)?.as_dict().ok()?;
    match deref(doc, info.get(b"Keywords").ok()?)? {
        Object::String(b, _) => Some(decode_text(b)),
        _ => None,
    }
}

/// The signature space of a kehoach report: (1-based page, x, y, w, h), or `None` when the
/// PDF is not a kehoach report.
fn report_box(doc: &Document) -> Option<(u32, f32, f32, f32, f32)> {
    let kw = info_keywords(doc)?;
    if !kw.split(',').any(|k| k.trim() == REPORT_MARKER) {
        return None;
    }
    let spec = kw.split(',').find_map(|k| k.trim().strip_prefix(BOX_KEY))?;
    let v: Vec<f32> = spec.split_whitespace().filter_map(|s| s.parse().ok()).collect();
    (v.len() == 5).then(|| (v[0] as u32, v[1], v[2], v[3], v[4]))
}

/// Whether `pdf` was rendered by kehoach (its /Keywords carry the report marker).
pub fn is_kehoach_report(pdf: &[u8]) -> bool {
    Document::load_mem(pdf).ok().is_some_and(|d| report_box(&d).is_some())
}

fn is_sig_dict(d: &Dictionary) -> bool {
    d.has(b"ByteRange") && d.has(b"Contents")
}

fn pdf_date(t: DateTime<FixedOffset>) -> String {
    let off = t.offset().local_minus_utc();
    let sign = if off < 0 { '-' } else { '+' };
    let off = off.abs();
    format!("D:{}{}{:02}'{:02}'", t.format("%Y%m%d%H%M%S"), sign, off / 3600, (off % 3600) / 60)
}

fn parse_pdf_date(s: &str) -> Option<DateTime<FixedOffset>> {
    let s = s.strip_prefix("D:").unwrap_or(s);
    let naive = NaiveDateTime::parse_from_str(s.get(..14)?, "%Y%m%d%H%M%S").ok()?;
    let rest = &s[14..];
    let off = match rest.chars().next() {
        Some(c @ ('+' | '-')) => {
            let digits: String = rest[1..].chars().filter(|c| c.is_ascii_digit()).collect();
            let h: i32 = digits.get(..2)?.parse().ok()?;
            let m: i32 = digits.get(2..4).and_then(|m| m.parse().ok()).unwrap_or(0);
            let secs = h * 3600 + m * 60;
            FixedOffset::east_opt(if c == '-' { -secs } else { secs })?
        }
        _ => FixedOffset::east_opt(0)?,
    };
    off.from_local_datetime(&naive).single()
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|p| p + from)
}

/// Signs a kehoach report: appends an incremental update with a signature field showing
/// `appearance` and a CMS detached signature (PAdES B-B, ETSI.CAdES.detached) made by
/// `signer` at `when`. Earlier bytes, and so earlier signatures, are left untouched.
pub fn sign_pdf(
    pdf: &[u8],
    signer: &dyn Signer,
    appearance: &Appearance,
    when: DateTime<FixedOffset>,
) -> Result<Vec<u8>> {
    Ok(sign_pdf_with(pdf, signer, appearance, when, None)?.pdf)
}

/// [`sign_pdf`], and with `tsa_url` an RFC 3161 timestamp from that service over the new
/// signature (PAdES B-T).
///
/// When the service cannot be reached (no connection, no answer within [`crate::TSA_TIMEOUT`],
/// an HTTP error) the signature is made at B-B and [`SignedPdf::note`] says why. When the
/// service answers wrongly (a refusal, a token for other data, another nonce, a token that
/// does not verify) signing is refused with [`SignError::Timestamp`]: see the `tsa` module.
pub fn sign_pdf_with(
    pdf: &[u8],
    signer: &dyn Signer,
    appearance: &Appearance,
    when: DateTime<FixedOffset>,
    tsa_url: Option<&str>,
) -> Result<SignedPdf> {
    let tsa_url = tsa_url.map(str::trim).filter(|u| !u.is_empty());
    if let Some(url) = tsa_url {
        // Refused before anything is signed (a token's PIN is not used for nothing).
        tsa::check_url(url).map_err(|reason| SignError::TsaUrl { url: url.to_owned(), reason })?;
    }
    let reserve = if tsa_url.is_some() { CONTENTS_RESERVE_TSA } else { CONTENTS_RESERVE };
    let doc = Document::load_mem(pdf).map_err(bad)?;
    let (box_page, bx, by, bw, bh) = report_box(&doc).ok_or(SignError::NotKehoachReport)?;
    let leaf = signer.certificates().first().ok_or(SignError::NoKey)?.clone();
    check_validity(&leaf, when)?;

    let existing = doc.objects.values().filter(|o| o.as_dict().is_ok_and(is_sig_dict)).count();
    let footer = |i: usize| {
        let w = bw;
        let x = bx - i as f32 * (w + 6.0);
        (box_page, if x < 20.0 { bx } else { x }, 10.0, w, 44.0)
    };
    let (page_no, x, y, w, h) = match appearance.placement {
        Placement::Auto if existing == 0 => (box_page, bx, by, bw, bh),
        Placement::Auto => footer(existing - 1),
        Placement::SignatureBlock => (box_page, bx, by, bw, bh),
        Placement::Footer => footer(existing.saturating_sub(1)),
        Placement::Rect { page, x, y, w, h } => (page, x, y, w, h),
    };
    let page_id = *doc.get_pages().get(&page_no).ok_or_else(|| bad(format!("không có trang {page_no}")))?;
    let catalog_id = doc.trailer.get(b"Root").and_then(Object::as_reference).map_err(bad)?;

    let mut inc = IncrementalDocument::create_from(pdf.to_vec(), doc);
    let name = if appearance.signer.trim().is_empty() {
        common_name(&leaf.tbs_certificate.subject)
    } else {
        appearance.signer.trim().to_owned()
    };
    let lines = appearance::lines(&name, &appearance.title, &appearance.organisation, &vn_time(when));
    let nd = &mut inc.new_document;
    let ap = appearance::form(nd, w, h, &lines)?;
    let mut sig = dictionary! {
        "Type" => "Sig",
        "Filter" => "Adobe.PPKLite",
        "SubFilter" => "ETSI.CAdES.detached",
        "ByteRange" => vec![0.into(), PLACEHOLDER.into(), PLACEHOLDER.into(), PLACEHOLDER.into()],
        "Contents" => Object::String(vec![0; reserve], StringFormat::Hexadecimal),
        "M" => Object::string_literal(pdf_date(when)),
        "Name" => text_string(&name),
    };
    if !appearance.reason.trim().is_empty() {
        sig.set("Reason", text_string(appearance.reason.trim()));
    }
    if !appearance.location.trim().is_empty() {
        sig.set("Location", text_string(appearance.location.trim()));
    }
    let sig_id = nd.add_object(sig);
    let field_id = nd.add_object(dictionary! {
        "Type" => "Annot",
        "Subtype" => "Widget",
        "FT" => "Sig",
        "T" => text_string(&format!("Chữ ký {}", existing + 1)),
        "V" => sig_id,
        "Rect" => vec![Object::Real(x), Object::Real(y), Object::Real(x + w), Object::Real(y + h)],
        "P" => page_id,
        // Print | Locked
        "F" => 132,
        "AP" => dictionary! { "N" => ap },
    });

    // The page gets the widget in its /Annots.
    inc.opt_clone_object_to_new_document(page_id).map_err(bad)?;
    let annots = inc.new_document.get_dictionary(page_id).map_err(bad)?.get(b"Annots").ok().cloned();
    match annots {
        Some(Object::Reference(aid)) => {
            inc.opt_clone_object_to_new_document(aid).map_err(bad)?;
            if let Ok(Object::Array(a)) = inc.new_document.get_object_mut(aid) {
                a.push(Object::Reference(field_id));
            }
        }
        Some(Object::Array(mut a)) => {
            a.push(Object::Reference(field_id));
            inc.new_document.get_dictionary_mut(page_id).map_err(bad)?.set("Annots", a);
        }
        _ => {
            inc.new_document.get_dictionary_mut(page_id).map_err(bad)?.set("Annots", vec![Object::Reference(field_id)]);
        }
    }

    // The catalog's /AcroForm gets the field, and says the document holds signatures.
    inc.opt_clone_object_to_new_document(catalog_id).map_err(bad)?;
    let acro = inc.new_document.get_dictionary(catalog_id).map_err(bad)?.get(b"AcroForm").ok().cloned();
    let mut form = match &acro {
        Some(Object::Reference(id)) => inc.get_prev_documents().get_dictionary(*id).map_err(bad)?.clone(),
        Some(Object::Dictionary(d)) => d.clone(),
        _ => Dictionary::new(),
    };
    let mut fields = match form.get(b"Fields").ok().cloned() {
        Some(Object::Array(a)) => a,
        Some(Object::Reference(id)) => {
            inc.get_prev_documents().get_object(id).and_then(Object::as_array).cloned().unwrap_or_default()
        }
        _ => Vec::new(),
    };
    fields.push(Object::Reference(field_id));
    form.set("Fields", fields);
    form.set("SigFlags", 3);
    match acro {
        Some(Object::Reference(id)) => {
            inc.new_document.objects.insert(id, Object::Dictionary(form));
        }
        _ => {
            inc.new_document.get_dictionary_mut(catalog_id).map_err(bad)?.set("AcroForm", form);
        }
    }

    let prev_len = pdf.len();
    let mut out = Vec::with_capacity(prev_len + 2 * reserve + 400_000);
    inc.save_to(&mut out).map_err(bad)?;

    // Fill in /ByteRange and /Contents in place.
    let br_text = format!("[0 {PLACEHOLDER} {PLACEHOLDER} {PLACEHOLDER}]");
    let br_at = find(&out, br_text.as_bytes(), prev_len).ok_or_else(|| bad("không tìm thấy ByteRange"))?;
    let mut hole = vec![b'0'; 2 * reserve + 2];
    hole[0] = b'<';
    *hole.last_mut().expect("not empty") = b'>';
    let start = find(&out, &hole, prev_len).ok_or_else(|| bad("không tìm thấy Contents"))?;
    let end = start + hole.len();
    let range = [0, start, end, out.len() - end];
    let mut br = format!("[{} {} {} {}]", range[0], range[1], range[2], range[3]).into_bytes();
    if br.len() > br_text.len() {
        return Err(bad("tệp quá lớn"));
    }
    br.resize(br_text.len(), b' ');
    out[br_at..br_at + br.len()].copy_from_slice(&br);

    let mut h = Sha256::new();
    h.update(&out[..start]);
    h.update(&out[end..]);
    let mut der = cms_sig::build(signer, &h.finalize())?;
    let b_b = |reason: &str| format!("{reason}Chữ ký ở mức B-B (thời điểm ký theo đồng hồ máy tính).");
    let (level, note, timestamp) = match tsa_url {
        None => (LEVEL_B_B, b_b("Chưa đặt máy chủ dấu thời gian. "), None),
        Some(url) => match tsa::timestamp(url, &cms_sig::signature_value(&der)?) {
            Ok((token, info)) => {
                der = cms_sig::add_timestamp(&der, &token)?;
                let note = format!(
                    "Có dấu thời gian của «{}» lúc {}. Chữ ký ở mức B-T.",
                    info.authority,
                    DateTime::parse_from_rfc3339(&info.time).map(vn_time).unwrap_or_else(|_| info.time.clone())
                );
                (LEVEL_B_T, note, Some(info))
            }
            // Offline is the normal state of many commune offices: sign anyway, and say so.
            Err(tsa::Failure::Unreachable(reason)) => {
                (LEVEL_B_B, b_b(&format!("Không lấy được dấu thời gian từ máy chủ {url}: {reason}. ")), None)
            }
            // A reachable service answering wrongly is not "offline": refuse, write nothing.
            Err(tsa::Failure::BadAnswer(reason)) => return Err(SignError::Timestamp { url: url.to_owned(), reason }),
        },
    };
    if der.len() > reserve {
        return Err(SignError::TooLarge(der.len()));
    }
    let hex: String = der.iter().map(|b| format!("{b:02X}")).collect();
    out[start + 1..start + 1 + hex.len()].copy_from_slice(hex.as_bytes());
    Ok(SignedPdf { pdf: out, level: level.into(), note, timestamp })
}

fn parse_int(b: &[u8], i: &mut usize) -> Option<usize> {
    while *i < b.len() && b[*i].is_ascii_whitespace() {
        *i += 1;
    }
    let s = *i;
    while *i < b.len() && b[*i].is_ascii_digit() {
        *i += 1;
    }
    std::str::from_utf8(&b[s..*i]).ok()?.parse().ok()
}

fn unhex(b: &[u8]) -> Vec<u8> {
    let digits: Vec<u8> = b.iter().filter(|c| c.is_ascii_hexdigit()).copied().collect();
    digits
        .chunks(2)
        .map(|c| {
            let s = std::str::from_utf8(c).unwrap_or("0");
            u8::from_str_radix(&format!("{s:0<2}"), 16).unwrap_or(0)
        })
        .collect()
}

/// [`verify_pdf_trusting`] with the operating system's root store only.
pub fn verify_pdf(pdf: &[u8]) -> Result<Vec<SignatureInfo>> {
    verify_pdf_trusting(pdf, &crate::TrustAnchors::system(), Utc::now())
}

/// Every signature in `pdf`, oldest first, with whether its signed bytes are intact, whether
/// its certificate chains to one of `anchors`, whether that certificate was valid when it
/// signed (`now` is used when the signature names no time), and its revocation status.
///
/// Integrity comes from the raw bytes (each /ByteRange and its /Contents), so a file whose
/// structure a change broke is still checked; names and dates come from the parsed objects.
pub fn verify_pdf_trusting(
    pdf: &[u8],
    anchors: &crate::TrustAnchors,
    now: DateTime<Utc>,
) -> Result<Vec<SignatureInfo>> {
    let doc = Document::load_mem(pdf).ok();
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(p) = find(pdf, b"/ByteRange", at) {
        at = p + 10;
        let mut i = at;
        while i < pdf.len() && pdf[i].is_ascii_whitespace() {
            i += 1;
        }
        if pdf.get(i) != Some(&b'[') {
            continue;
        }
        i += 1;
        let nums: Vec<usize> = (0..4).filter_map(|_| parse_int(pdf, &mut i)).collect();
        if nums.len() != 4 {
            continue;
        }
        let [a, b, c, d] = [nums[0], nums[1], nums[2], nums[3]];
        let mut problem = String::new();
        let sane =
            a == 0 && b < c && c.checked_add(d).is_some_and(|e| e <= pdf.len()) && pdf[b] == b'<' && pdf[c - 1] == b'>';
        let (contents, digest) = if sane {
            let mut h = Sha256::new();
            h.update(&pdf[..b]);
            h.update(&pdf[c..c + d]);
            (unhex(&pdf[b + 1..c - 1]), h.finalize().to_vec())
        } else {
            problem = "Vùng ký (ByteRange) không hợp lệ.".into();
            (Vec::new(), Vec::new())
        };
        let checked = cms_sig::check(&contents, &digest);
        if problem.is_empty() {
            problem = checked.problem.clone();
        }
        let after_signing = if !sane || c + d == pdf.len() {
            crate::AfterSigning::Nothing
        } else {
            match after_signing(doc.as_ref(), &pdf[..c + d]) {
                Ok(()) => crate::AfterSigning::SignaturesOnly,
                Err(what) => {
                    if problem.is_empty() {
                        problem = format!("Tệp bị sửa sau khi ký: {what}.");
                    }
                    crate::AfterSigning::Changed
                }
            }
        };
        // Metadata from the parsed signature dictionary with this ByteRange.
        let mut meta = (String::new(), None, String::new(), String::new(), String::new());
        if let Some(doc) = &doc {
            let want: Vec<i64> = nums.iter().map(|&n| n as i64).collect();
            for (id, obj) in &doc.objects {
                let Ok(dict) = obj.as_dict() else { continue };
                if !is_sig_dict(dict) {
                    continue;
                }
                let br: Vec<i64> = dict
                    .get(b"ByteRange")
                    .and_then(Object::as_array)
                    .map(|a| a.iter().filter_map(|o| o.as_i64().ok()).collect())
                    .unwrap_or_default();
                if br != want {
                    continue;
                }
                let text = |k: &[u8]| match dict.get(k) {
                    Ok(Object::String(s, _)) => decode_text(s),
                    _ => String::new(),
                };
                meta.1 = parse_pdf_date(&text(b"M"));
                meta.2 = dict
                    .get(b"SubFilter")
                    .and_then(Object::as_name)
                    .map(|n| String::from_utf8_lossy(n).into_owned())
                    .unwrap_or_default();
                meta.3 = text(b"Reason");
                meta.4 = text(b"Location");
                meta.0 = field_name(doc, *id);
            }
        }
        let cert = checked.cert.as_ref();
        let summary = cert.map(crate::summarize);
        // The time the certificate must have been valid at: a valid timestamp's (the signer
        // could not choose it), else the signature's claimed time, else now.
        let stamped = checked
            .timestamp
            .as_ref()
            .filter(|t| t.is_valid())
            .and_then(|t| DateTime::parse_from_rfc3339(&t.time).ok());
        let (when, time_source) = match (stamped, meta.1) {
            (Some(t), _) => (t.with_timezone(&Utc), crate::TimeSource::Timestamp),
            (None, Some(m)) => (m.with_timezone(&Utc), crate::TimeSource::Claimed),
            (None, None) => (now, crate::TimeSource::Now),
        };
        let no_cert = || crate::trust::Check {
            state: crate::CheckState::Failed,
            message: "chữ ký không kèm chứng thư của người ký".into(),
        };
        let trust = cert.map(|c| crate::trust::chain(c, &checked.certs, anchors, when)).unwrap_or_else(no_cert);
        let validity = cert.map(|c| crate::trust::validity(c, when, time_source)).unwrap_or_else(no_cert);
        let revocation = match cert {
            Some(c) => crate::trust::revocation(c, &checked.certs, anchors, when, time_source, trust.is_ok()),
            None => no_cert(),
        };
        out.push(SignatureInfo {
            field: meta.0,
            signer: summary.as_ref().map(|s| s.common_name.clone()).unwrap_or_default(),
            subject: summary.as_ref().map(|s| s.subject.clone()).unwrap_or_default(),
            issuer: summary.as_ref().map(|s| s.issuer.clone()).unwrap_or_default(),
            signing_time: meta.1.map(|t| t.to_rfc3339()),
            not_before: summary.as_ref().map(|s| s.not_before.clone()).unwrap_or_default(),
            not_after: summary.as_ref().map(|s| s.not_after.clone()).unwrap_or_default(),
            sub_filter: meta.2,
            level: if checked.timestamp.as_ref().is_some_and(|t| t.is_valid()) {
                LEVEL_B_T.into()
            } else {
                LEVEL_B_B.into()
            },
            timestamp: checked.timestamp,
            integrity: if problem.is_empty() { Integrity::Intact } else { Integrity::Modified },
            covers_whole_file: sane && c + d == pdf.len(),
            after_signing,
            problem,
            reason: meta.3,
            location: meta.4,
            trust,
            validity,
            checked_at: when.with_timezone(&FixedOffset::east_opt(7 * 3600).expect("valid offset")).to_rfc3339(),
            time_source,
            revocation,
        });
    }
    Ok(out)
}

/// Whether what was appended after the revision `signed` (the file up to a signature's range)
/// only adds signatures: new objects are harmless until something that was signed points at
/// them, so every object the signed revision already had must be unchanged, except the
/// catalog's form and validation entries, a page's /Annots gaining signature widgets, and the
/// form's field list. Anything else — a page's content or resources, the page tree, a font, the
/// document information — is named in the error.
fn after_signing(full: Option<&Document>, signed: &[u8]) -> std::result::Result<(), String> {
    let full = full.ok_or("không đọc được cấu trúc của tệp")?;
    let old = Document::load_mem(signed).map_err(|_| "không đọc được bản đã ký".to_string())?;
    let is_sig_widget = |o: &Object| {
        deref(full, o)
            .and_then(|o| o.as_dict().ok())
            .is_some_and(|d| d.get(b"FT").and_then(Object::as_name).ok() == Some(b"Sig".as_slice()) || is_sig_dict(d))
    };
    // Only new signature widgets may be added to an array that was signed.
    let grows_with_signatures = |was: &[Object], now: &[Object]| {
        now.len() >= was.len() && now[..was.len()] == *was && now[was.len()..].iter().all(is_sig_widget)
    };
    let root = full.trailer.get(b"Root").and_then(Object::as_reference).ok();
    let acro = root
        .and_then(|r| full.get_dictionary(r).ok())
        .and_then(|c| c.get(b"AcroForm").and_then(Object::as_reference).ok());
    let fields = acro
        .and_then(|a| full.get_dictionary(a).ok())
        .and_then(|a| a.get(b"Fields").and_then(Object::as_reference).ok());
    for (id, was) in &old.objects {
        let Some(now) = full.objects.get(id) else { continue };
        if now == was {
            continue;
        }
        let allowed = match (was, now) {
            (Object::Dictionary(w), Object::Dictionary(n)) => {
                let without = |d: &Dictionary, keys: &[&[u8]]| {
                    let mut d = d.clone();
                    for k in keys {
                        d.remove(k);
                    }
                    d
                };
                if Some(*id) == root {
                    without(w, &[b"AcroForm", b"DSS", b"Perms"]) == without(n, &[b"AcroForm", b"DSS", b"Perms"])
                } else if Some(*id) == acro {
                    without(w, &[b"Fields", b"SigFlags", b"DR", b"DA"])
                        == without(n, &[b"Fields", b"SigFlags", b"DR", b"DA"])
                } else if n.get(b"Type").and_then(Object::as_name).ok() == Some(b"Page".as_slice()) {
                    let annots = |d: &Dictionary| match d.get(b"Annots") {
                        Ok(Object::Array(a)) => Some(a.clone()),
                        Ok(_) => None,
                        Err(_) => Some(Vec::new()),
                    };
                    without(w, &[b"Annots"]) == without(n, &[b"Annots"])
                        && match (annots(w), annots(n)) {
                            (Some(a), Some(b)) => grows_with_signatures(&a, &b),
                            // An /Annots by reference: the array object itself is checked below.
                            _ => w.get(b"Annots").ok() == n.get(b"Annots").ok(),
                        }
                } else {
                    false
                }
            }
            (Object::Array(w), Object::Array(n)) => {
                // A page's /Annots or the form's /Fields held by reference.
                Some(*id) == fields || grows_with_signatures(w, n)
            }
            _ => false,
        };
        if !allowed {
            let what = match now.as_dict().ok().and_then(|d| d.get(b"Type").and_then(Object::as_name).ok()) {
                Some(b"Page") => "một trang",
                Some(b"Pages") => "danh sách trang",
                Some(b"Catalog") => "mục lục tài liệu",
                Some(b"Font") => "một phông chữ",
                _ if matches!(now, Object::Stream(_)) => "nội dung hoặc hình ảnh của trang",
                _ => "một đối tượng của tài liệu",
            };
            return Err(format!("{what} (đối tượng {} {}) đã bị thay đổi", id.0, id.1));
        }
    }
    Ok(())
}

fn field_name(doc: &Document, sig_id: ObjectId) -> String {
    for obj in doc.objects.values() {
        let Ok(d) = obj.as_dict() else { continue };
        if d.get(b"V").and_then(Object::as_reference).ok() == Some(sig_id) {
            if let Ok(Object::String(s, _)) = d.get(b"T") {
                return decode_text(s);
            }
        }
    }
    String::new()
}
