//! Reading a file the user chose in an `<input type="file">`: the counterpart of
//! `download`. Callers read the file's content the way they need it (text or bytes).

use wasm_bindgen::JsCast;

/// The file chosen in the input that fired `ev`, if any. The input is cleared so that
/// choosing the same file again fires another change.
pub fn take_chosen_file(ev: &leptos::ev::Event) -> Option<web_sys::File> {
    let input = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())?;
    let file = input.files().and_then(|files| files.get(0))?;
    input.set_value("");
    Some(file)
}
