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
//! ```
//!
//! A term's shard is named by its first two characters, or more where a shard would pass
//! [`SPLIT_BYTES`] (the manifest lists the keys that were split): the browser lengthens the
//! key while it is split and the word is longer, so every query word needs exactly one
//! shard, whatever the size of the site. A word that ends on a split key (`e54` where the
//! footprint codes `e54000001`... fill many shards) matches whole terms only there; its
//! prefix matches come once it reaches a shard of its own.

use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::Write;

use flate2::Compression;
use flate2::write::GzEncoder;
use rayon::prelude::*;
use serde::Serialize;

use super::postings::Index;
use super::records::{Kind, SearchRecord};
use crate::render::OutputFile;

/// Where the index lives in the site.
pub const DIR: &str = "search/index";
/// A shard bigger than this, as JSON before compression, is split by the next character.
const SPLIT_BYTES: usize = 8 * 1024;
/// Shard keys stop growing here: a single long posting list cannot be split anyway.
const MAX_KEY_CHARS: usize = 6;
/// Records per file of records: the results of one page come from a few of them.
const RECORDS_PER_FILE: usize = 16;
/// Changes when the meaning of the files changes; search-engine.js refuses another.
const FORMAT: u32 = 1;

#[derive(Serialize)]
struct Manifest<'a> {
    format: u32,
    /// Changes whenever any file of the index changes; the browser asks for `?v=version`
    /// so a cached shard of an earlier build is never mixed with this one.
    version: String,
    records: usize,
    records_per_file: usize,
    kinds: Vec<KindRange>,
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

/// The files of the index of `records`, which are in id order.
pub fn files(records: &[SearchRecord], index: &Index, regions: &[String]) -> Vec<OutputFile> {
    let (shards, split) = shards(index);
    let mut json: Vec<(String, Vec<u8>)> = Vec::new();
    for (key, terms) in &shards {
        json.push((format!("t/{}", file_name(key)), to_json(terms)));
    }
    for (n, chunk) in records.chunks(RECORDS_PER_FILE).enumerate() {
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
        json.push((format!("d/{n}"), to_json(&docs)));
    }
    for (i, region) in regions.iter().enumerate() {
        let ids = records.iter().map(|r| r.regions.contains(region));
        json.push((format!("r/{i}"), to_json(&runs(ids))));
    }
    let mut hasher = DefaultHasher::new();
    json.hash(&mut hasher);
    let manifest = Manifest {
        format: FORMAT,
        version: format!("{:016x}", hasher.finish()),
        records: records.len(),
        records_per_file: RECORDS_PER_FILE,
        kinds: kind_ranges(records),
        regions,
        split,
    };
    json.push(("meta".into(), to_json(&manifest)));
    json.into_par_iter()
        .map(|(name, bytes)| OutputFile::bytes(format!("{DIR}/{name}.json.gz"), gzip(&bytes)))
        .collect()
}

type Shard<'a> = BTreeMap<&'a str, &'a [u64]>;

/// Terms grouped by shard key, and the keys that were split.
fn shards(index: &Index) -> (BTreeMap<String, Shard<'_>>, Vec<String>) {
    let mut pending: Vec<(String, Shard)> = Vec::new();
    for (term, postings) in index {
        let key = prefix(term, 2);
        match pending.last_mut() {
            Some((last, shard)) if *last == key => {
                shard.insert(term, postings);
            }
            _ => pending.push((key, Shard::from([(term.as_str(), postings.as_slice())]))),
        }
    }
    let mut shards = BTreeMap::new();
    let mut split = Vec::new();
    while let Some((key, terms)) = pending.pop() {
        let depth = key.chars().count();
        if depth >= MAX_KEY_CHARS || json_size(&terms) <= SPLIT_BYTES {
            shards.insert(key, terms);
            continue;
        }
        // Terms no longer than the key stay in its shard; the rest go one character deeper.
        let mut here = Shard::new();
        let mut deeper: BTreeMap<String, Shard> = BTreeMap::new();
        for (term, postings) in terms {
            if term.chars().count() > depth {
                deeper
                    .entry(prefix(term, depth + 1))
                    .or_default()
                    .insert(term, postings);
            } else {
                here.insert(term, postings);
            }
        }
        if !here.is_empty() {
            shards.insert(key.clone(), here);
        }
        pending.extend(deeper);
        split.push(key);
    }
    split.sort();
    (shards, split)
}

fn prefix(term: &str, chars: usize) -> String {
    term.chars().take(chars).collect()
}

/// About the size of a shard as JSON, without making it.
fn json_size(terms: &Shard) -> usize {
    terms
        .iter()
        .map(|(term, postings)| {
            term.len() + 4 + postings.iter().map(|p| digits(*p) + 1).sum::<usize>()
        })
        .sum()
}

fn digits(n: u64) -> usize {
    n.checked_ilog10().map_or(1, |d| d as usize + 1)
}

/// A shard key as a file name: letters a-z and digits as they are, any other character as
/// `_<hex>_` (the browser names files the same way).
pub fn file_name(key: &str) -> String {
    key.chars()
        .map(|c| {
            if c.is_ascii_lowercase() || c.is_ascii_digit() {
                c.to_string()
            } else {
                format!("_{:x}_", c as u32)
            }
        })
        .collect()
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

    #[test]
    fn file_names_are_safe_in_a_url() {
        assert_eq!(file_name("ch"), "ch");
        assert_eq!(file_name("0c"), "0c");
        assert_eq!(file_name("øs"), "_f8_s");
    }

    #[test]
    fn a_big_shard_is_split_by_a_third_character() {
        let mut index = Index::new();
        // Two-character terms stay in the two-character shard.
        index.insert("ch".into(), vec![1]);
        for c in 'a'..='z' {
            index.insert(format!("ch{c}"), vec![123_456; 100]);
        }
        index.insert("zz".into(), vec![1]);
        let (shards, split) = shards(&index);
        assert_eq!(split, vec!["ch".to_string()]);
        assert!(shards["ch"].contains_key("ch"));
        assert!(shards["cha"].contains_key("cha"));
        assert!(shards.contains_key("zz"));
    }

    #[test]
    fn a_shard_still_too_big_is_split_again() {
        let mut index = Index::new();
        for i in 0..2000 {
            index.insert(format!("e54{i:06}"), vec![16 * 9999 + 15]);
        }
        let (shards, split) = shards(&index);
        assert!(split.contains(&"e5".to_string()) && split.contains(&"e54".to_string()));
        assert!(shards["e54001"].contains_key("e54001234"));
        assert!(
            shards
                .iter()
                .all(|(key, s)| key.len() == MAX_KEY_CHARS || json_size(s) <= SPLIT_BYTES)
        );
    }
}
