//! Stage 4: files made from the whole site rather than one page: the sitemap, robots.txt,
//! the open-data exports with their schema, the Atom feed, the calendars and the search
//! index.

mod calendar;
mod exports;
mod feed;
pub mod search;
mod sitemap;

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::Site;
use crate::model::routes::Route;
use crate::output::OutputFile;

/// Builds every site-wide file of the site (the routes without a template), all but the
/// search index ([`search::SearchIndex`]), which `ldr serve` keeps to update.
pub fn index_site(site: &Site) -> Result<Vec<OutputFile>, Diagnostics> {
    let routes: Vec<Route> = Route::every(site)
        .into_iter()
        .filter(|route| route.template().is_none())
        .collect();
    generated_files(site, &routes)
}

/// The files of `routes` that are made here rather than rendered from a template.
pub fn generated_files(site: &Site, routes: &[Route]) -> Result<Vec<OutputFile>, Diagnostics> {
    let made: Vec<Result<Option<OutputFile>, Diagnostics>> = routes
        .par_iter()
        .map(|route| generated_file(site, route))
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
fn generated_file(site: &Site, route: &Route) -> Result<Option<OutputFile>, Diagnostics> {
    let missing = || {
        Diagnostic::error(format!(
            "internal error: nothing to make at {}",
            route.url()
        ))
    };
    Ok(Some(match route {
        Route::Sitemap => sitemap::sitemap(site),
        Route::Robots => sitemap::robots(site),
        Route::FootprintsJson => exports::footprints_json(site)?,
        Route::FootprintsSchema => exports::footprints_schema(),
        Route::OrganisationsCsv => exports::organisations_csv(site)?,
        Route::DigitalMaturityCsv => exports::digital_maturity_csv(site)?,
        Route::Feed => feed::atom_feed(site),
        Route::Calendar => calendar::site_calendar(site),
        Route::EventCalendar(slug) => {
            calendar::event_calendar(site, site.event_by_slug(slug).ok_or_else(missing)?)
        }
        _ => return Ok(None),
    }))
}
