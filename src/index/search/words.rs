//! The word lists that let a typo be forgiven in the first two letters of a word.
//!
//! A query word is looked up in the shard of its first two characters, so a word whose typo
//! is in one of those (`pnnine` for `pennine`, `hcesire` for `cheshire`) would be looked for
//! in the wrong shard. When nothing matches, the browser fetches the lists of the words that
//! the typed word could have come from by one edit in its first two letters: those starting
//! with its first or its second letter (a letter changed, dropped or swapped later on, or
//! one typed too many at the start), and those whose second letter is its first or its
//! second (a first letter changed or dropped). It ranks those words by their distance from
//! the typed one, and fetches the shards of the nearest few only.
//!
//! ```text
//! search/index/w/first-<c>.json.gz    ["cheshire", "chester", ...]: words starting with <c>
//! search/index/w/second-<c>.json.gz   ["cheshire", "ghana", ...]: words whose second letter is <c>
//! ```
//!
//! Listed: the words of titles, codes and keywords, of three letters or more, letters only.
//! Codes with digits are typed from a page and not misspelt, and a typo in a word of the
//! body alone is still forgiven within its own shard.

use std::collections::{BTreeMap, BTreeSet};

use super::postings::{Index, KEYWORD};
use super::shards::file_name;

/// Which letter of a word a list is by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Position {
    First,
    Second,
}

impl Position {
    fn name(self) -> &'static str {
        match self {
            Position::First => "first",
            Position::Second => "second",
        }
    }
}

/// The file name (without `.json.gz`) of the list of words with `letter` at `position`.
pub fn list_name(position: Position, letter: char) -> String {
    format!("w/{}-{}", position.name(), file_name(&letter.to_string()))
}

/// Whether a term goes in the lists: letters only, three or more, and somewhere worth more
/// than body text.
fn listed(term: &str, postings: &[u64]) -> bool {
    term.chars().count() >= 3
        && term.chars().all(char::is_alphabetic)
        && postings.iter().any(|p| (p % 16) as u8 >= KEYWORD)
}

/// The letter at `position` of a term.
fn letter(term: &str, position: Position) -> Option<char> {
    match position {
        Position::First => term.chars().next(),
        Position::Second => term.chars().nth(1),
    }
}

/// Every list of the index, by (position, letter), each in A to Z order.
pub fn lists(index: &Index) -> BTreeMap<(Position, char), Vec<&str>> {
    let mut lists: BTreeMap<(Position, char), Vec<&str>> = BTreeMap::new();
    for (term, postings) in index {
        if !listed(term, postings) {
            continue;
        }
        for position in [Position::First, Position::Second] {
            if let Some(c) = letter(term, position) {
                lists.entry((position, c)).or_default().push(term);
            }
        }
    }
    lists
}

/// The lists that a change to the terms of `groups` (two-character keys) can reach.
pub fn lists_touched(groups: &BTreeSet<String>) -> BTreeSet<(Position, char)> {
    let mut touched = BTreeSet::new();
    for group in groups {
        for position in [Position::First, Position::Second] {
            if let Some(c) = letter(group, position) {
                touched.insert((position, c));
            }
        }
    }
    touched
}

/// The words of one list, made again from the index.
pub fn list(index: &Index, position: Position, c: char) -> Vec<&str> {
    fn words<'a>((term, postings): (&'a String, &'a Vec<u64>)) -> Option<&'a str> {
        listed(term, postings).then_some(term.as_str())
    }
    match position {
        Position::First => {
            let from = c.to_string();
            index
                .range(from.clone()..)
                .take_while(|(term, _)| term.starts_with(&from))
                .filter_map(words)
                .collect()
        }
        Position::Second => index
            .iter()
            .filter(|(term, _)| letter(term, Position::Second) == Some(c))
            .filter_map(words)
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index_of(terms: &[(&str, u8)]) -> Index {
        terms
            .iter()
            .map(|(t, w)| (t.to_string(), vec![16 + u64::from(*w)]))
            .collect()
    }

    #[test]
    fn a_word_is_listed_by_its_first_and_its_second_letter() {
        let index = index_of(&[
            ("pennine", 10),
            ("care", 10),
            ("e54000001", 15),
            ("of", 10),
            ("bodyonly", 1),
        ]);
        let lists = lists(&index);
        assert_eq!(lists[&(Position::First, 'p')], vec!["pennine"]);
        assert_eq!(lists[&(Position::Second, 'e')], vec!["pennine"]);
        assert_eq!(lists[&(Position::Second, 'a')], vec!["care"]);
        // Codes, short words and words of the body alone are not listed.
        assert!(!lists.contains_key(&(Position::First, 'e')));
        assert!(!lists.contains_key(&(Position::First, 'o')));
        assert!(!lists.contains_key(&(Position::First, 'b')));
        assert_eq!(list_name(Position::Second, 'e'), "w/second-e");
        assert_eq!(list_name(Position::First, 'ø'), "w/first-_f8_");
    }

    #[test]
    fn one_list_made_again_is_the_list_of_a_clean_build() {
        let index = index_of(&[("pennine", 10), ("people", 4), ("apple", 4), ("spa", 10)]);
        let lists = lists(&index);
        for ((position, c), words) in &lists {
            assert_eq!(&list(&index, *position, *c), words);
        }
        let groups = BTreeSet::from(["pe".to_string()]);
        assert_eq!(
            lists_touched(&groups),
            BTreeSet::from([(Position::First, 'p'), (Position::Second, 'e')])
        );
    }
}
