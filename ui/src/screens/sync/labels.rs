//! What the Đồng bộ screen says of received changes: their summary, the fields' names, and the
//! changes set aside.

use kehoach_model::contract::Applied;
use kehoach_model::SetAsideOp;
use yew::prelude::*;

/// Changes other PCs sent that no PC can apply (a required field emptied, a value of the wrong
/// kind): kept aside, with who sent them and why, while the rest syncs on.
pub fn set_aside_table(ops: &[SetAsideOp]) -> Html {
    let rows = ops.iter().map(|o| {
        let machine = format!("máy {}", o.device.get(..8).unwrap_or(&o.device));
        let sender = match &o.sender {
            Some(name) => html! { <>{ name }<div class="muted">{ machine }</div></> },
            None => html! { { machine } },
        };
        html! {
            <tr class="set-aside-row">
                <td>{ sender }</td>
                <td>{ format!("{} — {}", o.kind, o.field) }</td>
                <td>{ &o.reason }</td>
                <td>{ crate::fmt::local_time(&o.at) }</td>
            </tr>
        }
    });
    html! {
        <>
            <h2>{ format!("Thay đổi không áp dụng được ({})", ops.len()) }</h2>
            <p class="muted">{ "Máy khác đã gửi những thay đổi này nhưng chúng không hợp lệ, nên được để riêng, không áp dụng. Các thay đổi khác vẫn đồng bộ bình thường. Hãy báo cho người dùng máy đã gửi hoặc cán bộ kỹ thuật của huyện." }</p>
            <table id="set-aside"><thead><tr><th>{ "Máy gửi" }</th><th>{ "Nội dung" }</th><th>{ "Lý do" }</th><th>{ "Lúc nhận" }</th></tr></thead>
            <tbody>{ for rows }</tbody></table>
        </>
    }
}

/// A record kind's name as the model gives it ("người dùng", "minh chứng"…); a kind a newer
/// version made is shown by its code.
fn kind_label(kind: &str) -> &str {
    kehoach_model::kind_label_vi(kind).unwrap_or(kind)
}

/// The same name starting with a capital letter, to open a line.
fn kind_label_capitalised(kind: &str) -> String {
    let label = kind_label(kind);
    let mut chars = label.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

pub fn field_label(kind: &str, field: &str) -> String {
    let k = kind_label_capitalised(kind);
    let f = match field {
        "status" => "trạng thái",
        "text" => "nội dung",
        "title" => "tên",
        "lead" => "đơn vị chủ trì",
        "due" | "time_text" => "thời hạn",
        other => other,
    };
    format!("{k} — {f}")
}

pub fn summary(applied: &Applied) -> String {
    let Applied { applied: n, duplicates: dup, conflicts, set_aside: aside, .. } = *applied;
    let kinds: Vec<String> = applied.by_kind.iter().map(|(k, v)| format!("{}: {v}", kind_label(k))).collect();
    let aside = if aside > 0 {
        format!(" {aside} thay đổi không hợp lệ được để riêng (xem cuối trang).")
    } else {
        String::new()
    };
    format!(
        "Đã nhận {n} thay đổi mới ({}), {dup} thay đổi đã có, {conflicts} xung đột.{aside}",
        if kinds.is_empty() { "không có".into() } else { kinds.join(", ") }
    )
}
