//! `ldr` builds the Local Digital Roadmaps site. The modules are the pipeline, in order:
//! `load` -> `model` -> `render` -> `index` -> `write`, with [`pipeline`] running them, and
//! `serve` and [`cli`] on top. Data flows one way; no module reaches back up, and the leaf
//! modules ([`diagnostic`], [`output`], `slug`) import no stage.
//!
//! The library's public face is what the binary and the integration tests use: the
//! command line, the build, its files and its messages. Everything else is `pub(crate)`.
#![warn(missing_docs)]

pub mod cli;
pub mod diagnostic;
pub mod editor_schemas;
pub(crate) mod index;
pub(crate) mod load;
pub(crate) mod message_format;
pub(crate) mod model;
pub(crate) mod new;
pub mod output;
pub mod pipeline;
pub(crate) mod render;
pub(crate) mod serve;
pub(crate) mod slug;
pub(crate) mod words;
pub(crate) mod write;

pub use model::Overrides;
