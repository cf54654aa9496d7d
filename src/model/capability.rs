//! The universal capabilities of the LDR guidance (A to J), as `capabilities.toml` defines
//! them.

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::load::SourceFile;
use crate::load::schema::CapabilitiesFile;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Capability {
    pub id: String,
    pub title: String,
}

/// The ids of `capabilities`, in order: the columns of the matrix, which a new title
/// leaves as they are.
pub fn ids(capabilities: &[Capability]) -> Vec<&str> {
    capabilities.iter().map(|c| c.id.as_str()).collect()
}

/// Checks the definitions: each id once.
pub fn resolve_capabilities(
    file: Option<(SourceFile, CapabilitiesFile)>,
    problems: &mut Diagnostics,
) -> Vec<Capability> {
    let Some((file, data)) = file else {
        return Vec::new();
    };
    let mut capabilities: Vec<(Capability, Location)> = Vec::new();
    for definition in data.capabilities {
        let at = file.locate(definition.id.span());
        let id = definition.id.into_inner();
        if let Some((_, first)) = capabilities.iter().find(|(c, _)| c.id == id) {
            problems.push(
                Diagnostic::error(format!("capability `{id}` is defined twice"))
                    .at(at)
                    .note("first defined here", first.clone())
                    .help("give each capability its own id"),
            );
            continue;
        }
        capabilities.push((
            Capability {
                id,
                title: definition.title,
            },
            at,
        ));
    }
    capabilities.into_iter().map(|(c, _)| c).collect()
}
