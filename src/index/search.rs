//! The search index: every footprint, organisation, story, event and page as a record,
//! indexed by the terms it contains and written as small files that the search page
//! (`static/search.js`) fetches as a query needs them. No server is involved.

mod bundle;
mod fold;
mod postings;
mod records;

pub use bundle::DIR;
pub use records::{Kind, SearchRecord, search_records};

use fold::fold;

use crate::model::Site;
use crate::render::OutputFile;

/// The files of the site's search index, under [`DIR`].
pub fn search_index(site: &Site) -> Vec<OutputFile> {
    let mut records = search_records(site);
    in_listing_order(&mut records, &site.config.regions);
    let index = postings::index(&records);
    bundle::files(&records, &index, &site.config.regions)
}

/// Ids follow the order results of equal score are listed in: by kind, then region (so a
/// region's records are long runs of ids and its list stays small), then A to Z as in
/// the organisations list, where "NHS " is passed over.
fn in_listing_order(records: &mut [SearchRecord], regions: &[String]) {
    records.sort_by_cached_key(|r| {
        let region = r
            .regions
            .first()
            .and_then(|name| regions.iter().position(|x| x == name))
            .unwrap_or(regions.len());
        let title = fold(&r.title);
        let title = title.strip_prefix("nhs ").unwrap_or(&title).to_string();
        (r.kind, region, title, r.url.clone())
    });
}
