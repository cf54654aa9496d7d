//! The variables of one page, as Tera values, which the render cache can also hash.

use std::hash::{DefaultHasher, Hash, Hasher};

use serde::Serialize;
use tera::{Context, Value};

/// Page variables in insertion order. Views are serialised once, straight into Tera's
/// values: the same values render the page and, in `ldr serve`, make its cache key.
#[derive(Default)]
pub struct Vars(Vec<(&'static str, Value)>);

impl Vars {
    pub fn insert<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        self.0.push((key, Value::from_serializable(value)));
    }

    /// A hash of every name and value, mixed with `seed` (the templates and the base context).
    pub fn hash(&self, seed: u64) -> u64 {
        struct HashWriter(DefaultHasher);
        impl std::io::Write for HashWriter {
            fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
                self.0.write(bytes);
                Ok(bytes.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let mut writer = HashWriter(DefaultHasher::new());
        seed.hash(&mut writer.0);
        // The JSON form is only a stable byte stream to hash; it is never stored.
        serde_json::to_writer(&mut writer, &self.0).expect("page variables serialise");
        writer.0.finish()
    }

    pub fn entries(&self) -> impl Iterator<Item = &(&'static str, Value)> {
        self.0.iter()
    }

    /// Adds the variables to `context`, replacing any of the same name.
    pub fn into_context(self, mut context: Context) -> Context {
        for (key, value) in self.0 {
            context.insert_value(key, value);
        }
        context
    }
}
