//! The kehoach UI: a Yew (CSR) app that calls the Tauri shell for everything it shows.

mod app;
mod fmt;
mod hooks;
mod ipc;
mod screens;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
