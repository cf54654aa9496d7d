//! Which shard file each term of the search index goes in. Terms are grouped by their
//! first two characters; a group whose JSON would pass [`SPLIT_BYTES`] is split by the next
//! character, and again, up to [`MAX_KEY_CHARS`]. A group is laid out on its own, so an
//! edit re-lays out only the groups of the terms it changed.

use std::collections::BTreeMap;

use super::postings::Index;

/// A shard bigger than this, as JSON before compression, is split by the next character.
pub const SPLIT_BYTES: usize = 8 * 1024;
/// Shard keys stop growing here: a single long posting list cannot be split anyway.
const MAX_KEY_CHARS: usize = 6;

pub type Shard<'a> = BTreeMap<&'a str, &'a [u64]>;

/// The group of a term: its first two characters, the shard key every term starts from.
pub fn group_of(term: &str) -> String {
    prefix(term, 2)
}

/// The terms of `index` in group order, a group at a time.
pub fn groups_of(index: &Index) -> Vec<(String, Shard<'_>)> {
    let mut groups: Vec<(String, Shard)> = Vec::new();
    for (term, postings) in index {
        let key = group_of(term);
        match groups.last_mut() {
            Some((last, shard)) if *last == key => {
                shard.insert(term, postings);
            }
            _ => groups.push((key, Shard::from([(term.as_str(), postings.as_slice())]))),
        }
    }
    groups
}

/// The terms of one group. A one-character group holds only that one-letter term.
pub fn group_terms<'a>(index: &'a Index, group: &str) -> Shard<'a> {
    if group.chars().count() < 2 {
        return index
            .get_key_value(group)
            .map(|(t, p)| (t.as_str(), p.as_slice()))
            .into_iter()
            .collect();
    }
    index
        .range(group.to_string()..)
        .take_while(|(term, _)| term.starts_with(group))
        .map(|(t, p)| (t.as_str(), p.as_slice()))
        .collect()
}

/// A group's terms by shard key, and the keys that were split.
pub fn split_group(group: String, terms: Shard<'_>) -> (BTreeMap<String, Shard<'_>>, Vec<String>) {
    let mut pending = vec![(group, terms)];
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every shard of `index`, and the split keys, as a clean build lays them out.
    fn shards(index: &Index) -> (BTreeMap<String, Shard<'_>>, Vec<String>) {
        let mut all = BTreeMap::new();
        let mut split = Vec::new();
        for (group, terms) in groups_of(index) {
            let (shards, keys) = split_group(group, terms);
            all.extend(shards);
            split.extend(keys);
        }
        split.sort();
        (all, split)
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
