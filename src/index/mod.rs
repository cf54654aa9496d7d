//! Stage 4: files made from the whole site rather than one page: the sitemap, robots.txt,
//! the open-data exports with their schema, the Atom feed, the calendars and the search
//! index.

mod calendar;
mod exports;
mod feed;
pub mod search;
mod sitemap;

use crate::diagnostic::Diagnostics;
use crate::model::Site;
use crate::output::OutputFile;

/// Builds the site-wide files from the model and the pages already rendered, all but the
/// search index ([`search::SearchIndex`]), which `ldr serve` keeps to update.
pub fn index_site(site: &Site) -> Result<Vec<OutputFile>, Diagnostics> {
    let mut files = vec![
        sitemap::sitemap(site),
        sitemap::robots(site),
        exports::footprints_json(site)?,
        exports::footprints_schema(),
        exports::organisations_csv(site)?,
        exports::digital_maturity_csv(site)?,
        feed::atom_feed(site),
    ];
    files.extend(calendar::calendars(site));
    Ok(files)
}
