//! The theme from disk: its Tera templates (with a site's own templates of the same name
//! on top), and its static files with a version of each for cache-busting links.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::{SourceFile, is_editor_litter, read_source_file};
use crate::diagnostic::{Diagnostic, Diagnostics};

/// What a theme folder holds, read and ready to compile.
pub struct Theme {
    /// Every template by its name (its path under `templates/`), overrides applied.
    pub templates: HashMap<String, SourceFile>,
    /// The theme's `static/` files: where each is on disk, and its path under `static/`.
    pub static_files: Vec<(PathBuf, String)>,
    /// A short hash of each static file's bytes, by its path under `static/`.
    pub asset_versions: BTreeMap<String, String>,
}

/// Reads `theme/templates/`, then `overrides` (from `content/templates/`) over it, and
/// `theme/static/`.
pub fn load_theme(
    theme: &Path,
    overrides: &[SourceFile],
    overrides_root: &Path,
) -> Result<Theme, Diagnostics> {
    let theme_templates = theme.join("templates");
    if !theme_templates.is_dir() {
        return Err(Diagnostic::error(format!("theme not found at {}", theme.display()))
            .help("pass --themes DIR with the folder that holds the theme, or set `theme` in site.toml")
            .into());
    }
    let mut templates: HashMap<String, SourceFile> = HashMap::new();
    let mut problems = Diagnostics::new();
    for path in files_under(&theme_templates) {
        match read_source_file(&path) {
            Ok(file) => {
                templates.insert(name_under(&theme_templates, &path), file);
            }
            Err(d) => problems.push(d),
        }
    }
    for file in overrides {
        templates.insert(name_under(overrides_root, &file.path), file.clone());
    }
    if problems.has_errors() {
        return Err(problems);
    }
    let static_dir = theme.join("static");
    let static_files: Vec<(PathBuf, String)> = files_under(&static_dir)
        .map(|path| {
            let name = name_under(&static_dir, &path);
            (path, name)
        })
        .collect();
    let asset_versions = static_files
        .iter()
        .filter_map(|(path, name)| Some((name.clone(), version_of(&std::fs::read(path).ok()?))))
        .collect();
    Ok(Theme {
        templates,
        static_files,
        asset_versions,
    })
}

/// The files under `dir`, by name, editors' swap and backup files left out.
fn files_under(dir: &Path) -> impl Iterator<Item = PathBuf> {
    WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && !is_editor_litter(e.path()))
        .map(walkdir::DirEntry::into_path)
}

/// A path below `root`, with forward slashes: a template's name, a static file's address.
fn name_under(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// A short hash of a file's bytes: FNV-1a, which is the same on every machine and Rust
/// version, so a rebuild of the same theme links the same URLs. The address stays
/// `/static/NAME` (the version is a query), which `ldr serve`'s stylesheet swap relies on:
/// it adds its own query to the link, and the file is still found.
fn version_of(bytes: &[u8]) -> String {
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    format!("{hash:016x}")[..10].to_string()
}
