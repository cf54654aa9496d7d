//! The check that every internal Markdown link lands on a page of the site (whose
//! addresses [`super::routes`] knows).

use std::collections::{BTreeMap, HashSet};
use std::path::{Component, Path, PathBuf};

use pulldown_cmark::{CowStr, Event, Tag};
use rayon::prelude::*;

use super::routes::{Route, attachment_url, event_url, footprint_url, page_url, story_url};
use super::{MarkdownSource, Site, slugify};
use crate::diagnostic::{Diagnostic, Diagnostics};

/// Every address a link may point to: the routes, the footprints' attachments and the
/// site's static files.
fn site_paths(site: &Site) -> HashSet<String> {
    let mut paths: HashSet<String> = Route::every(site).iter().map(Route::url).collect();
    for footprint in &site.footprints {
        for attachment in &footprint.attachments {
            let name = attachment.file_name().unwrap_or_default().to_string_lossy();
            paths.insert(attachment_url(&footprint.slug, &name));
        }
    }
    for (_, relative) in &site.static_files {
        paths.insert(format!(
            "/{}",
            relative.to_string_lossy().replace('\\', "/")
        ));
    }
    paths
}

/// Checks every Markdown text, its internal links included, and records the URL each
/// internal link becomes.
pub fn resolve_links(site: &mut Site, content_root: &Path, problems: &mut Diagnostics) {
    let paths = site_paths(site);
    let mut bodies: Vec<&mut MarkdownSource> = site
        .footprints
        .iter_mut()
        .filter_map(|f| f.roadmap.as_mut())
        .chain(site.stories.iter_mut().map(|s| &mut s.body))
        .chain(site.events.iter_mut().map(|e| &mut e.body))
        .chain(site.pages.iter_mut().map(|p| &mut p.body))
        .collect();
    // In parallel (each text is parsed twice), the problems then in the texts' order.
    let found: Vec<Diagnostics> = bodies
        .par_iter_mut()
        .map(|body| {
            let mut found = Diagnostics::new();
            super::check_markdown(body, &paths, content_root, &mut found);
            found
        })
        .collect();
    for found in found {
        problems.extend(found);
    }
    site.link_targets = paths;
}

/// The links of one Markdown text, each checked against `paths`.
pub(super) fn check_body(
    body: &MarkdownSource,
    paths: &HashSet<String>,
    content_root: &Path,
    problems: &mut Diagnostics,
) -> BTreeMap<String, String> {
    let mut links = BTreeMap::new();
    let raw = super::raw_html::raw_addresses(body)
        .into_iter()
        .map(|(range, address)| (range, CowStr::from(address)));
    // With the text's own options: without footnotes, `[^1]: Ibid.` is read as a link
    // definition, and `[^1]` as a link to `Ibid.`.
    let markdown = body
        .parser()
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                Some((range, dest_url))
            }
            _ => None,
        });
    for (range, destination) in markdown.chain(raw) {
        let at = body.start + range.start..body.start + range.end;
        match resolve(&destination, &body.file.path, paths, content_root) {
            Resolution::External => {}
            Resolution::Site(url) => {
                links.insert(destination.to_string(), url);
            }
            Resolution::Missing(help) => problems.push(
                Diagnostic::error(format!("link to `{destination}` goes nowhere"))
                    .at(body.file.locate(at))
                    .label("no page or file at this address")
                    .help(help),
            ),
        }
    }
    links
}

enum Resolution {
    External,
    Site(String),
    Missing(String),
}

fn resolve(
    destination: &str,
    from: &Path,
    paths: &HashSet<String>,
    content_root: &Path,
) -> Resolution {
    // As the browser reads the address (`/\\host/` is another site), so that an address
    // the HTML policy judges as elsewhere is not also called a missing page.
    let is_external =
        destination.starts_with('#') || super::html_policy::leaves_the_site(destination);
    if is_external || destination.is_empty() {
        return Resolution::External;
    }
    let (path, fragment) = match destination.find(['#', '?']) {
        Some(i) => destination.split_at(i),
        None => (destination, ""),
    };
    if path.starts_with('/') {
        return if paths.contains(path) {
            Resolution::Site(destination.to_string())
        } else if paths.contains(&format!("{path}/")) {
            Resolution::Site(format!("{path}/{fragment}"))
        } else {
            Resolution::Missing(
                "site paths look like /footprints/<slug>/ or /organisations/<code>/; check the spelling".into(),
            )
        };
    }
    let target = normalise(&from.parent().unwrap_or(Path::new("")).join(path));
    match content_url(&target, content_root) {
        Some(url) if paths.contains(&url) => Resolution::Site(format!("{url}{fragment}")),
        _ if target.is_file() && !path.ends_with(".md") => Resolution::External,
        _ => Resolution::Missing(format!(
            "{} is not a content file; link to another page's .md file or to a site path such as /about/",
            target.display()
        )),
    }
}

/// The URL of the page a content file makes, if it makes one.
fn content_url(file: &Path, content_root: &Path) -> Option<String> {
    let relative = file.strip_prefix(normalise(content_root)).ok()?;
    let parts: Vec<&str> = relative.iter().filter_map(|p| p.to_str()).collect();
    let stem = |name: &str| slugify(name.trim_end_matches(".md"));
    match parts[..] {
        ["footprints", folder, "roadmap.md" | "footprint.toml"] => {
            Some(footprint_url(&slugify(folder)))
        }
        ["stories", name] if name.ends_with(".md") => Some(story_url(&stem(name))),
        ["events", name] if name.ends_with(".md") => Some(event_url(&stem(name))),
        ["pages", name] if name.ends_with(".md") => Some(page_url(&stem(name))),
        _ => None,
    }
}

/// Resolves `.` and `..` by hand: the file may not exist, so `canonicalize` cannot be used.
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}
