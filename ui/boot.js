// Loads the Yew app (wasm-bindgen's `--target web` output). Kept out of index.html because
// the content security policy forbids inline scripts.
import init from './kehoach_ui.js';
init();
