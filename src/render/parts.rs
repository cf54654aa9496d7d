//! Parts of the two pages that list every footprint or organisation in full (the capability
//! matrix, the A to Z): each row is rendered on its own by a partial template and kept, so
//! that `ldr serve` renders one row again after an edit, not ten thousand. At 10,000
//! footprints the matrix is 17 MB and took 110-190 ms to render whole.

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

    /// The parts of `fragments`, one after the other.
    pub(super) fn joined(
        &self,
        fragments: impl Iterator<Item = Fragment>,
    ) -> Result<String, Diagnostic> {
        let mut text = String::new();
        for fragment in fragments {
            let part = self.0.get(&fragment).ok_or_else(|| {
                Diagnostic::error(format!("internal error: {fragment:?} was not rendered"))
            })?;
            text.push_str(part);
        }
        Ok(text)
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
        Fragment::FootprintRecord(_) | Fragment::OrganisationRow(_) => return None,
    };
    Some(templates.render(template, &vars.into_context(Context::new())))
}
