//! The site's URL scheme, and the check that every internal Markdown link lands on a page.

use std::collections::{BTreeMap, HashSet};
use std::path::{Component, Path, PathBuf};

use pulldown_cmark::{Event, Parser, Tag};

use super::{MarkdownSource, Site, slugify};
use crate::diagnostic::{Diagnostic, Diagnostics};

pub fn footprint_path(slug: &str) -> String {
    format!("/footprints/{slug}/")
}

pub fn organisation_path(code: &str) -> String {
    format!("/organisations/{code}/")
}

pub fn story_path(slug: &str) -> String {
    format!("/stories/{slug}/")
}

pub fn event_path(slug: &str) -> String {
    format!("/events/{slug}/")
}

pub fn page_path(slug: &str) -> String {
    format!("/{slug}/")
}

/// Section listings and generated files that every site has.
pub const FIXED_PATHS: [&str; 12] = [
    "/",
    "/footprints/",
    "/organisations/",
    "/stories/",
    "/events/",
    "/search/",
    "/404.html",
    "/sitemap.xml",
    "/robots.txt",
    "/data/footprints.json",
    "/data/organisations.csv",
    "/data/digital-maturity.csv",
];

/// The roadmap views, calendars and feeds every site has, and the accessibility statement
/// and privacy notice (generated, or a content page of the same name) and the open data page.
pub const ROADMAP_VIEW_PATHS: [&str; 9] = [
    "/data/",
    "/accessibility/",
    "/privacy/",
    "/capabilities/",
    "/digital-maturity/",
    "/events.ics",
    "/feed.xml",
    "/data/footprints.schema.json",
    "/events/kind/national/",
];

fn site_paths(site: &Site) -> HashSet<String> {
    let mut paths: HashSet<String> = FIXED_PATHS
        .iter()
        .chain(&ROADMAP_VIEW_PATHS)
        .map(|p| p.to_string())
        .collect();
    paths.extend(["regional", "virtual"].map(|kind| format!("/events/kind/{kind}/")));
    paths.extend(
        site.config
            .regions
            .iter()
            .map(|r| format!("/events/region/{}/", slugify(r))),
    );
    let tags = site.stories.iter().flat_map(|s| &s.tags);
    paths.extend(tags.map(|tag| format!("/stories/tags/{}/", slugify(tag))));
    for footprint in &site.footprints {
        paths.insert(footprint_path(&footprint.slug));
        paths.extend(footprint.merged_from.iter().map(|old| footprint_path(old)));
        for attachment in &footprint.attachments {
            let name = attachment.file_name().unwrap_or_default().to_string_lossy();
            paths.insert(format!("/footprints/{}/{name}", footprint.slug));
        }
    }
    paths.extend(
        site.registry
            .iter()
            .map(|o| organisation_path(o.code.as_str())),
    );
    paths.extend(site.stories.iter().map(|s| story_path(&s.slug)));
    paths.extend(site.events.iter().map(|e| event_path(&e.slug)));
    paths.extend(
        site.events
            .iter()
            .map(|e| format!("/events/{}.ics", e.slug)),
    );
    paths.extend(site.pages.iter().map(|p| page_path(&p.slug)));
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
    let bodies = site
        .footprints
        .iter_mut()
        .filter_map(|f| f.roadmap.as_mut())
        .chain(site.stories.iter_mut().map(|s| &mut s.body))
        .chain(site.events.iter_mut().map(|e| &mut e.body))
        .chain(site.pages.iter_mut().map(|p| &mut p.body));
    for body in bodies {
        super::check_markdown(body, &paths, content_root, problems);
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
    for (event, range) in Parser::new(body.text()).into_offset_iter() {
        let destination = match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => dest_url,
            _ => continue,
        };
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
    let is_external = destination.starts_with('#')
        || destination.starts_with("//")
        || destination
            .split_once(':')
            .is_some_and(|(scheme, _)| !scheme.contains('/'));
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
            Some(footprint_path(&slugify(folder)))
        }
        ["stories", name] if name.ends_with(".md") => Some(story_path(&stem(name))),
        ["events", name] if name.ends_with(".md") => Some(event_path(&stem(name))),
        ["pages", name] if name.ends_with(".md") => Some(page_path(&stem(name))),
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
