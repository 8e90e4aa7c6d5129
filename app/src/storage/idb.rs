//! IndexedDB access (browser only): one object store of JSON texts keyed by name. The
//! document is one record, written in one transaction, so a save is atomic.

use rexie::{ObjectStore, Rexie, TransactionMode};
use wasm_bindgen::JsValue;

const DATABASE: &str = "mqttdeck";
const STORE: &str = "kv";
const DOCUMENT_KEY: &str = "document";

async fn open() -> Result<Rexie, String> {
    Rexie::builder(DATABASE)
        .version(1)
        .add_object_store(ObjectStore::new(STORE))
        .build()
        .await
        .map_err(|e| format!("IndexedDB is not available: {e}"))
}

async fn get(key: &str) -> Result<Option<String>, String> {
    let db = open().await?;
    let tx = db
        .transaction(&[STORE], TransactionMode::ReadOnly)
        .map_err(|e| e.to_string())?;
    let store = tx.store(STORE).map_err(|e| e.to_string())?;
    let value = store
        .get(JsValue::from_str(key))
        .await
        .map_err(|e| e.to_string())?;
    Ok(value.and_then(|v| v.as_string()))
}

async fn put(key: &str, text: &str) -> Result<(), String> {
    let db = open().await?;
    let tx = db
        .transaction(&[STORE], TransactionMode::ReadWrite)
        .map_err(|e| e.to_string())?;
    let store = tx.store(STORE).map_err(|e| e.to_string())?;
    store
        .put(&JsValue::from_str(text), Some(&JsValue::from_str(key)))
        .await
        .map_err(|e| e.to_string())?;
    tx.done().await.map_err(|e| e.to_string())?;
    Ok(())
}

/// The stored document's text, if any.
pub async fn load_document() -> Result<Option<String>, String> {
    get(DOCUMENT_KEY).await
}

pub async fn save_document(text: &str) -> Result<(), String> {
    put(DOCUMENT_KEY, text).await
}

/// Keeps unreadable data under a dated key so it can still be exported.
pub async fn quarantine(raw: &str, at_ms: u64) -> Result<(), String> {
    put(&format!("corrupt-{at_ms}"), raw).await
}
