//! Stage 4: files made from the whole site rather than one page: the sitemap, robots.txt
//! and the open-data exports.

mod exports;
mod sitemap;

use crate::diagnostic::Diagnostics;
use crate::model::Site;
use crate::render::OutputFile;

/// Builds the site-wide files from the model and the pages already rendered.
pub fn index_site(site: &Site, pages: &[OutputFile]) -> Result<Vec<OutputFile>, Diagnostics> {
    Ok(vec![
        sitemap::sitemap(site, pages),
        sitemap::robots(site),
        exports::footprints_json(site)?,
        exports::organisations_csv(site)?,
    ])
}
