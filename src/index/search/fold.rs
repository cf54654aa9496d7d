//! Folding text into search terms: lower case, accents and apostrophes dropped, split at
//! anything that is not a letter or a digit. `static/search-engine.js` folds queries the
//! same way; `tests/fixtures/search-folding.json` holds the cases both must agree on.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The search terms of `text`, in order, repeats included.
pub fn terms(text: &str) -> impl Iterator<Item = String> + '_ {
    words(text).map(fold_word).filter(|term| !term.is_empty())
}

/// Calls `each` with every term of `text`, folded into one reused buffer: indexing a long
/// body this way allocates only for the terms it keeps.
pub fn for_each_term(text: &str, mut each: impl FnMut(&str)) {
    let mut buffer = String::new();
    for word in words(text) {
        buffer.clear();
        fold_word_into(word, &mut buffer);
        if !buffer.is_empty() {
            each(&buffer);
        }
    }
}

fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(is_separator).filter(|word| !word.is_empty())
}

fn is_separator(c: char) -> bool {
    if c.is_ascii() {
        // Most text is ASCII, where no character is a combining mark: the Unicode tables
        // were a tenth of the time to index a text.
        return !c.is_ascii_alphanumeric() && c != '\'';
    }
    !c.is_alphanumeric() && !is_apostrophe(c) && !is_combining_mark(c)
}

/// The whole of `text` folded to one string of terms joined by spaces, for comparing a
/// query with a title or a code.
pub fn fold(text: &str) -> String {
    terms(text).collect::<Vec<_>>().join(" ")
}

fn fold_word(word: &str) -> String {
    let mut folded = String::with_capacity(word.len());
    fold_word_into(word, &mut folded);
    folded
}

fn fold_word_into(word: &str, out: &mut String) {
    if word.is_ascii() {
        // The common case, and much faster than normalising.
        out.extend(
            word.chars()
                .filter(|c| *c != '\'')
                .map(|c| c.to_ascii_lowercase()),
        );
        return;
    }
    out.extend(
        word.to_lowercase()
            .nfkd()
            // Compatibility forms can decompose into separators ("½" -> "1⁄2"): drop them,
            // with accents and apostrophes.
            .filter(|c| c.is_alphanumeric() && !is_combining_mark(*c)),
    );
}

/// "St Helen's" is searched as "st helens", not "st helen s".
fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02BC}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_accents_apostrophes_and_punctuation() {
        assert_eq!(
            fold("Bath & North-East Somerset"),
            "bath north east somerset"
        );
        assert_eq!(fold("Ysbyty Gwynedd – Bangor"), "ysbyty gwynedd bangor");
        assert_eq!(fold("Crème Brûlée"), "creme brulee");
        assert_eq!(fold("St Helen’s"), "st helens");
        assert_eq!(fold("  RBT "), "rbt");
        assert_eq!(
            fold("<img src=x onerror=alert(1)>"),
            "img src x onerror alert 1"
        );
    }

    /// The same cases as the JavaScript tests: the index and the query must fold alike.
    #[test]
    fn folds_the_shared_cases_like_the_browser() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/search-folding.json"
        );
        let cases: Vec<(String, String)> =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        assert!(cases.len() >= 5);
        for (text, folded) in cases {
            assert_eq!(fold(&text), folded, "folding {text:?}");
        }
    }
}
