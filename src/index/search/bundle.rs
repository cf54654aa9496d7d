//! The index as small files, so a query downloads only what it needs: a manifest, the
//! term shard of each query word, the records of the results shown, and a region's list
//! when the region filter is used. Every file is gzip-compressed JSON (the browser
//! inflates it with `DecompressionStream`), so the transfer is small even where the host
//! does not compress.
//!
//! ```text
//! search/index/meta.json.gz       format, version, record count, kind ranges, regions, split shards
//! search/index/t/<key>.json.gz    {"term": [postings], ...} for the terms starting with <key>
//! search/index/d/<n>.json.gz      records n*16 .. n*16+15: [title, url, code, detail, excerpt, [footprints]]
//! search/index/r/<i>.json.gz      the ids of region i's records, as [gap, run length] pairs
//! search/index/w/first-<c>.json.gz, w/second-<c>.json.gz
//!                                 the words with letter <c> first or second, for typos (words.rs)
//! ```
//!
//! A term's shard is named by its first two characters, or more where a shard would pass
//! `SPLIT_BYTES` in `shards.rs` (the manifest lists the keys that were split): the browser
//! lengthens the key while it is split and the word is longer, so every query word needs
//! exactly one shard, whatever the size of the site. A word that ends on a split key (`e54`
//! where the footprint codes `e54000001`... fill many shards) matches whole terms only
//! there; its prefix matches come once it reaches a shard of its own.

use std::collections::{BTreeMap, BTreeSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::Write;

use flate2::Compression;
use flate2::write::GzEncoder;
use rayon::prelude::*;
use serde::Serialize;

use super::postings::Index;
use super::records::{Kind, SearchRecord};
use super::shards::{Shard, file_name, group_terms, groups_of, split_group};
use super::words;
use crate::model::OrganisationKind;
use crate::output::OutputFile;

/// Where the index lives in the site.
pub const DIR: &str = "search/index";
/// Records per file of records: the results of one page come from a few of them.
const RECORDS_PER_FILE: usize = 16;
/// Changes when the meaning of the files changes; search-engine.js refuses another.
const FORMAT: u32 = 2;

#[derive(Serialize)]
struct Manifest<'a> {
    format: u32,
    /// Changes whenever any file of the index changes; the browser asks for `?v=version`
    /// so a cached shard of an earlier build is never mixed with this one.
    version: String,
    records: usize,
    records_per_file: usize,
    kinds: Vec<KindRange>,
    /// Organisations are numbered by their own kind too: CCGs, trusts, local authorities.
    organisation_kinds: Vec<OrganisationKindRange>,
    regions: &'a [String],
    split: Vec<String>,
}

/// The records of one kind are ids `from..to`.
#[derive(Serialize)]
struct KindRange {
    kind: Kind,
    from: usize,
    to: usize,
}

/// The organisations of one kind are ids `from..to`.
#[derive(Serialize)]
struct OrganisationKindRange {
    kind: OrganisationKind,
    from: usize,
    to: usize,
}

/// The index as files, and what is needed to rewrite only the files an edit changes.
#[derive(Default)]
pub struct Bundle {
    /// The shards and split keys of each group of terms sharing their first two characters.
    groups: BTreeMap<String, Layout>,
    /// The hash of every file's JSON but the manifest's, by name: the manifest's version
    /// is made from them, so an edit need not serialise the files it did not touch.
    hashes: BTreeMap<String, u64>,
}

#[derive(Default)]
struct Layout {
    shards: Vec<String>,
    split: Vec<String>,
}

/// Files of the index that an edit changed, and names of files it left without content.
#[derive(Default)]
pub struct BundleChange {
    pub changed: Vec<OutputFile>,
    pub removed: Vec<String>,
}

impl Bundle {
    /// Lays out the index of `records` (which are in id order) and makes every file.
    pub fn new(
        records: &[SearchRecord],
        index: &Index,
        regions: &[String],
    ) -> (Bundle, Vec<OutputFile>) {
        let mut groups = BTreeMap::new();
        let mut json: Vec<(String, Vec<u8>)> = Vec::new();
        let laid_out: Vec<_> = groups_of(index)
            .into_par_iter()
            .map(|(group, terms)| (lay_out(&group, terms), group))
            .collect();
        for ((layout, files), group) in laid_out {
            json.extend(files);
            groups.insert(group, layout);
        }
        json.par_extend(
            (0..records.len().div_ceil(RECORDS_PER_FILE))
                .into_par_iter()
                .map(|n| records_file(records, n)),
        );
        for ((position, letter), words) in words::lists(index) {
            json.push((words::list_name(position, letter), to_json(&words)));
        }
        for i in 0..regions.len() {
            json.push(region_file(records, regions, i));
        }
        let hashes = json
            .iter()
            .map(|(name, bytes)| (name.clone(), hash_of(bytes)))
            .collect();
        let bundle = Bundle { groups, hashes };
        json.push(bundle.manifest(records, regions));
        (bundle, compress(json))
    }

    /// The files that change when the postings of the terms in `groups` and the records of
    /// `record_ids` changed (the ids and regions of records staying as they were).
    pub fn update(
        &mut self,
        records: &[SearchRecord],
        index: &Index,
        regions: &[String],
        groups: BTreeSet<String>,
        record_ids: BTreeSet<usize>,
    ) -> BundleChange {
        let mut json: Vec<(String, Vec<u8>)> = Vec::new();
        let mut removed = Vec::new();
        let mut gone = Vec::new();
        for (position, letter) in words::lists_touched(&groups) {
            let name = words::list_name(position, letter);
            let list = words::list(index, position, letter);
            if !list.is_empty() {
                json.push((name, to_json(&list)));
            } else if self.hashes.remove(&name).is_some() {
                gone.push(path_of(&name));
            }
        }
        for group in groups {
            let old = self.groups.remove(&group).unwrap_or_default();
            let terms = group_terms(index, &group);
            let new = if terms.is_empty() {
                Layout::default()
            } else {
                let (layout, files) = lay_out(&group, terms);
                json.extend(files);
                layout
            };
            removed.extend(
                old.shards
                    .into_iter()
                    .filter(|key| !new.shards.contains(key)),
            );
            if !new.shards.is_empty() {
                self.groups.insert(group, new);
            }
        }
        let chunks: BTreeSet<usize> = record_ids
            .into_iter()
            .map(|id| id / RECORDS_PER_FILE)
            .collect();
        json.extend(chunks.into_iter().map(|n| records_file(records, n)));
        // Unchanged bytes are left alone, so the browser's cached copies stay good.
        let mut changed = Vec::new();
        for (name, bytes) in json {
            let hash = hash_of(&bytes);
            if self.hashes.insert(name.clone(), hash) != Some(hash) {
                changed.push((name, bytes));
            }
        }
        for key in removed {
            let name = format!("t/{}", file_name(&key));
            self.hashes.remove(&name);
            gone.push(path_of(&name));
        }
        changed.push(self.manifest(records, regions));
        BundleChange {
            changed: compress(changed),
            removed: gone,
        }
    }

    fn manifest(&self, records: &[SearchRecord], regions: &[String]) -> (String, Vec<u8>) {
        let mut hasher = DefaultHasher::new();
        self.hashes.hash(&mut hasher);
        let mut split: Vec<String> = self
            .groups
            .values()
            .flat_map(|l| l.split.iter().cloned())
            .collect();
        split.sort();
        let manifest = Manifest {
            format: FORMAT,
            version: format!("{:016x}", hasher.finish()),
            records: records.len(),
            records_per_file: RECORDS_PER_FILE,
            kinds: kind_ranges(records),
            organisation_kinds: organisation_kind_ranges(records),
            regions,
            split,
        };
        ("meta".into(), to_json(&manifest))
    }
}

fn path_of(name: &str) -> String {
    format!("{DIR}/{name}.json.gz")
}

fn compress(json: Vec<(String, Vec<u8>)>) -> Vec<OutputFile> {
    json.into_par_iter()
        .map(|(name, bytes)| OutputFile::bytes(path_of(&name), gzip(&bytes)))
        .collect()
}

fn hash_of(bytes: &[u8]) -> u64 {
    let mut hasher = DefaultHasher::new();
    bytes.hash(&mut hasher);
    hasher.finish()
}

/// Records `n * RECORDS_PER_FILE` onwards: [title, url, code, detail, excerpt, [footprints]].
fn records_file(records: &[SearchRecord], n: usize) -> (String, Vec<u8>) {
    let from = n * RECORDS_PER_FILE;
    let chunk = &records[from..records.len().min(from + RECORDS_PER_FILE)];
    let docs: Vec<_> = chunk
        .iter()
        .map(|r| {
            (
                &r.title,
                &r.url,
                r.code.as_deref().unwrap_or(""),
                &r.detail,
                &r.excerpt,
                &r.footprints,
            )
        })
        .collect();
    (format!("d/{n}"), to_json(&docs))
}

fn region_file(records: &[SearchRecord], regions: &[String], i: usize) -> (String, Vec<u8>) {
    let ids = records.iter().map(|r| r.regions.contains(&regions[i]));
    (format!("r/{i}"), to_json(&runs(ids)))
}

/// One group's shards, split by longer keys while a shard is too big, as files.
fn lay_out(group: &str, terms: Shard) -> (Layout, Vec<(String, Vec<u8>)>) {
    let (shards, split) = split_group(group.to_string(), terms);
    let files = shards
        .iter()
        .map(|(key, terms)| (format!("t/{}", file_name(key)), to_json(terms)))
        .collect();
    let layout = Layout {
        shards: shards.into_keys().collect(),
        split,
    };
    (layout, files)
}

/// The ids where `member` is true, as gaps and run lengths: [gap, length, gap, length, ...].
fn runs(member: impl Iterator<Item = bool>) -> Vec<usize> {
    let mut out = Vec::new();
    let mut end = 0;
    let mut run_start = None;
    for (id, inside) in member.chain([false]).enumerate() {
        match (inside, run_start) {
            (true, None) => run_start = Some(id),
            (false, Some(start)) => {
                out.extend([start - end, id - start]);
                end = id;
                run_start = None;
            }
            _ => {}
        }
    }
    out
}

fn kind_ranges(records: &[SearchRecord]) -> Vec<KindRange> {
    Kind::ALL
        .into_iter()
        .filter_map(|kind| {
            let from = records.iter().position(|r| r.kind == kind)?;
            let to = records.iter().rposition(|r| r.kind == kind)? + 1;
            Some(KindRange { kind, from, to })
        })
        .collect()
}

fn organisation_kind_ranges(records: &[SearchRecord]) -> Vec<OrganisationKindRange> {
    let mut ranges: Vec<OrganisationKindRange> = Vec::new();
    for (id, record) in records.iter().enumerate() {
        let Some(kind) = record.organisation_kind else {
            continue;
        };
        match ranges.last_mut() {
            Some(range) if range.kind == kind && range.to == id => range.to = id + 1,
            _ => ranges.push(OrganisationKindRange {
                kind,
                from: id,
                to: id + 1,
            }),
        }
    }
    ranges
}

fn to_json<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).expect("search files serialise to JSON")
}

/// gzip with no file name and no time, so the same index makes the same bytes.
fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::with_capacity(bytes.len() / 3), Compression::default());
    encoder.write_all(bytes).expect("writing to memory");
    encoder.finish().expect("writing to memory")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_are_gaps_and_lengths() {
        let member = [false, true, true, false, false, true, true, true];
        assert_eq!(runs(member.into_iter()), vec![1, 2, 2, 3]);
        assert_eq!(runs([true].into_iter()), vec![0, 1]);
        assert!(runs([false, false].into_iter()).is_empty());
    }
}
