//! The story family: `/stories/`, the list of each tag, and each story's page.

use serde::Serialize;

use super::{PageVars, Place};
use crate::model::Story;
use crate::model::routes::{Route, story_tags};
use crate::render::views::{review_view, story_view};
use crate::slug::slugify;

#[derive(Serialize)]
struct TagLink {
    tag: String,
    url: String,
    count: usize,
    current: bool,
}

/// `/stories/`, or (with `tag`, a tag's slug) `/stories/tags/<tag>/`.
pub(super) fn listing(page: &mut PageVars, tag: Option<&str>) -> Option<Place> {
    let site = page.site;
    let stories: Vec<_> = site
        .stories
        .iter()
        .filter(|s| tag.is_none_or(|t| s.tags.iter().any(|own| slugify(own) == t)))
        .map(|s| story_view(site, s))
        .collect();
    let names = story_tags(site);
    let tags: Vec<TagLink> = names
        .iter()
        .map(|(slug, name)| TagLink {
            count: site
                .stories
                .iter()
                .filter(|s| s.tags.iter().any(|t| slugify(t) == *slug))
                .count(),
            url: Route::StoryTag(slug.clone()).url(),
            current: tag == Some(slug.as_str()),
            tag: name.clone(),
        })
        .collect();
    let name = tag.and_then(|t| names.get(t).cloned());
    page.vars.insert("stories", &stories);
    page.vars.insert("tags", &tags);
    page.vars.insert("tag", &name);
    Some(match (tag, name) {
        (None, _) => Place::named("Stories"),
        (Some(tag), name) => {
            Place::named(&format!("Stories about {}", name.as_deref().unwrap_or(tag)))
        }
    })
}

/// A story's page.
pub(super) fn story(page: &mut PageVars, story: &Story) -> Option<Place> {
    let body = page.prose_html(&story.body);
    let vars = &mut page.vars;
    vars.insert("story", &story_view(page.site, story));
    vars.insert("og_type", "article");
    vars.insert("review", &review_view(story.review));
    vars.insert("body", &body);
    Some(Place::named(&story.title))
}
