//! The search index: every footprint, organisation, story, event and page as a record,
//! indexed by the terms it contains and written as small files that the search page
//! (`static/search.js`) fetches as a query needs them. No server is involved.

mod bundle;
mod fold;
mod postings;
mod records;
mod shards;
mod words;

use std::collections::BTreeSet;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

pub use bundle::{BundleChange, DIR};
pub use records::{Kind, SearchRecord, search_records};

use bundle::Bundle;
use postings::{Index, Text};

use crate::model::routes::Route;
use crate::model::{OrganisationKind, Site};
use crate::output::OutputFile;

/// The index kept between builds of `ldr serve`, so an edit to one record rewrites only
/// the files that hold it or its changed terms.
#[derive(Default)]
pub struct SearchIndex {
    records: Vec<SearchRecord>,
    /// Record id by URL.
    ids: FxHashMap<String, usize>,
    index: Index,
    regions: Vec<String>,
    bundle: Bundle,
}

impl SearchIndex {
    /// The index of the whole site, and all its files.
    pub fn new(site: &Site) -> (SearchIndex, Vec<OutputFile>) {
        SearchIndex::made(site, Text::Keep)
    }

    /// The files of the index of the whole site, for a build that keeps nothing: each
    /// record's text goes as soon as its terms are in the index (66 MB at 10,000
    /// footprints, at the build's peak of memory).
    pub fn files(site: &Site) -> Vec<OutputFile> {
        let (index, files) = SearchIndex::made(site, Text::Forget);
        // Freeing a big site's records and postings took one thread 40 ms at 10,000
        // footprints, and nothing needs to wait for it.
        rayon::spawn(move || drop(index));
        files
    }

    fn made(site: &Site, text: Text) -> (SearchIndex, Vec<OutputFile>) {
        let mut records = search_records(site);
        let regions = site.config.regions.clone();
        in_listing_order(&mut records, &regions);
        let index = postings::index(&mut records, text);
        let (bundle, files) = Bundle::new(&records, &index, &regions);
        // Looked up only by an edit to a kept index.
        let ids = match text {
            Text::Keep => records
                .iter()
                .enumerate()
                .map(|(id, r)| (r.url.clone(), id))
                .collect(),
            Text::Forget => FxHashMap::default(),
        };
        let search = SearchIndex {
            records,
            ids,
            index,
            regions,
            bundle,
        };
        (search, files)
    }

    /// The index of `site`, made from this one by replacing the records of `routes`
    /// (the routes an edit made again): only the files those records and their changed
    /// terms reach are made again. `None` when a record was added or removed, or would
    /// move in the listing order (its title, kind or region changed), which only a new
    /// index can give.
    pub fn update(&mut self, site: &Site, routes: &[Route]) -> Option<BundleChange> {
        if site.config.regions != self.regions {
            return None;
        }
        let mut replaced = Vec::new();
        for route in routes {
            let record = records::record_of(site, route);
            let id = self.ids.get(&route.url()).copied();
            match (record, id) {
                (None, None) => {}
                (Some(record), Some(id)) if place(&record) == place(&self.records[id]) => {
                    if record != self.records[id] {
                        replaced.push((id, record));
                    }
                }
                _ => return None,
            }
        }
        let mut groups = BTreeSet::new();
        let mut ids = BTreeSet::new();
        for (id, record) in replaced {
            groups.extend(self.replace_record(id, record));
            ids.insert(id);
        }
        Some(
            self.bundle
                .update(&self.records, &self.index, &self.regions, groups, ids),
        )
    }

    /// Gives record `id` its new version; returns the groups of the terms that changed.
    fn replace_record(&mut self, id: usize, record: SearchRecord) -> Vec<String> {
        let changed = postings::replace_record(
            &mut self.index,
            id as u32,
            postings::record_terms(&self.records[id]),
            postings::record_terms(&record),
        );
        self.records[id] = record;
        changed.iter().map(|t| shards::group_of(t)).collect()
    }
}

/// What decides a record's id: with these unchanged, it keeps its place, and the ids of
/// every record stay as they were. The title is not among them, so a rename changes one
/// record and the shards of its words, not every id after it.
fn place(r: &SearchRecord) -> (Kind, Option<OrganisationKind>, &str, &[String]) {
    (r.kind, r.organisation_kind, &r.url, &r.regions)
}

/// Ids follow the order results of equal score are listed in: by kind (organisations by
/// their own kind, so each is one range of ids the browser can tell), then region (so a
/// region's records are long runs of ids and its list stays small), then by address,
/// which does not change when a title does.
fn in_listing_order(records: &mut [SearchRecord], regions: &[String]) {
    records.par_sort_by_cached_key(|r| {
        let region = r
            .regions
            .first()
            .and_then(|name| regions.iter().position(|x| x == name))
            .unwrap_or(regions.len());
        (r.kind, r.organisation_kind, region, r.url.clone())
    });
}
