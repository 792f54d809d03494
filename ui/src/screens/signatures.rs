//! A signed PDF's signatures as the shell checked them: signer, time, intact or not, then the
//! lines `kehoach report verify` prints — the chain to a trusted root, the validity when it
//! signed, revocation. Shown for a commune's report on the district's PC and for the commune's
//! own signed report.

use kehoach_model::contract::CheckState;
pub use kehoach_model::contract::SignatureCheck;
use yew::prelude::*;

use crate::fmt::local_time;

/// One `<li>` per signature, its check lines under it.
pub fn signature_items(signatures: &[SignatureCheck]) -> Html {
    let sigs = signatures.iter().map(|s| {
        let when = s.time.as_deref().map(local_time).unwrap_or_else(|| "không rõ thời điểm".into());
        let lines = s.checks.iter().map(|l| {
            let (class, text) = match l.state {
                CheckState::Ok => ("check ok", format!("{}: đạt — {}", l.label, l.message)),
                CheckState::Failed => ("check bad", format!("{}: KHÔNG ĐẠT — {}", l.label, l.message)),
                CheckState::Unknown => ("check muted", format!("{}: {}", l.label, l.message)),
            };
            html! { <li class={class}>{ text }</li> }
        });
        let vouched = s.checks.iter().all(|l| l.state != CheckState::Failed);
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
