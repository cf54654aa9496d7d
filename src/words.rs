//! How numbers and names read in English, for pages and the terminal alike: "1 footprint",
//! "44 footprints"; "the North of England", "London".

/// `n` with the noun that agrees with it: `count(1, "footprint", "footprints")` is
/// "1 footprint". Both forms are given, not derived, because English plurals are irregular
/// ("1 story", "2 stories"; "1 NHS trust", "2 NHS trusts").
pub fn count(n: usize, one: &str, other: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { other })
}

/// `3990` as `3,990`.
pub(crate) fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// Items joined as a sentence lists them: "a", "a or b", "a, b or c" (no serial comma, as
/// NHS.UK writes).
pub fn list(items: &[&str], conjunction: &str) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} {conjunction} {last}", rest.join(", ")),
    }
}

/// A region's name as it reads after "in": NHS.UK writes "in the North of England" and
/// "in London". Names of a compass point or the Midlands take "the"; a place's name does not.
pub fn region_phrase(region: &str) -> String {
    const TAKE_THE: [&str; 6] = ["North", "South", "East", "West", "Midlands", "Central"];
    let first = region.split_whitespace().next().unwrap_or_default();
    let first = first.split('-').next().unwrap_or_default();
    if TAKE_THE.iter().any(|w| first.eq_ignore_ascii_case(w)) {
        format!("the {region}")
    } else {
        region.to_string()
    }
}

/// Whether `base_url` is a placeholder: a host reserved for examples by RFC 2606
/// (`example.org`, `ldr.example.com`, `site.example`), which no real site is published at.
pub fn is_placeholder_address(base_url: &str) -> bool {
    // Read by the same WHATWG parser that checked the setting, which lowercases the host.
    let Some(host) = url::Url::parse(base_url)
        .ok()
        .and_then(|url| url.host_str().map(|h| h.trim_end_matches('.').to_string()))
    else {
        return false;
    };
    let reserved = ["example.org", "example.com", "example.net", "example"];
    reserved
        .iter()
        .any(|r| host == *r || host.ends_with(&format!(".{r}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_agree_with_their_noun() {
        assert_eq!(count(1, "footprint", "footprints"), "1 footprint");
        assert_eq!(count(0, "story", "stories"), "0 stories");
        assert_eq!(count(2, "NHS trust", "NHS trusts"), "2 NHS trusts");
    }

    #[test]
    fn lists_read_as_a_sentence() {
        assert_eq!(list(&[], "or"), "");
        assert_eq!(list(&["a"], "or"), "a");
        assert_eq!(list(&["a", "b"], "or"), "a or b");
        assert_eq!(list(&["a", "b", "c"], "and"), "a, b and c");
    }

    #[test]
    fn regions_of_a_compass_point_take_the() {
        assert_eq!(region_phrase("North of England"), "the North of England");
        assert_eq!(
            region_phrase("Midlands and East of England"),
            "the Midlands and East of England"
        );
        assert_eq!(region_phrase("South West"), "the South West");
        assert_eq!(region_phrase("London"), "London");
        assert_eq!(region_phrase("Northumbria"), "Northumbria");
    }

    #[test]
    fn reserved_example_hosts_are_placeholders() {
        for url in [
            "https://ldr.example.org",
            "https://EXAMPLE.com/ldr/",
            "http://site.example:8080",
            "https://user@www.example.net.",
        ] {
            assert!(is_placeholder_address(url), "{url}");
        }
        for url in [
            "https://ldr.nhs.uk",
            "https://example-trust.nhs.uk",
            "https://myexample.org",
        ] {
            assert!(!is_placeholder_address(url), "{url}");
        }
    }
}
