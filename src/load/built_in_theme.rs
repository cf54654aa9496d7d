//! The default theme, built into the binary: `ldr init` starts a site anywhere with it, and
//! a template error in a site's copy that differs from it can say so (a copy made by an
//! older `ldr init`). A test checks this list against `themes/default/`, so a file added to
//! the theme is not forgotten.

macro_rules! theme_files {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/", $path)))),*]
    };
}

/// Each file of `themes/default/`, by its path inside the theme.
pub const DEFAULT_THEME: &[(&str, &[u8])] = theme_files![
    "static/favicon.svg",
    "static/search-engine.js",
    "static/search.css",
    "static/search.js",
    "static/style.css",
    "templates/404.html",
    "templates/accessibility.html",
    "templates/base.html",
    "templates/capabilities.html",
    "templates/data.html",
    "templates/digital-maturity.html",
    "templates/event.html",
    "templates/events.html",
    "templates/footprint.html",
    "templates/footprints.html",
    "templates/index.html",
    "templates/organisation.html",
    "templates/organisations.html",
    "templates/page.html",
    "templates/partials/breadcrumbs.html",
    "templates/partials/capability_heading.html",
    "templates/partials/capability_row.html",
    "templates/partials/csp.html",
    "templates/partials/event_list.html",
    "templates/partials/example.html",
    "templates/partials/metadata.html",
    "templates/partials/organisation_entry.html",
    "templates/partials/page_furniture.html",
    "templates/partials/region_map.html",
    "templates/privacy.html",
    "templates/redirect.html",
    "templates/search.html",
    "templates/stories.html",
    "templates/story.html",
];

/// The built-in theme's text of the template `name` (its path under `templates/`).
pub fn built_in_template(name: &str) -> Option<&'static str> {
    DEFAULT_THEME
        .iter()
        .find(|(path, _)| path.strip_prefix("templates/") == Some(name))
        .and_then(|(_, bytes)| std::str::from_utf8(bytes).ok())
}
