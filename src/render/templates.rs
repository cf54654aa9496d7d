//! The theme's Tera templates, with a site's own templates of the same name on top.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use tera::{Context, ErrorKind, Tera};
use walkdir::WalkDir;

use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::load::SourceFile;

/// Compiled templates, and where each came from so an error can name the file.
pub struct Templates {
    tera: Tera,
    sources: HashMap<String, SourceFile>,
}

impl Templates {
    /// Loads `theme/templates/`, then `overrides` (from `content/templates/`) over it.
    pub fn load(theme: &Path, overrides: &[SourceFile], overrides_root: &Path) -> Result<Templates, Diagnostics> {
        let theme_templates = theme.join("templates");
        if !theme_templates.is_dir() {
            return Err(Diagnostic::error(format!("theme not found at {}", theme.display()))
                .help("pass --themes DIR with the folder that holds the theme, or set `theme` in site.toml")
                .into());
        }
        let mut sources: HashMap<String, SourceFile> = HashMap::new();
        let mut problems = Diagnostics::new();
        for entry in WalkDir::new(&theme_templates).sort_by_file_name().into_iter().filter_map(Result::ok) {
            if entry.file_type().is_file() && !crate::load::is_editor_litter(entry.path()) {
                match crate::load::read_source_file(entry.path()) {
                    Ok(file) => {
                        sources.insert(template_name(&theme_templates, entry.path()), file);
                    }
                    Err(d) => problems.push(d),
                }
            }
        }
        for file in overrides {
            sources.insert(template_name(overrides_root, &file.path), file.clone());
        }
        if problems.has_errors() {
            return Err(problems);
        }
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".xml"]);
        let pairs: Vec<(&str, &str)> = sources.iter().map(|(n, f)| (n.as_str(), f.text.as_str())).collect();
        tera.add_raw_templates(pairs)
            .map_err(|error| Diagnostics::from(template_error(&error, &sources)))?;
        Ok(Templates { tera, sources })
    }

    pub fn render(&self, name: &str, context: &Context) -> Result<String, Diagnostic> {
        self.tera
            .render(name, context)
            .map_err(|error| template_error(&error, &self.sources))
    }
}

fn template_name(root: &Path, path: &Path) -> String {
    let relative: PathBuf = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    relative.to_string_lossy().replace('\\', "/")
}

/// Tera 2 reports syntax and rendering errors with a span; point at it in the file.
fn template_error(error: &tera::Error, sources: &HashMap<String, SourceFile>) -> Diagnostic {
    let (stage, report) = match error.kind() {
        ErrorKind::SyntaxError(report) => ("syntax error", report),
        ErrorKind::RenderingError(report) => ("cannot render", report),
        other => {
            return Diagnostic::error(format!("template error: {other}"))
                .help("check the template names used in extends and include");
        }
    };
    let message = format!("template {stage}: {}", report.message());
    let Some(file) = sources.get(report.filename()) else {
        return Diagnostic::error(format!("{message} (in template `{}`)", report.filename()));
    };
    let span = report.span();
    let at: Location = file.locate(span.range.clone());
    Diagnostic::error(message)
        .at(at)
        .help("fix the template; a site's own templates live in content/templates/")
}
