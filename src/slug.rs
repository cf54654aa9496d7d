//! Slugs: the lowercase, hyphenated words a name becomes in an address. A leaf module, so
//! that loading (a footprint's folder name) and the model (tags, regions) share one rule.

/// The longest slug ldr makes a folder of, well inside the 255 bytes a file name may take.
pub const MAX_SLUG: usize = 100;

/// Why `name` cannot become part of an address, if it cannot.
pub fn slug_problem(name: &str) -> Option<String> {
    let slug = slugify(name);
    if slug.is_empty() {
        Some("it has no letters or digits".into())
    } else if slug.len() > MAX_SLUG {
        Some(format!(
            "its address would be {} characters long",
            slug.len()
        ))
    } else {
        None
    }
}

/// When `typed` is not already a slug (lowercase words joined by hyphens, at most
/// [`MAX_SLUG`] characters), the help to give: what a slug is, with one to suggest.
pub fn not_a_slug(typed: &str, example: &str) -> Option<String> {
    let clean = slugify(typed);
    if clean == typed && slug_problem(typed).is_none() {
        return None;
    }
    let suggestion = if clean.is_empty() || clean.len() > MAX_SLUG {
        example
    } else {
        &clean
    };
    Some(format!(
        "a slug is lowercase words joined by hyphens, under {MAX_SLUG} characters, such as `{suggestion}`"
    ))
}

/// Turns a name into the lowercase, hyphenated form used in URLs. The one slug function.
/// Letters are taken apart first (NFKD) and their accents dropped, so that a name keeps its
/// letters (`Café` is `cafe`) and two spellings of one name, composed and decomposed as
/// macOS writes file names, make one slug, and are caught as one address.
pub fn slugify(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut slug = String::with_capacity(text.len());
    let text = text.replace('&', " and ");
    // Most names are ASCII already, which taking apart would leave as they are.
    let letters = if text.is_ascii() {
        text
    } else {
        text.nfkd()
            .filter(|&c| !unicode_normalization::char::is_combining_mark(c))
            .collect::<String>()
    };
    for c in letters.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::slugify;

    #[test]
    fn slugify_makes_url_words() {
        assert_eq!(slugify("Humber, Coast and Vale"), "humber-coast-and-vale");
        assert_eq!(
            slugify("Bath & North East Somerset"),
            "bath-and-north-east-somerset"
        );
        assert_eq!(slugify("  West Yorkshire "), "west-yorkshire");
        // Composed and decomposed, as macOS names files: one slug.
        assert_eq!(slugify("Caf\u{e9} Bradford"), "cafe-bradford");
        assert_eq!(slugify("Cafe\u{301} Bradford"), "cafe-bradford");
    }
}
