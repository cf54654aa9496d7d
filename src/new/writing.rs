//! `ldr new story|event|page SLUG`: a Markdown file with the front matter to fill in, its
//! dates set to today, so an editor no longer copies an old file and edits it by hand.

use std::path::PathBuf;

use chrono::NaiveDate;

use super::{
    Undo, checked_slug, keep_if_the_site_builds, sentence_case, site_builds_before, write_new,
};
use crate::diagnostic::Diagnostics;
use crate::pipeline::BuildOptions;

/// The kinds of written content, each in its own folder of `content/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Writing {
    Story,
    Event,
    Page,
}

impl Writing {
    fn folder(self) -> &'static str {
        match self {
            Writing::Story => "stories",
            Writing::Event => "events",
            Writing::Page => "pages",
        }
    }

    fn name(self) -> &'static str {
        match self {
            Writing::Story => "story",
            Writing::Event => "event",
            Writing::Page => "page",
        }
    }
}

/// Writes `content/<folder>/<slug>.md` and checks the site; returns the file written.
pub fn new_writing(
    options: &BuildOptions,
    kind: Writing,
    slug: &str,
    title: Option<&str>,
    today: NaiveDate,
) -> Result<PathBuf, Diagnostics> {
    let slug = checked_slug(slug, kind.name())?;
    site_builds_before(options)?;
    let title = title.map_or_else(|| sentence_case(&slug), str::to_string);
    let path = options
        .content
        .join(kind.folder())
        .join(format!("{slug}.md"));
    let what = format!("the {} `{slug}`", kind.name());
    write_new(&path, template(kind, &title, today).as_bytes(), &what)?;
    keep_if_the_site_builds(options, Undo::Remove(path.clone()))?;
    Ok(path)
}

/// The file: front matter with every key, the optional ones commented out, then a prompt.
pub fn template(kind: Writing, title: &str, today: NaiveDate) -> String {
    // A TOML string, quoted and escaped as TOML wants it.
    let title = toml::Value::String(title.to_string());
    let (front, prompt) = match kind {
        Writing::Story => (
            format!(
                "title = {title}\n\
                 date = {today}\n\
                 # summary = \"One or two sentences for lists and search results.\"\n\
                 footprints = []      # footprint slugs: folder names under content/footprints/\n\
                 organisations = []   # ODS or GSS codes from content/organisations.csv\n\
                 tags = []            # topics, each with a page of its stories\n\
                 # reviewed = {today}   # \"Page last reviewed\"\n\
                 # review_due = {today}   # \"Next review due\": after `reviewed`\n"
            ),
            "What was done, by whom, and what changed for people and staff.",
        ),
        Writing::Event => (
            format!(
                "title = {title}\n\
                 start = {today}   # a date, or a local UK date-time: {today}T10:00:00\n\
                 end = {today}\n\
                 kind = \"national\"   # national | regional | virtual\n\
                 # region = \"\"        # for a regional event: one of site.toml's regions\n\
                 # location = \"\"\n\
                 # register = \"https://...\"   # a link or a mailto\n\
                 # organiser = \"\"     # who runs it\n\
                 # summary = \"One or two sentences for lists and calendars.\"\n"
            ),
            "What the event is for, who should come, and the agenda.",
        ),
        Writing::Page => (
            format!(
                "title = {title}\n\
                 # description = \"One sentence for search engines and shared links.\"\n\
                 # menu_order = 10   # pages with an order appear in the main navigation\n\
                 # reviewed = {today}   # \"Page last reviewed\"\n\
                 # review_due = {today}   # \"Next review due\": after `reviewed`\n"
            ),
            "The page's text, in Markdown.",
        ),
    };
    format!("+++\n{front}+++\n\n{prompt}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_with_quotes_is_escaped_as_toml() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let text = template(Writing::Story, "The \"Care Together\" record", today);
        let front = text.split("+++").nth(1).unwrap();
        let front: toml::Table = toml::from_str(front).unwrap();
        assert_eq!(
            front["title"].as_str(),
            Some("The \"Care Together\" record")
        );
        assert_eq!(front["date"].to_string(), "2026-11-30");
    }
}
