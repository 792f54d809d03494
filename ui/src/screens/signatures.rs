//! A signed PDF's signatures as the shell checked them: signer, time, intact or not, then the
//! lines `kehoach report verify` prints — the chain to a trusted root, the validity when it
//! signed, revocation. Shown for a commune's report on the district's PC and for the commune's
//! own signed report.

use serde::Deserialize;
use yew::prelude::*;

use crate::fmt::local_time;

#[derive(Deserialize, Clone, PartialEq)]
pub struct SignatureCheck {
    pub signer: String,
    pub time: Option<String>,
    pub level: String,
    pub intact: bool,
    pub problem: String,
    /// The chain to a trusted root, the validity when it signed, revocation.
    pub checks: Vec<CheckLine>,
}

/// One line of a signature's check; `state` is "ok", "failed" or "unknown".
#[derive(Deserialize, Clone, PartialEq)]
pub struct CheckLine {
    pub label: String,
    pub state: String,
    pub message: String,
}

/// One `<li>` per signature, its check lines under it.
pub fn signature_items(signatures: &[SignatureCheck]) -> Html {
    let sigs = signatures.iter().map(|s| {
        let when = s.time.as_deref().map(local_time).unwrap_or_else(|| "không rõ thời điểm".into());
        let lines = s.checks.iter().map(|l| {
            let (class, text) = match l.state.as_str() {
                "ok" => ("check ok", format!("{}: đạt — {}", l.label, l.message)),
                "failed" => ("check bad", format!("{}: KHÔNG ĐẠT — {}", l.label, l.message)),
                _ => ("check muted", format!("{}: {}", l.label, l.message)),
            };
            html! { <li class={class}>{ text }</li> }
        });
        let vouched = s.checks.iter().all(|l| l.state != "failed");
        let head = if s.intact && vouched {
            html! { <span class="sig ok">{ format!("✔ Ký số bởi {} lúc {when} ({}) — nguyên vẹn, chưa bị sửa sau khi ký.", s.signer, s.level) }</span> }
        } else if s.intact {
            html! { <span class="sig bad">{ format!("⚠ Ký số bởi {} lúc {when} ({}) — nguyên vẹn, chưa bị sửa sau khi ký, nhưng CHƯA ĐỦ TIN CẬY (xem các dòng dưới).", s.signer, s.level) }</span> }
        } else {
            html! { <span class="sig bad">{ format!("✘ Chữ ký của {} lúc {when}: ĐÃ BỊ SỬA sau khi ký — {}", s.signer, s.problem) }</span> }
        };
        html! { <li>{ head }<ul class="checks">{ for lines }</ul></li> }
    });
    html! { <>{ for sigs }</> }
}
