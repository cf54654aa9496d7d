//! Stage 4: files made from the whole site rather than one page: the sitemap, robots.txt,
//! the open-data exports with their schema, the Atom feed, the calendars and the search
//! index.

mod calendar;
mod exports;
mod feed;
pub mod search;
mod sitemap;

use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::Site;
use crate::model::inputs::{Fragment, assembled_from};
use crate::model::routes::Route;
use crate::output::OutputFile;

/// The fragments the largest generated files are assembled from, kept by `ldr serve` so
/// that an edit remakes one footprint's record, not the whole of `footprints.json`.
#[derive(Default)]
pub struct Fragments(FxHashMap<Fragment, Arc<[u8]>>);

impl Fragments {
    /// Every fragment of `site` that this stage makes.
    pub fn new(site: &Site) -> Result<Fragments, Diagnostics> {
        let mut fragments = Fragments::default();
        fragments.remake(site, &Fragment::every(site))?;
        Ok(fragments)
    }

    /// Makes again those of `fragments` that this stage makes (the others are parts of
    /// pages, which the render stage makes); returns those whose bytes changed.
    pub fn remake(
        &mut self,
        site: &Site,
        fragments: &[Fragment],
    ) -> Result<Vec<Fragment>, Diagnostics> {
        let made: Vec<Result<(Fragment, Vec<u8>), Diagnostics>> = fragments
            .par_iter()
            .filter_map(|fragment| {
                let bytes = fragment_bytes(site, fragment)?;
                Some(bytes.map(|bytes| (fragment.clone(), bytes)))
            })
            .collect();
        let mut changed = Vec::new();
        for result in made {
            let (fragment, bytes) = result?;
            if self.0.get(&fragment).is_none_or(|old| **old != *bytes) {
                self.0.insert(fragment.clone(), Arc::from(bytes));
                changed.push(fragment);
            }
        }
        Ok(changed)
    }

    /// Forgets the fragments of records that are gone.
    pub fn remove(&mut self, gone: &[Fragment]) {
        for fragment in gone {
            self.0.remove(fragment);
        }
    }

    /// The made fragments `route` is assembled from, in its order.
    fn of(&self, route: &Route, site: &Site) -> Result<Vec<&[u8]>, Diagnostics> {
        assembled_from(route, site)
            .iter()
            .map(|fragment| self.get(fragment))
            .collect()
    }

    fn get(&self, fragment: &Fragment) -> Result<&[u8], Diagnostics> {
        self.0.get(fragment).map(|bytes| &bytes[..]).ok_or_else(|| {
            Diagnostic::error(format!("internal error: {fragment:?} was not made")).into()
        })
    }
}

fn fragment_bytes(site: &Site, fragment: &Fragment) -> Option<Result<Vec<u8>, Diagnostics>> {
    match fragment {
        Fragment::FootprintRecord(slug) => Some(exports::footprint_record(site, slug)),
        Fragment::OrganisationRow(code) => Some(exports::organisation_row(site, code)),
        Fragment::CapabilityRow(_)
        | Fragment::OrganisationEntry(_)
        | Fragment::CapabilityHeading(_) => None,
    }
}

/// Builds every site-wide file of the site (the routes without a template), all but the
/// search index ([`search::SearchIndex`]), which `ldr serve` keeps to update.
pub fn index_site(site: &Site, fragments: &Fragments) -> Result<Vec<OutputFile>, Diagnostics> {
    let routes: Vec<Route> = Route::every(site)
        .into_iter()
        .filter(|route| route.template().is_none())
        .collect();
    generated_files(site, &routes, fragments)
}

/// The files of `routes` that are made here rather than rendered from a template.
pub fn generated_files(
    site: &Site,
    routes: &[Route],
    fragments: &Fragments,
) -> Result<Vec<OutputFile>, Diagnostics> {
    let made: Vec<Result<Option<OutputFile>, Diagnostics>> = routes
        .par_iter()
        .map(|route| generated_file(site, route, fragments))
        .collect();
    let mut files = Vec::new();
    let mut problems = Diagnostics::new();
    for result in made {
        match result {
            Ok(file) => files.extend(file),
            Err(more) => problems.extend(more),
        }
    }
    if problems.has_errors() {
        return Err(problems);
    }
    Ok(files)
}

/// The file of one route, if this stage makes it (`None` for pages).
fn generated_file(
    site: &Site,
    route: &Route,
    fragments: &Fragments,
) -> Result<Option<OutputFile>, Diagnostics> {
    let missing = || {
        Diagnostic::error(format!(
            "internal error: nothing to make at {}",
            route.url()
        ))
    };
    Ok(Some(match route {
        Route::Sitemap => sitemap::sitemap(site),
        Route::Robots => sitemap::robots(site),
        Route::FootprintsJson => {
            let records = fragments.of(route, site)?;
            exports::footprints_json(records.iter().copied())
        }
        Route::FootprintsSchema => exports::footprints_schema(),
        Route::OrganisationsCsv => {
            let rows = fragments.of(route, site)?;
            exports::organisations_csv(rows.iter().copied())
        }
        Route::DigitalMaturityCsv => exports::digital_maturity_csv(site)?,
        Route::Feed => feed::atom_feed(site),
        Route::Calendar => calendar::site_calendar(site),
        Route::EventCalendar(slug) => {
            calendar::event_calendar(site, site.event_by_slug(slug).ok_or_else(missing)?)
        }
        _ => return Ok(None),
    }))
}
