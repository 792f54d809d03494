//! The sync screen's conflicts: two PCs changed the same field before syncing; the officer
//! picks the value to keep.

use kehoach_model::contract as cmd;
use kehoach_model::Conflict;
use serde_json::Value;
use yew::prelude::*;

use super::labels::field_label;
use super::steps::Steps;
use crate::ipc;

/// A field's value as the officer reads it (statuses by their Vietnamese names).
fn show(field: &str, v: &Value) -> String {
    if field == "status" {
        if let Some(st) = v.as_str().and_then(kehoach_model::TaskStatus::parse) {
            return st.label_vi().to_string();
        }
    }
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "(trống)".into(),
        other => other.to_string(),
    }
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub conflicts: Vec<Conflict>,
    pub steps: Steps,
}

#[function_component(ConflictList)]
pub fn conflict_list(p: &Props) -> Html {
    let rows = p.conflicts.iter().map(|c| {
        let pick = |v: &Value| {
            let steps = p.steps.clone();
            let (entity, field, value) = (c.entity, c.field.clone(), v.clone());
            Callback::from(move |_| {
                let (field, value) = (field.clone(), value.clone());
                steps.run(async move {
                    ipc::call(&cmd::ResolveConflict { entity, field, value }).await?;
                    Ok(Some("Đã chọn giá trị".into()))
                });
            })
        };
        html! {
            <tr class="conflict-row">
                <td>{ field_label(&c.kind, &c.field) }</td>
                <td>{ show(&c.field, &c.kept) }<div><button class="secondary" onclick={pick(&c.kept)}>{ "Giữ giá trị này" }</button></div></td>
                <td>{ show(&c.field, &c.lost) }<div class="muted">{ format!("từ máy {}", &c.lost_device.to_string()[..8]) }</div>
                    <div><button class="secondary" onclick={pick(&c.lost)}>{ "Dùng giá trị này" }</button></div></td>
            </tr>
        }
    });
    html! {
        <>
            <h2>{ format!("Xung đột chờ xử lý ({})", p.conflicts.len()) }</h2>
            if p.conflicts.is_empty() {
                <p class="muted">{ "Không có xung đột." }</p>
            } else {
                <p class="muted">{ "Hai máy đã sửa cùng một nội dung khi chưa đồng bộ. Không giá trị nào bị mất: hãy chọn giá trị đúng." }</p>
                <table id="conflicts"><thead><tr><th>{ "Nội dung" }</th><th>{ "Giá trị đang dùng" }</th><th>{ "Giá trị từ máy khác" }</th></tr></thead>
                <tbody>{ for rows }</tbody></table>
            }
        </>
    }
}
