//! Parts of pages, each rendered on its own by a partial template and kept by `ldr serve`:
//! the rows of the two pages that list every footprint or organisation in full (the
//! capability matrix, the A to Z), so that an edit renders one row again, not ten thousand
//! (at 10,000 footprints the matrix is 17 MB and took 110-190 ms to render whole); and the
//! heading of each capability, which is spliced into every footprint page in place
//! ([`Fragment::is_spliced`]).

use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use tera::Context;

use super::templates::Templates;
use super::vars::Vars;
use super::views::OrganisationLink;
use super::{pages::path_prefix, roadmap_views};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::Site;
use crate::model::inputs::Fragment;

/// The template of each kind of part; it sees `prefix` and its own variable.
const CAPABILITY_ROW: &str = "partials/capability_row.html";
const ORGANISATION_ENTRY: &str = "partials/organisation_entry.html";
const CAPABILITY_HEADING: &str = "partials/capability_heading.html";

/// Rendered parts, by the fragment they are.
#[derive(Default)]
pub struct Parts(FxHashMap<Fragment, Arc<str>>);

impl Parts {
    /// Every part of `site`.
    pub fn new(site: &Site, templates: &Templates) -> Result<Parts, Diagnostics> {
        let mut parts = Parts::default();
        parts.remake(site, templates, &Fragment::every(site))?;
        Ok(parts)
    }

    /// The kept texts of those of `fragments` that are spliced into a page, to find them
    /// there once they are made again.
    pub fn kept_of(&self, fragments: &[Fragment]) -> FxHashMap<Fragment, Arc<str>> {
        fragments
            .iter()
            .filter(|fragment| fragment.is_spliced())
            .filter_map(|fragment| Some((fragment.clone(), self.0.get(fragment)?.clone())))
            .collect()
    }

    /// The text of `fragment`, if it is kept.
    pub fn get(&self, fragment: &Fragment) -> Option<&Arc<str>> {
        self.0.get(fragment)
    }

    /// Renders again those of `fragments` that are parts of pages (the others are made by
    /// the index stage); returns those whose text changed.
    pub fn remake(
        &mut self,
        site: &Site,
        templates: &Templates,
        fragments: &[Fragment],
    ) -> Result<Vec<Fragment>, Diagnostics> {
        let prefix = path_prefix(&site.config.base_url);
        let made: Vec<(Fragment, Result<String, Diagnostic>)> = fragments
            .par_iter()
            .filter_map(|fragment| {
                let text = render_part(site, templates, &prefix, fragment)?;
                Some((fragment.clone(), text))
            })
            .collect();
        let mut changed = Vec::new();
        let mut problems = Diagnostics::new();
        for (fragment, text) in made {
            match text {
                Ok(text) if self.0.get(&fragment).is_none_or(|old| **old != *text) => {
                    self.0.insert(fragment.clone(), Arc::from(text));
                    changed.push(fragment);
                }
                Ok(_) => {}
                Err(problem) if !problems.iter().any(|seen| *seen == problem) => {
                    problems.push(problem)
                }
                Err(_) => {}
            }
        }
        if problems.has_errors() {
            return Err(problems);
        }
        Ok(changed)
    }

    /// Forgets the parts of records that are gone.
    pub fn remove(&mut self, gone: &[Fragment]) {
        for fragment in gone {
            self.0.remove(fragment);
        }
    }

    /// The part `fragment`, or an internal error when it was not rendered.
    pub(super) fn get_or_missing(&self, fragment: &Fragment) -> Result<&str, Diagnostic> {
        self.0.get(fragment).map(|part| &**part).ok_or_else(|| {
            Diagnostic::error(format!("internal error: {fragment:?} was not rendered"))
        })
    }

    /// The parts of `fragments`, one after the other.
    pub(super) fn joined(
        &self,
        fragments: impl Iterator<Item = Fragment>,
    ) -> Result<String, Diagnostic> {
        let parts: Vec<&str> = fragments
            .map(|fragment| self.get_or_missing(&fragment))
            .collect::<Result<_, _>>()?;
        Ok(parts.concat())
    }
}

/// One part, if `fragment` is a part of a page.
fn render_part(
    site: &Site,
    templates: &Templates,
    prefix: &str,
    fragment: &Fragment,
) -> Option<Result<String, Diagnostic>> {
    let mut vars = Vars::default();
    vars.insert("prefix", prefix);
    let template = match fragment {
        Fragment::CapabilityRow(slug) => {
            let footprint = site.footprint_by_slug(slug)?;
            vars.insert("row", &roadmap_views::matrix_row(site, footprint));
            CAPABILITY_ROW
        }
        Fragment::OrganisationEntry(code) => {
            let organisation = site.registry.resolve(code.as_str())?;
            vars.insert("org", &OrganisationLink::new(organisation));
            ORGANISATION_ENTRY
        }
        Fragment::CapabilityHeading(id) => {
            let capability = site.capabilities.iter().find(|c| c.id == *id)?;
            vars.insert("capability", capability);
            CAPABILITY_HEADING
        }
        Fragment::FootprintRecord(_) | Fragment::OrganisationRow(_) => return None,
    };
    Some(templates.render(template, &vars.into_context(Context::new())))
}

/// `page` with the one place that has `old` in it given `new` instead; `None` when `old` is
/// empty or not there exactly once (a site's own template may show a part twice, or not
/// at all), and the page must be rendered again.
pub fn splice(page: &[u8], old: &str, new: &str) -> Option<Arc<[u8]>> {
    let old = old.as_bytes();
    if old.is_empty() {
        return None;
    }
    let finder = memchr::memmem::Finder::new(old);
    let at = finder.find(page)?;
    // From the next byte on, so that an overlapping second place counts too.
    if finder.find(&page[at + 1..]).is_some() {
        return None;
    }
    let (before, after) = (&page[..at], &page[at + old.len()..]);
    // Made in place, not in a Vec then copied into an Arc: one copy of each page, not two,
    // and a capability's new title is spliced into ten thousand pages.
    let mut spliced: Arc<[u8]> =
        std::iter::repeat_n(0, page.len() - old.len() + new.len()).collect();
    let bytes = Arc::get_mut(&mut spliced)?;
    let (head, rest) = bytes.split_at_mut(before.len());
    let (middle, tail) = rest.split_at_mut(new.len());
    head.copy_from_slice(before);
    middle.copy_from_slice(new.as_bytes());
    tail.copy_from_slice(after);
    Some(spliced)
}

#[cfg(test)]
mod tests {
    use super::splice;

    #[test]
    fn a_part_found_once_is_put_in_place() {
        let page = b"<h2>Plans</h2><table>A. Old</table><p>After</p>";
        let spliced = splice(page, "<table>A. Old</table>", "<table>A. New title</table>");
        assert_eq!(
            spliced.as_deref(),
            Some(&b"<h2>Plans</h2><table>A. New title</table><p>After</p>"[..])
        );
        let shorter = splice(page, "<table>A. Old</table>", "<table>A</table>");
        assert_eq!(
            shorter.as_deref(),
            Some(&b"<h2>Plans</h2><table>A</table><p>After</p>"[..])
        );
    }

    #[test]
    fn a_part_missing_twice_shown_or_empty_is_not_spliced() {
        assert_eq!(splice(b"<p>no table</p>", "<table>", "<table>x"), None);
        assert_eq!(
            splice(b"<table></table><table></table>", "<table></table>", "x"),
            None
        );
        assert_eq!(splice(b"<p>page</p>", "", "<table></table>"), None);
        // Overlapping twice is twice.
        assert_eq!(splice(b"aaa", "aa", "b"), None);
        // A start of it just before does not hide it.
        let spliced = splice(b"xxxyxxxz", "xxxz", "-");
        assert_eq!(spliced.as_deref(), Some(&b"xxxy-"[..]));
    }
}
