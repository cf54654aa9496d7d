//! New content from templates: `ldr new footprint|story|event|page` and `ldr init`.
//!
//! Nothing is overwritten, and every change is checked by building the site afterwards:
//! if it no longer builds, the change is undone and the errors say why.

pub mod footprint;
pub mod site;
pub mod writing;

use std::fs;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::not_a_slug;
use crate::pipeline::{self, BuildOptions};

/// How to take a change back if the site no longer builds after it.
enum Undo {
    Remove(PathBuf),
    RemoveFolder(PathBuf),
    /// The file's bytes as they were, byte-order mark and line endings included.
    Restore(PathBuf, Vec<u8>),
}

impl Undo {
    fn apply(self) {
        let _ = match self {
            Undo::Remove(file) => fs::remove_file(file),
            Undo::RemoveFolder(folder) => fs::remove_dir_all(folder),
            Undo::Restore(path, bytes) => fs::write(path, bytes),
        };
    }
}

/// Checks that the site builds before a change, so that a failure after it can only be the
/// change's: `ldr new` never adds to a site that is already broken.
fn site_builds_before(options: &BuildOptions) -> Result<(), Diagnostics> {
    pipeline::build(options, None, pipeline::Verbosity::Quiet).map(|_| ()).map_err(|mut problems| {
        problems.push(
            Diagnostic::error("the site has errors before this change")
                .help("fix the errors above first: `ldr new` adds to a site that builds, and checks that it still does"),
        );
        problems
    })
}

/// Checks the site after a change; if it no longer builds, undoes the change.
fn keep_if_the_site_builds(options: &BuildOptions, undo: Undo) -> Result<(), Diagnostics> {
    match pipeline::build(options, None, pipeline::Verbosity::Quiet) {
        Ok(_) => Ok(()),
        Err(problems) => {
            undo.apply();
            Err(problems)
        }
    }
}

/// `slug` if it is already a slug (lowercase words joined by hyphens): a file or folder
/// name that is its own address.
fn checked_slug(slug: &str, what: &str) -> Result<String, Diagnostics> {
    match not_a_slug(slug, "west-yorkshire") {
        Some(help) => Err(Diagnostic::error(format!("`{slug}` is not a {what} slug"))
            .help(help)
            .into()),
        None => Ok(slug.to_string()),
    }
}

/// Writes a file that must not exist yet.
fn write_new(path: &Path, contents: &[u8], what: &str) -> Result<(), Diagnostics> {
    if path.exists() {
        return Err(Diagnostic::error(format!("{what} already exists"))
            .in_file(path)
            .help("choose another name: ldr never overwrites content")
            .into());
    }
    if let Some(folder) = path.parent() {
        fs::create_dir_all(folder).map_err(|e| io(folder, e))?;
    }
    fs::write(path, contents).map_err(|e| io(path, e))
}

fn write(path: &Path, text: &str) -> Result<(), Diagnostics> {
    fs::write(path, text).map_err(|e| io(path, e))
}

fn io(path: &Path, error: std::io::Error) -> Diagnostics {
    Diagnostic::error(format!("cannot write {}: {error}", path.display()))
        .in_file(path)
        .help("check the folder's permissions")
        .into()
}

/// A title from a slug: `shared-care-record` is "Shared care record".
fn sentence_case(slug: &str) -> String {
    let text = slug.replace('-', " ");
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
