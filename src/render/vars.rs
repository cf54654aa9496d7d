//! The variables of one page, as Tera values.

use serde::Serialize;
use tera::{Context, Value};

/// Page variables in insertion order, serialised once, straight into Tera's values.
#[derive(Default)]
pub struct Vars(Vec<(&'static str, Value)>);

impl Vars {
    pub fn insert<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        self.0.push((key, Value::from_serializable(value)));
    }

    /// Adds the variables to `context`, replacing any of the same name.
    pub fn into_context(self, mut context: Context) -> Context {
        for (key, value) in self.0 {
            context.insert_value(key, value);
        }
        context
    }
}
