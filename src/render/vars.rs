//! The variables of one page, kept as JSON so the render cache can hash them.

use serde::Serialize;

#[derive(Default)]
pub struct Vars(pub serde_json::Map<String, serde_json::Value>);

impl Vars {
    pub fn insert<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) {
        let value = serde_json::to_value(value).expect("views serialise to JSON");
        self.0.insert(key.to_string(), value);
    }
}
