//! The story family: `/stories/`, the list of each tag, and each story's page.

use serde::Serialize;

use super::{PageVars, Place};
use crate::model::Story;
use crate::model::routes::Route;
use crate::render::views::{StoryView, review_view, story_card, story_view};

#[derive(Serialize)]
struct TagLink {
    tag: String,
    url: String,
    count: usize,
    current: bool,
}

/// Tag pages list the other tags only while there are this many or fewer: every tag page
/// listing every tag made the pages grow as the square of the tags (a story with 10,000
/// tags made 10,000 pages of 10,000 links). `/stories/` always lists them all.
const TAGS_ON_A_TAG_PAGE: usize = 30;

/// `/stories/`, or (with `tag`, a tag's slug) `/stories/tags/<tag>/`.
///
/// Each costs its own stories and tags, from the site's tag index: the whole site is
/// never walked per tag page.
pub(super) fn listing(page: &mut PageVars, tag: Option<&str>) -> Option<Place> {
    let site = page.site;
    let stories: Vec<StoryView> = match tag {
        None => site.stories.iter().map(|s| story_view(site, s)).collect(),
        // A story's own tags are left out of its card here, as each of them has a page
        // listing the story: with them, one story of 10,000 tags wrote 10,000 tag links
        // on each of its 10,000 pages.
        Some(tag) => site
            .stories_of_tag(tag)
            .map(|s| story_card(site, s))
            .collect(),
    };
    let link = |(slug, name, count): (&str, &str, usize)| TagLink {
        count,
        url: Route::StoryTag(slug.to_string()).url(),
        current: tag == Some(slug),
        tag: name.to_string(),
    };
    let tags: Vec<TagLink> = match tag {
        Some(tag) if site.tag_count() > TAGS_ON_A_TAG_PAGE => site
            .tag(tag)
            .map(|(name, count)| link((tag, name, count)))
            .into_iter()
            .collect(),
        _ => site.tags().map(link).collect(),
    };
    let name = tag
        .and_then(|t| site.tag(t))
        .map(|(name, _)| name.to_string());
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
