//! The inverted index: for every term, the records it is in and how much it counts there.
//!
//! A posting is one number, `gap * 16 + weight`: the gap from the previous record's id
//! (ids are given in the order results of equal score should be listed) and a weight of
//! 0 to 15. The weight says where the term stands, so the browser can rank without
//! fetching the records: 15 is the record's whole ODS or GSS code, 14 to 5 a title word
//! (14 in a one-word title, 5 in a title of ten words or more, so the browser can tell an
//! exact title from a longer one), 4 a keyword (footprint, tag, kind, place, summary), 1
//! the body.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use rayon::prelude::*;

use super::fold::{fold, for_each_term, terms};
use super::records::SearchRecord;

pub const CODE: u8 = 15;
pub const KEYWORD: u8 = 4;
pub const TEXT: u8 = 1;

/// The weight of a word of a title of `words` distinct terms.
pub fn title_weight(words: usize) -> u8 {
    15 - words.clamp(1, 10) as u8
}

/// Every term of every record: term -> postings, records in id order.
pub type Index = BTreeMap<String, Vec<u64>>;

/// Records whose terms are found at once (in parallel) before they join the index.
const RECORDS_AT_ONCE: usize = 4096;

/// What becomes of a record's text once its terms are in the index.
#[derive(Clone, Copy, PartialEq)]
pub enum Text {
    /// Kept, for `ldr serve` to find the terms an edit took away.
    Keep,
    /// Dropped, by a build that keeps nothing.
    Forget,
}

/// Builds the index of `records`, whose position in the slice is their id.
pub fn index(records: &mut [SearchRecord], text: Text) -> Index {
    // Each term's postings so far, and the id of its last record. FxHash rather than the
    // default hasher: a few million short keys, and nothing to defend against here.
    let mut by_term: FxHashMap<String, (u32, Vec<u64>)> = FxHashMap::default();
    let mut add = |first: usize, per_record: Vec<Vec<(String, u8)>>| {
        for (id, terms) in (first as u32..).zip(per_record) {
            for (term, weight) in terms {
                let (last, postings) = by_term.entry(term).or_insert((0, Vec::new()));
                postings.push(u64::from(id - *last) * 16 + u64::from(weight));
                *last = id;
            }
        }
    };
    let terms_of = |batch: &mut [SearchRecord]| -> Vec<Vec<(String, u8)>> {
        batch
            .par_iter_mut()
            .map(|record| {
                let terms = record_terms(record);
                if text == Text::Forget {
                    record.text = String::new();
                }
                terms
            })
            .collect()
    };
    // A batch at a time, the next batch's terms found while this one's join the index: the
    // terms of every record at once were 3.3 million strings (about 150 MB) at 10,000
    // footprints, and joining them one processor's work while the other waited.
    let mut batches = records.chunks_mut(RECORDS_AT_ONCE);
    let mut ready = batches.next().map(terms_of);
    let mut first = 0;
    while let Some(this) = ready.take() {
        let count = this.len();
        let next = batches.next();
        ready = rayon::join(|| add(first, this), || next.map(terms_of)).1;
        first += count;
    }
    by_term
        .into_iter()
        .map(|(term, (_, mut postings))| {
            postings.shrink_to_fit();
            (term, postings)
        })
        .collect()
}

/// Gives record `id` the terms `new` in place of `old`, and returns the terms whose
/// postings changed. Only those lists are decoded and made again, so an edit to one
/// record costs what its terms cost, not what the index costs.
pub fn replace_record(
    index: &mut Index,
    id: u32,
    old: Vec<(String, u8)>,
    new: Vec<(String, u8)>,
) -> Vec<String> {
    let old: FxHashMap<String, u8> = old.into_iter().collect();
    let new: FxHashMap<String, u8> = new.into_iter().collect();
    let mut changed: Vec<String> = old
        .keys()
        .filter(|term| !new.contains_key(*term))
        .chain(
            new.iter()
                .filter(|(t, w)| old.get(*t) != Some(w))
                .map(|(t, _)| t),
        )
        .cloned()
        .collect();
    changed.sort();
    for term in &changed {
        let mut list = decode(index.get(term).map_or(&[][..], Vec::as_slice));
        list.retain(|(other, _)| *other != id);
        if let Some(&weight) = new.get(term) {
            let at = list.partition_point(|(other, _)| *other < id);
            list.insert(at, (id, weight));
        }
        if list.is_empty() {
            index.remove(term);
        } else {
            index.insert(term.clone(), encode(&list));
        }
    }
    changed
}

fn decode(postings: &[u64]) -> Vec<(u32, u8)> {
    let mut id = 0;
    postings
        .iter()
        .map(|posting| {
            id += (posting / 16) as u32;
            (id, (posting % 16) as u8)
        })
        .collect()
}

fn encode(list: &[(u32, u8)]) -> Vec<u64> {
    let mut last = 0;
    list.iter()
        .map(|&(id, weight)| {
            let gap = u64::from(id - last);
            last = id;
            gap * 16 + u64::from(weight)
        })
        .collect()
}

/// The distinct terms of one record, each with its highest weight.
pub fn record_terms(record: &SearchRecord) -> Vec<(String, u8)> {
    let mut weights: FxHashMap<String, u8> = FxHashMap::default();
    let mut put = |term: &str, weight: u8| match weights.get_mut(term) {
        Some(best) => *best = (*best).max(weight),
        None => {
            weights.insert(term.to_string(), weight);
        }
    };
    for_each_term(&record.text, |term| put(term, TEXT));
    for keyword in record.keywords.iter().chain(&record.footprints) {
        for_each_term(keyword, |term| put(term, KEYWORD));
    }
    let mut title: Vec<String> = terms(&record.title).collect();
    title.sort();
    title.dedup();
    let weight = title_weight(title.len());
    for term in &title {
        put(term, weight);
    }
    if let Some(code) = &record.code {
        let folded = fold(code);
        if !folded.is_empty() && !folded.contains(' ') {
            put(&folded, CODE);
        } else {
            for_each_term(code, |term| put(term, KEYWORD));
        }
    }
    weights.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::search::records::Kind;

    fn record(title: &str, code: Option<&str>, text: &str) -> SearchRecord {
        SearchRecord {
            kind: Kind::Organisation,
            organisation_kind: None,
            url: "/x/".into(),
            title: title.into(),
            code: code.map(str::to_string),
            detail: String::new(),
            excerpt: String::new(),
            footprints: vec!["Cheshire and Merseyside".into()],
            regions: Vec::new(),
            keywords: Vec::new(),
            text: text.into(),
        }
    }

    fn weight_of(record: &SearchRecord, term: &str) -> Option<u8> {
        record_terms(record)
            .into_iter()
            .find(|(t, _)| t == term)
            .map(|(_, w)| w)
    }

    #[test]
    fn a_term_counts_where_it_counts_most() {
        let r = record(
            "NHS Eastern Cheshire CCG",
            Some("01C"),
            "cheshire hospitals and ccg",
        );
        assert_eq!(weight_of(&r, "01c"), Some(CODE));
        assert_eq!(weight_of(&r, "cheshire"), Some(title_weight(4)));
        assert_eq!(weight_of(&r, "merseyside"), Some(KEYWORD));
        assert_eq!(weight_of(&r, "hospitals"), Some(TEXT));
        assert_eq!(weight_of(&r, "nothing"), None);
    }

    #[test]
    fn shorter_titles_weigh_more_so_an_exact_title_can_be_told() {
        assert!(title_weight(1) > title_weight(2));
        assert_eq!(title_weight(10), title_weight(30));
        assert!(title_weight(30) > KEYWORD);
        assert!(CODE > title_weight(1));
        // Repeated words count once.
        let r = record("Bradford Bradford", None, "");
        assert_eq!(weight_of(&r, "bradford"), Some(title_weight(1)));
    }

    #[test]
    fn postings_are_gaps_and_weights() {
        let records = vec![
            record("Alpha", None, "shared"),
            record("Beta", None, ""),
            record("Gamma shared", None, ""),
        ];
        let index = index(&mut records.clone(), Text::Keep);
        // Record 0 in its text (weight 1), record 2 in a two-word title (gap 2).
        assert_eq!(
            index["shared"],
            vec![TEXT as u64, 2 * 16 + title_weight(2) as u64]
        );
        assert_eq!(index["beta"], vec![16 + title_weight(1) as u64]);
    }

    /// Ids run on across the batches the terms are found in, and a build that keeps
    /// nothing gets the same index while the texts go.
    #[test]
    fn records_in_several_batches_keep_their_ids() {
        let count = RECORDS_AT_ONCE * 2 + 3;
        let mut records: Vec<SearchRecord> = (0..count)
            .map(|n| {
                record(
                    &format!("Record {n}"),
                    None,
                    if n % 2 == 0 { "even" } else { "" },
                )
            })
            .collect();
        let kept = index(&mut records.clone(), Text::Keep);
        let even: Vec<u32> = decode(&kept["even"])
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        assert_eq!(even, (0..count as u32).step_by(2).collect::<Vec<_>>());
        let last = format!("{}", count - 1);
        assert_eq!(
            decode(&kept[&last]),
            vec![(count as u32 - 1, title_weight(2))]
        );
        assert_eq!(index(&mut records, Text::Forget), kept);
        assert!(records.iter().all(|r| r.text.is_empty()));
    }

    #[test]
    fn replacing_a_record_gives_the_index_of_the_new_records() {
        let mut records = vec![
            record("Alpha", None, "shared old"),
            record("Beta", None, "shared"),
            record("Gamma", None, "old"),
        ];
        let mut patched = index(&mut records.clone(), Text::Keep);
        let before = record_terms(&records[1]);
        records[1] = record("Beta", None, "new words and old");
        let changed = replace_record(&mut patched, 1, before, record_terms(&records[1]));
        assert_eq!(patched, index(&mut records.clone(), Text::Keep));
        assert!(changed.contains(&"shared".to_string()) && changed.contains(&"new".to_string()));
        assert!(!changed.contains(&"beta".to_string()), "{changed:?}");
        assert!(!patched.contains_key("shared") || patched["shared"].len() == 1);
    }
}
