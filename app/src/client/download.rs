//! Saving data to a file from the page: a Blob URL clicked through a temporary link.

use wasm_bindgen::JsCast;

/// Offers `data` as a download named `name`.
pub fn bytes(name: &str, data: &[u8], mime: &str) {
    let array = js_sys::Uint8Array::from(data);
    let parts = js_sys::Array::of1(&array);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    if let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options) {
        self::blob(name, &blob);
    }
}

/// Offers `blob` as a download named `name`.
pub fn blob(name: &str, blob: &web_sys::Blob) {
    let Ok(url) = web_sys::Url::create_object_url_with_blob(blob) else {
        return;
    };
    let link = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok());
    if let Some(link) = link {
        link.set_href(&url);
        link.set_download(name);
        link.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}
