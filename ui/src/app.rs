use kehoach_model::{DeriveProposal, Settings};
use yew::prelude::*;

use kehoach_model::contract::{self as cmd, DataFileProblem};

use crate::hooks::DataVersion;
use crate::ipc;
use crate::screens::{
    backup::{BackupPanel, BackupReminder, RescueScreen, RestoreFromBackup},
    import::ImportScreen,
    join::JoinFromInvitation,
    overview::OverviewScreen,
    plans::PlansScreen,
    reports::ReportsScreen,
    rollup::RollupScreen,
    settings::{PcUserForm, SettingsForm},
    sync::SyncScreen,
    update::{UpdateReminder, VersionInfo},
    upstream::UpstreamScreen,
};

#[derive(Clone, Copy, PartialEq)]
pub enum Tab {
    Overview,
    Plans,
    Upstream,
    Import,
    Reports,
    Sync,
    Rollup,
    Settings,
}

impl Tab {
    const ALL: [Tab; 8] =
        [Tab::Overview, Tab::Plans, Tab::Upstream, Tab::Import, Tab::Reports, Tab::Sync, Tab::Rollup, Tab::Settings];

    fn label(self) -> &'static str {
        match self {
            Tab::Overview => "Tổng quan",
            Tab::Plans => "Kế hoạch",
            Tab::Upstream => "Kế hoạch cấp trên",
            Tab::Import => "Nhập kế hoạch",
            Tab::Reports => "Báo cáo",
            Tab::Sync => "Đồng bộ",
            Tab::Rollup => "Tổng hợp các xã",
            Tab::Settings => "Cài đặt",
        }
    }

    fn id(self) -> &'static str {
        match self {
            Tab::Overview => "nav-overview",
            Tab::Plans => "nav-plans",
            Tab::Upstream => "nav-upstream",
            Tab::Import => "nav-import",
            Tab::Reports => "nav-reports",
            Tab::Sync => "nav-sync",
            Tab::Rollup => "nav-rollup",
            Tab::Settings => "nav-settings",
        }
    }
}

/// The data's version as the app counts it: one more after every write. The screens read it
/// from the [`DataVersion`] context.
#[derive(Default, PartialEq)]
struct Version(u32);

impl Reducible for Version {
    type Action = ();
    fn reduce(self: std::rc::Rc<Self>, _: ()) -> std::rc::Rc<Self> {
        std::rc::Rc::new(Version(self.0.wrapping_add(1)))
    }
}

#[function_component(App)]
pub fn app() -> Html {
    let settings = use_state(|| None::<Settings>);
    let error = use_state(|| None::<String>);
    // Why the data file could not be opened at start, until the officer deals with it.
    let problem = use_state(|| None::<DataFileProblem>);
    let tab = use_state(|| Tab::Overview);
    // Bumped after every write (ours or the sync worker's): screens re-query when it moves. A
    // reducer, so that a bump from a callback made at the first render (the "changed" listener)
    // counts from the current value, not from the value it saw then.
    let version = use_reducer(Version::default);
    // The derive step opened from "Kế hoạch cấp trên", shown on the review screen until saved.
    let derive = use_state(|| None::<DeriveProposal>);

    {
        let settings = settings.clone();
        let error = error.clone();
        let version = version.clone();
        let problem = problem.clone();
        use_effect_with((), move |_| {
            let v = version.clone();
            ipc::listen("changed", move || v.dispatch(()));
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(Some(p)) = ipc::call(&cmd::StartupProblem {}).await {
                    problem.set(Some(p));
                    return;
                }
                match ipc::call(&cmd::GetSettings {}).await {
                    Ok(s) => settings.set(Some(s)),
                    Err(e) => error.set(Some(e.into())),
                }
            });
        });
    }

    let on_saved = {
        let settings = settings.clone();
        let version = version.clone();
        Callback::from(move |s: Settings| {
            settings.set(Some(s));
            version.dispatch(());
        })
    };

    // After joining a commune from the first screen: its settings came with the invitation.
    let reload_settings = {
        let (settings, error, version) = (settings.clone(), error.clone(), version.clone());
        Callback::from(move |_: ()| {
            let (settings, error, version) = (settings.clone(), error.clone(), version.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::call(&cmd::GetSettings {}).await {
                    Ok(s) => {
                        settings.set(Some(s));
                        version.dispatch(());
                    }
                    Err(e) => error.set(Some(e.into())),
                }
            });
        })
    };

    if let Some(p) = &*problem {
        let (problem, reload) = (problem.clone(), reload_settings.clone());
        let on_rescued = Callback::from(move |_: ()| {
            problem.set(None);
            reload.emit(());
        });
        return html! { <RescueScreen problem={p.clone()} {on_rescued} /> };
    }
    if let Some(e) = &*error {
        return html! { <main><div class="error">{ e }</div></main> };
    }
    let Some(current) = (*settings).clone() else {
        return html! { <main><p class="muted">{ "Đang mở dữ liệu…" }</p></main> };
    };
    if !current.is_complete() {
        return html! {
            <main class="setup" id="first-run">
                <h1>{ "Thiết lập ban đầu" }</h1>
                <p class="muted">{ "Nhập thông tin của xã/phường. Các thông tin này dùng cho phần đầu và phần ký của mọi báo cáo." }</p>
                <SettingsForm initial={current} on_saved={on_saved} />
                <JoinFromInvitation on_joined={reload_settings.clone()} />
                <RestoreFromBackup on_restored={reload_settings} />
            </main>
        };
    }

    let nav = Tab::ALL.iter().map(|t| {
        let tab = tab.clone();
        let t = *t;
        let class = if *tab == t { "active" } else { "" };
        html! { <button id={t.id()} class={class} onclick={Callback::from(move |_| tab.set(t))}>{ t.label() }</button> }
    });
    let v = version.0;
    let bump = {
        let version = version.clone();
        Callback::from(move |_: ()| version.dispatch(()))
    };
    let body = match *tab {
        Tab::Overview => {
            let tab = tab.clone();
            html! {
                <>
                    <UpdateReminder on_open={{ let tab = tab.clone(); Callback::from(move |_| tab.set(Tab::Settings)) }} />
                    <BackupReminder on_open={Callback::from(move |_| tab.set(Tab::Settings))} />
                    <OverviewScreen />
                </>
            }
        }
        Tab::Plans => html! { <PlansScreen /> },
        Tab::Upstream => {
            let (tab, derive) = (tab.clone(), derive.clone());
            let on_derive = Callback::from(move |p: DeriveProposal| {
                derive.set(Some(p));
                tab.set(Tab::Import);
            });
            html! { <UpstreamScreen {on_derive} /> }
        }
        Tab::Import => {
            let (tab, pending) = (tab.clone(), derive.clone());
            let on_saved = Callback::from(move |_| {
                pending.set(None);
                tab.set(Tab::Plans);
            });
            html! { <ImportScreen {on_saved} derive={(*derive).clone()} /> }
        }
        Tab::Reports => html! { <ReportsScreen /> },
        Tab::Sync => html! { <SyncScreen /> },
        Tab::Rollup => html! { <RollupScreen /> },
        Tab::Settings => html! {
            <>
                <h1>{ "Cài đặt" }</h1>
                <div class="card"><SettingsForm initial={current.clone()} on_saved={on_saved} /></div>
                <PcUserForm />
                <BackupPanel on_restored={reload_settings.clone()} />
                <crate::screens::tracking::UnitDirectory />
                <VersionInfo />
            </>
        },
    };
    html! {
        <div class="layout">
            <nav class="side">
                <div class="brand">{ "Kế hoạch Đề án 06" }<small id="commune-name">{ current.commune.clone().unwrap_or_default() }</small></div>
                { for nav }
            </nav>
            <main><ContextProvider<DataVersion> context={DataVersion { version: v, bump }}>{ body }</ContextProvider<DataVersion>></main>
        </div>
    }
}
