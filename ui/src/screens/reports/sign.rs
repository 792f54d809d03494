//! Ký số: signing a report digitally from the editor, with a .p12 file or a USB token.

use kehoach_model::contract::{self as cmd, KeySource};
use uuid::Uuid;
use yew::prelude::*;

use crate::ipc;
use crate::screens::{bind, error_box};

#[derive(Properties, PartialEq)]
pub struct SignProps {
    pub id: Uuid,
    pub file_name: String,
    /// Called after a signature was recorded, so the editor shows the report as signed.
    pub on_signed: Callback<()>,
}

/// Ký số: a .p12 file with its password, or a USB token with its PIN. The PIN is sent once;
/// the app never retries it (tokens lock after a few wrong PINs).
#[function_component(SignPanel)]
pub fn sign_panel(p: &SignProps) -> Html {
    let use_token = use_state(|| true);
    let p12 = use_state(String::new);
    let secret = use_state(String::new);
    let module = use_state(|| "auto".to_string());
    let tsa = use_state(String::new);
    let error = use_state(|| None::<String>);
    let notice = use_state(|| None::<String>);
    let busy = use_state(|| false);
    {
        let tsa = tsa.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(u) = ipc::call(&cmd::TsaUrl {}).await {
                    tsa.set(u);
                }
            });
        });
    }
    let pick_p12 = {
        let p12 = p12.clone();
        Callback::from(move |_| {
            let p12 = p12.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(Some(path)) = ipc::pick_open("Chọn tệp chứng thư số (.p12, .pfx)").await {
                    p12.set(path);
                }
            });
        })
    };
    let sign = {
        let (use_token, p12, secret, module, error, notice, busy) = (
            use_token.clone(),
            p12.clone(),
            secret.clone(),
            module.clone(),
            error.clone(),
            notice.clone(),
            busy.clone(),
        );
        let (id, file_name, tsa, on_signed) = (p.id, p.file_name.clone(), tsa.clone(), p.on_signed.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let key = if *use_token {
                KeySource { module: Some((*module).clone()), pin: Some((*secret).clone()), ..Default::default() }
            } else {
                KeySource { p12: Some((*p12).clone()), password: Some((*secret).clone()), ..Default::default() }
            };
            let (secret, error, notice, busy, file_name, on_signed) =
                (secret.clone(), error.clone(), notice.clone(), busy.clone(), file_name.clone(), on_signed.clone());
            let tsa_url = Some((*tsa).trim().to_string()).filter(|u| !u.is_empty());
            wasm_bindgen_futures::spawn_local(async move {
                let path = match ipc::pick_save("Lưu báo cáo đã ký số", &file_name).await {
                    Ok(Some(p)) => p,
                    Ok(None) => return,
                    Err(e) => return error.set(Some(e.into())),
                };
                busy.set(true);
                let r = ipc::call(&cmd::SignReport { id, key, path, tsa_url }).await;
                // The secret is not kept on screen after one use, right or wrong.
                secret.set(String::new());
                match r {
                    Ok(m) => {
                        error.set(None);
                        notice.set(Some(m));
                        on_signed.emit(());
                    }
                    Err(e) => {
                        notice.set(None);
                        error.set(Some(e.into()));
                    }
                }
                busy.set(false);
            });
        })
    };
    let choose = |token: bool| {
        let use_token = use_token.clone();
        Callback::from(move |_| use_token.set(token))
    };
    html! {
        <div class="card" id="sign-panel">
            <h2 style="margin-top:0">{ "Ký số báo cáo" }</h2>
            { error_box(&error) }
            if let Some(n) = &*notice { <div class="notice" id="sign-notice">{ n }</div> }
            <div class="actions" style="margin-top:0">
                <button id="sign-use-token" class={if *use_token { "primary" } else { "secondary" }} onclick={choose(true)}>{ "USB token" }</button>
                <button id="sign-use-p12" class={if *use_token { "secondary" } else { "primary" }} onclick={choose(false)}>{ "Tệp .p12" }</button>
            </div>
            <form onsubmit={sign}>
                if *use_token {
                    <label>{ "Thư viện PKCS#11 (“auto”: tự tìm token của VGCA, VNPT-CA, Viettel-CA, FPT-CA, BKAV-CA…)" }</label>
                    <input value={(*module).clone()} oninput={bind(&module)} />
                    <label>{ "Mã PIN (chỉ thử một lần)" }</label>
                } else {
                    <label>{ "Tệp chứng thư số" }</label>
                    <div class="row"><input id="sign-p12" value={(*p12).clone()} readonly=true />
                        <div style="flex:0"><button class="secondary" id="sign-pick-p12" type="button" onclick={pick_p12}>{ "Chọn…" }</button></div></div>
                    <label>{ "Mật khẩu" }</label>
                }
                <input id="sign-secret" type="password" value={(*secret).clone()} oninput={bind(&secret)} />
                <label>{ "Máy chủ dấu thời gian (TSA) của nhà cung cấp chứng thư số — để trống nếu không dùng" }</label>
                <input id="sign-tsa" placeholder="http://…" value={(*tsa).clone()} oninput={bind(&tsa)} />
                <p class="muted">{ "Có mạng: chữ ký kèm dấu thời gian (PAdES B-T). Không có mạng: vẫn ký, ở mức B-B theo đồng hồ máy tính." }</p>
                if *busy { <div class="bar"><div class="indeterminate"></div></div> }
                <div class="actions"><button class="primary" id="sign-submit" type="submit" disabled={*busy}>{ "Ký và lưu…" }</button></div>
            </form>
        </div>
    }
}
