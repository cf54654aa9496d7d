//! `ldr` builds the Local Digital Roadmaps site. The modules are the pipeline, in order:
//! [`load`] -> [`model`] -> [`render`] -> [`index`] -> [`write`], with [`pipeline`] running
//! them, and [`serve`] and [`cli`] on top. Data flows one way; no module reaches back up.

pub mod cli;
pub mod diagnostic;
pub mod editor_schemas;
pub mod index;
pub mod load;
pub mod message_format;
pub mod model;
pub mod new;
pub mod output;
pub mod pipeline;
pub mod render;
pub mod serve;
pub mod slug;
pub mod write;
