//! The theme's Tera templates, with a site's own templates of the same name on top.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};

use tera::{Context, ErrorKind, Tera};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::{SourceFile, Theme, built_in_template};

/// Compiled templates, and where each came from so an error can name the file.
pub struct Templates {
    tera: Tera,
    sources: HashMap<String, SourceFile>,
    fingerprint: u64,
    assets: BTreeMap<String, String>,
    /// By template: the largest page it has made, which the next starts with room for.
    sizes: HashMap<String, AtomicUsize>,
}

impl Templates {
    /// Compiles the templates of `theme`; a syntax error is reported in its file.
    pub fn compile(theme: &Theme) -> Result<Templates, Diagnostics> {
        let sources = theme.templates.clone();
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".xml"]);
        tera.register_filter("mailto_encode", mailto_encode);
        super::words::register(&mut tera);
        let pairs: Vec<(&str, &str)> = sources
            .iter()
            .map(|(n, f)| (n.as_str(), f.text.as_str()))
            .collect();
        tera.add_raw_templates(pairs)
            .map_err(|error| Diagnostics::from(template_error(&error, &sources)))?;
        let assets = theme.asset_versions.clone();
        let fingerprint = fingerprint(&sources, &assets);
        let sizes = sources
            .keys()
            .map(|name| (name.clone(), AtomicUsize::new(0)))
            .collect();
        Ok(Templates {
            tera,
            sources,
            fingerprint,
            assets,
            sizes,
        })
    }

    /// Changes whenever any template's name or text, or any file of the theme's
    /// `static/`, changes.
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// The version of each file of the theme's `static/` (by its path there, such as
    /// `style.css`): templates link `/static/style.css?v={{ assets["style.css"] }}`, so a
    /// republished site's pages never meet a stylesheet or script cached from an older one.
    pub fn assets(&self) -> &BTreeMap<String, String> {
        &self.assets
    }

    pub fn render(&self, name: &str, context: &Context) -> Result<String, Diagnostic> {
        self.tera
            .render(name, context)
            .map_err(|error| template_error(&error, &self.sources))
    }

    /// [`Templates::render`] as bytes, into room for the template's largest page so far:
    /// the pages that list every footprint or organisation are megabytes, and growing
    /// their buffer a step at a time copied them over and over.
    pub fn render_page(&self, name: &str, context: &Context) -> Result<Vec<u8>, Diagnostic> {
        let size = self.sizes.get(name);
        let room = size.map_or(0, |size| size.load(Ordering::Relaxed));
        let mut page = Vec::with_capacity(room);
        self.tera
            .render_to(name, context, &mut page)
            .map_err(|error| template_error(&error, &self.sources))?;
        if let Some(size) = size {
            size.fetch_max(page.len(), Ordering::Relaxed);
        }
        Ok(page)
    }
}

/// Text for the subject or body of a `mailto:` address: HTML escapes undone (a page's
/// title reaches the footer already escaped), then every byte that is not unreserved
/// percent-encoded, so the result is safe in an attribute as it is.
fn mailto_encode(text: &str, _: tera::Kwargs, _: &tera::State) -> String {
    use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
    const KEEP: &percent_encoding::AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    let plain = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&#x2F;", "/")
        .replace("&amp;", "&");
    utf8_percent_encode(plain.trim(), KEEP).to_string()
}

fn fingerprint(sources: &HashMap<String, SourceFile>, assets: &BTreeMap<String, String>) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut sorted: Vec<_> = sources
        .iter()
        .map(|(name, file)| (name, &file.text))
        .collect();
    sorted.sort();
    let mut hasher = std::hash::DefaultHasher::new();
    sorted.hash(&mut hasher);
    assets.hash(&mut hasher);
    hasher.finish()
}

/// Tera 2 reports syntax and rendering errors with a span; point at it in the file.
fn template_error(error: &tera::Error, sources: &HashMap<String, SourceFile>) -> Diagnostic {
    let (stage, message, name, span) = match error.kind() {
        ErrorKind::SyntaxError(report) => (
            "syntax error",
            report.message().to_string(),
            report.filename(),
            Some(report.span().range.clone()),
        ),
        ErrorKind::RenderingError(report) => (
            "cannot render",
            report.message().to_string(),
            report.filename(),
            Some(report.span().range.clone()),
        ),
        ErrorKind::Msg(text) => match reported_place(text) {
            Some((message, name, line, column)) => {
                let span = sources.get(name).map(|file| {
                    offset_of(&file.text, line, column)..offset_of(&file.text, line, column) + 1
                });
                ("error", message.to_string(), name, span)
            }
            None => return Diagnostic::error(format!("template error: {text}")),
        },
        ErrorKind::TemplateNotFound(name) => {
            return Diagnostic::error(format!("the theme has no template `{name}`")).help(format!(
                "this ldr renders a page with `{name}`: a theme copied by an older `ldr init` \
                     lacks it. Copy it from the default theme (a new `ldr init` folder has one) \
                     into the theme's templates/, or check the names used in extends and include"
            ));
        }
        other => {
            return Diagnostic::error(format!("template error: {other}"))
                .help("check the template names used in extends and include");
        }
    };
    let message = format!("template {stage}: {message}");
    match (sources.get(name), span) {
        (Some(file), Some(span)) => Diagnostic::error(message)
            .at(file.locate(span))
            .help(fix_help(name, &file.text)),
        _ => Diagnostic::error(format!("{message} (in template `{name}`)")),
    }
}

/// What to do about an error in the template `name` whose text is `text`: a template that
/// differs from this ldr's default theme may be a copy from an older `ldr init`, made for
/// pages that have since changed.
fn fix_help(name: &str, text: &str) -> String {
    match built_in_template(name) {
        Some(built_in) if built_in != text => format!(
            "`{name}` differs from this ldr's default theme: if it is a copy made by an older \
             `ldr init`, replace it with `themes/default/templates/{name}` of a new `ldr init` \
             folder (and copy any new partials); otherwise fix it"
        ),
        _ => {
            format!("fix the template `{name}`; a site's own templates live in content/templates/")
        }
    }
}

/// Some Tera errors (an unknown filter, found when templates are added) come only as
/// text in rustc's shape: "error: MESSAGE" then " --> NAME:LINE:COLUMN". Read it back.
fn reported_place(text: &str) -> Option<(&str, &str, usize, usize)> {
    let message = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("error: "))?;
    let place = text.lines().find_map(|l| l.trim().strip_prefix("--> "))?;
    let mut parts = place.rsplitn(3, ':');
    let column = parts.next()?.parse().ok()?;
    let line = parts.next()?.parse().ok()?;
    Some((message, parts.next()?, line, column))
}

/// The byte offset of a 1-based line and a 1-based character column.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let rest = &text[line_start..];
    line_start
        + rest
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(rest.len(), |(i, _)| i)
}
