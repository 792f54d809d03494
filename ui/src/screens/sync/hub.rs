//! The sync screen's hub card: the hub's address, the province's root certificate, and
//! syncing now.

use kehoach_model::contract as cmd;
use yew::prelude::*;

use super::steps::Steps;
use crate::ipc;
use crate::screens::bind;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// The address saved, shown in the field whenever the status brings it.
    pub hub_url: Option<String>,
    /// A root certificate of its own is installed.
    pub hub_ca: bool,
    pub steps: Steps,
}

#[function_component(HubCard)]
pub fn hub_card(p: &Props) -> Html {
    let url = use_state(String::new);
    {
        let url = url.clone();
        use_effect_with(p.hub_url.clone(), move |saved| url.set(saved.clone().unwrap_or_default()));
    }
    let save_url = {
        let (url, steps) = (url.clone(), p.steps.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let u = (*url).clone();
            steps.run(async move {
                ipc::call(&cmd::SetHubUrl { url: u }).await?;
                Ok(Some("Đã lưu địa chỉ máy chủ".into()))
            });
        })
    };
    let install_ca = {
        let steps = p.steps.clone();
        Callback::from(move |_| {
            steps.run(async move {
                let Some(path) = ipc::pick_open("Chọn tệp chứng chỉ gốc (.pem) của máy chủ").await?
                else {
                    return Ok(None);
                };
                ipc::call(&cmd::SetHubCa { path: Some(path) }).await?;
                Ok(Some("Đã cài chứng chỉ gốc của máy chủ".into()))
            });
        })
    };
    let remove_ca = {
        let steps = p.steps.clone();
        Callback::from(move |_| {
            steps.run(async move {
                ipc::call(&cmd::SetHubCa { path: None }).await?;
                Ok(Some("Đã bỏ chứng chỉ gốc riêng; máy chủ được kiểm tra theo hệ điều hành".into()))
            });
        })
    };
    let sync_now = {
        let steps = p.steps.clone();
        Callback::from(move |_| {
            steps.run(async move { ipc::call(&cmd::SyncNow {}).await.map(Some).map_err(String::from) });
        })
    };
    let busy = p.steps.busy();
    html! {
        <div class="card">
            <h2 style="margin-top:0">{ "Máy chủ đồng bộ (khi có mạng)" }</h2>
            <form onsubmit={save_url} class="row">
                <input id="hub-url" placeholder="https://dongbo.tinh.gov.vn hoặc http://192.168.1.10:8080" value={(*url).clone()} oninput={bind(&url)} />
                <div style="flex:0"><button class="secondary" type="submit" id="hub-url-save">{ "Lưu" }</button></div>
            </form>
            <p class="muted">{ "Khi có mạng, phần mềm tự đồng bộ mỗi 30 giây; mất mạng thì tự thử lại." }</p>
            <p id="hub-ca">{ if p.hub_ca {
                "Chứng chỉ máy chủ (https): kiểm tra theo chứng chỉ gốc riêng của tỉnh đã cài."
            } else {
                "Chứng chỉ máy chủ (https): kiểm tra theo hệ điều hành. Nếu tỉnh dùng chứng chỉ gốc riêng, hãy cài tệp đó."
            } }</p>
            <div class="actions">
                <button class="secondary" id="hub-ca-install" onclick={install_ca} disabled={busy}>{ "Cài chứng chỉ gốc của máy chủ…" }</button>
                if p.hub_ca { <button class="secondary" id="hub-ca-remove" onclick={remove_ca} disabled={busy}>{ "Bỏ chứng chỉ gốc riêng" }</button> }
            </div>
            <div class="actions"><button class="primary" id="sync-now" onclick={sync_now} disabled={busy}>{ "Đồng bộ ngay" }</button></div>
        </div>
    }
}
