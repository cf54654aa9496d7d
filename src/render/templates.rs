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

/// Tera's own filters (it keeps its list private) and the ones ldr adds, for "did you mean".
const FILTERS: &[&str] = &[
    "safe",
    "default",
    "upper",
    "lower",
    "wordcount",
    "escape",
    "escape_html",
    "escape_xml",
    "newlines_to_br",
    "pluralize",
    "trim",
    "trim_start",
    "trim_end",
    "replace",
    "capitalize",
    "title",
    "truncate",
    "indent",
    "str",
    "int",
    "float",
    "length",
    "reverse",
    "split",
    "abs",
    "round",
    "first",
    "last",
    "nth",
    "join",
    "sort",
    "unique",
    "get",
    "values",
    "keys",
    "pairs",
    "group_by",
    "mailto_encode",
];

/// Tera 2 reports syntax and rendering errors with a span; point at it in the file, and
/// say what to change there.
fn template_error(error: &tera::Error, sources: &HashMap<String, SourceFile>) -> Diagnostic {
    let (stage, message, name, span) = match error.kind() {
        ErrorKind::SyntaxError(report) => {
            // Parsing stops at the end of the enclosing block or file; an unclosed block
            // is reported where it opened instead.
            if let Some(diagnostic) = sources
                .get(report.filename())
                .and_then(|file| unclosed_block_error(report.filename(), file, report.span()))
            {
                return diagnostic;
            }
            (
                "syntax error",
                report.message().to_string(),
                report.filename(),
                Some(report.span().range.clone()),
            )
        }
        ErrorKind::RenderingError(report) => {
            if let Some(diagnostic) = undefined_error(report, sources) {
                return diagnostic;
            }
            (
                "cannot render",
                report.message().to_string(),
                report.filename(),
                Some(report.span().range.clone()),
            )
        }
        ErrorKind::Msg(text) => match reported_place(text) {
            Some((message, name, line, column)) => {
                let span = sources.get(name).map(|file| {
                    offset_of(&file.text, line, column)..offset_of(&file.text, line, column) + 1
                });
                if let Some(filter) = message
                    .strip_prefix("Unknown filter `")
                    .and_then(|rest| rest.strip_suffix('`'))
                    && let (Some(file), Some(span)) = (sources.get(name), span.clone())
                {
                    return unknown_filter(name, file, span.start, filter);
                }
                ("error", message.to_string(), name, span)
            }
            None => return Diagnostic::error(format!("template error: {text}")),
        },
        ErrorKind::CircularInclude { include_chain, .. } => {
            return circular("include", include_chain, sources);
        }
        ErrorKind::CircularExtend {
            tpl,
            inheritance_chain,
        } => {
            // Tera names the template it started from apart from the chain of its parents,
            // which ends at the one met again.
            let chain: Vec<String> = std::iter::once(tpl.clone())
                .chain(inheritance_chain.iter().cloned())
                .collect();
            return circular("extends", &chain, sources);
        }
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

/// "`{% if %}` opened here is never closed", at the opening tag, when `file` has one.
/// Only when Tera stopped after the opening tag: a mistake before it is Tera's to place.
fn unclosed_block_error(name: &str, file: &SourceFile, stopped: &tera::Span) -> Option<Diagnostic> {
    let unclosed = super::template_blocks::unclosed_block(&file.text)
        .filter(|unclosed| stopped.range.start >= unclosed.opened.end)?;
    let keyword = &unclosed.keyword;
    let end_tag = format!("{{% end{keyword} %}}");
    let (note, at) = match unclosed.ended_by {
        Some(range) => (
            format!(
                "`{}` here ends an outer block while `{{% {keyword} %}}` is still open",
                file.text[range.clone()].trim()
            ),
            range,
        ),
        None => (
            "the template ends here".to_string(),
            file.text.len()..file.text.len(),
        ),
    };
    Some(
        Diagnostic::error(format!(
            "template syntax error: `{{% {keyword} %}}` opened here is never closed"
        ))
        .at(file.locate(unclosed.opened))
        .label(format!("needs a matching `{end_tag}`"))
        .note(note, file.locate(at))
        .help(format!(
            "add `{end_tag}` where the `{keyword}` block of `{name}` should end"
        )),
    )
}

/// An unknown filter, at its use, with the nearest known name.
fn unknown_filter(name: &str, file: &SourceFile, at: usize, filter: &str) -> Diagnostic {
    let help = match crate::diagnostic::closest(filter, FILTERS.iter().copied()) {
        Some(near) => format!("did you mean `{near}`? Change `{filter}` to `{near}` in `{name}`"),
        None => format!(
            "remove `| {filter}` from `{name}`, or use one of the filters there are: {}",
            FILTERS.join(", ")
        ),
    };
    Diagnostic::error(format!("template error: unknown filter `{filter}`"))
        .at(file.locate(at..at + filter.len()))
        .label("no filter of this name")
        .help(with_old_copy_hint(help, name, &file.text))
}

/// A variable or field the page does not have, named as the template writes it
/// (`page.author`), with the nearest name it does have.
fn undefined_error(
    report: &tera::ReportError,
    sources: &HashMap<String, SourceFile>,
) -> Option<Diagnostic> {
    let message = report.message();
    let (kind, rest) = [("Variable `", "variable"), ("Field `", "field")]
        .into_iter()
        .find_map(|(prefix, kind)| Some((kind, message.strip_prefix(prefix)?)))?;
    let (missing, rest) = rest.split_once('`')?;
    if !rest.starts_with(" is not defined") {
        return None;
    }
    let known: Vec<&str> = rest
        .split_once("Available ")
        .and_then(|(_, list)| list.split_once(": "))
        .map(|(_, names)| names.split(", ").map(str::trim).collect())
        .unwrap_or_default();
    let name = report.filename();
    let file = sources.get(name)?;
    let mut span = report.span().range.clone();
    // Tera points at the field alone: take in the names before it (`page.` of `page.author`).
    if let Some(before) = file.text.get(..span.start)
        && before.ends_with('.')
    {
        let path = before.trim_end_matches(|c: char| c.is_alphanumeric() || c == '_' || c == '.');
        span.start = path.len();
    }
    let written = file.text.get(span.clone()).unwrap_or(missing).trim();
    let written = if written.is_empty() { missing } else { written };
    let parent = written
        .strip_suffix(missing)
        .map(|p| p.trim_end_matches('.'))
        .filter(|p| !p.is_empty());
    let help = match crate::diagnostic::closest(missing, known.iter().copied()) {
        Some(near) => {
            let near = parent.map_or(near.to_string(), |p| format!("{p}.{near}"));
            format!("did you mean `{near}`? Change `{written}` to `{near}` in `{name}`")
        }
        None if !known.is_empty() => format!(
            "this page has no {kind} `{missing}`: use one it has ({}), or remove `{written}` from `{name}`",
            known.join(", ")
        ),
        None => format!(
            "remove `{written}` from `{name}`, or set it first with `{{% set {missing} = ... %}}`"
        ),
    };
    Some(
        Diagnostic::error(format!(
            "template cannot render: `{written}` is not defined"
        ))
        .at(file.locate(span))
        .label(format!("no {kind} `{missing}` on this page"))
        .help(with_old_copy_hint(help, name, &file.text)),
    )
}

/// Templates that include or extend each other round: every tag of the round, each in
/// its file, the first as the error and the rest as notes.
fn circular(tag: &str, chain: &[String], sources: &HashMap<String, SourceFile>) -> Diagnostic {
    // Tera's chain starts at the page's template, which may only lead into the round.
    let chain = match chain.last() {
        Some(last) => {
            let first = chain.iter().position(|name| name == last).unwrap_or(0);
            &chain[first..]
        }
        None => chain,
    };
    let round = chain.join(" → ");
    let mut places = chain
        .windows(2)
        .filter_map(|pair| {
            let file = sources.get(&pair[0])?;
            Some((file, tag_naming(&file.text, tag, &pair[1])?))
        })
        .map(|(file, range)| file.locate(range));
    let first = places.next();
    let (verb, verbs) = match tag {
        "include" => ("includes", "include"),
        _ => ("extends", "extend"),
    };
    let what = match chain {
        [one, two] if one == two => format!("template `{one}` {verb} itself"),
        _ => format!("templates {verbs} each other in a circle: {round}"),
    };
    let mut diagnostic = Diagnostic::error(format!("template error: {what}"));
    if let Some(first) = first {
        diagnostic = diagnostic
            .at(first)
            .label(format!("`{tag}` of `{}`", chain[1]));
    }
    for place in places {
        diagnostic = diagnostic.note(format!("then `{tag}` here"), place);
    }
    diagnostic.help(format!(
        "remove this `{{% {tag} %}}`, or make it name another template: a template cannot be part of itself"
    ))
}

/// The `{% <tag> "<target>" %}` tag of `text`.
fn tag_naming(text: &str, tag: &str, target: &str) -> Option<std::ops::Range<usize>> {
    let mut at = 0;
    while let Some(found) = text[at..].find("{%") {
        let start = at + found;
        let end = super::template_blocks::tag_end(text, start + 2, "%}")?;
        let inner = text[start + 2..end - 2].trim_matches('-').trim();
        if let Some(rest) = inner.strip_prefix(tag)
            && rest
                .trim()
                .trim_matches(|c| c == '"' || c == '\'' || c == '`')
                .starts_with(target)
        {
            return Some(start..end);
        }
        at = end;
    }
    None
}

/// What to do about an error in the template `name` whose text is `text`.
fn fix_help(name: &str, text: &str) -> String {
    let change = format!(
        "change this line of the template `{name}`; a site's own templates live in content/templates/"
    );
    with_old_copy_hint(change, name, text)
}

/// `help`, and when the template differs from this ldr's default theme's, where to see
/// what the page provides now: it may be a copy from an older `ldr init`, made for pages
/// that have since changed. The editor's template is theirs to change, never replaced.
fn with_old_copy_hint(help: String, name: &str, text: &str) -> String {
    match built_in_template(name) {
        Some(built_in) if built_in != text => format!(
            "{help}. `{name}` differs from this ldr's default theme: if it was copied from an \
             older `ldr init`, compare this line with `themes/default/templates/{name}` of a \
             new `ldr init` folder, which shows what the page provides now"
        ),
        _ => help,
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
