//! The HTML that Markdown may carry: one allow-list, read by the model's check (which
//! refuses the rest with its place, so the editor hears of it) and by the renderer's
//! sanitiser (which removes the rest, in case the check ever misses a construct).
//!
//! The list is what roadmaps really use (tables, `details`, `abbr`, footnotes, images
//! with `alt`) and what pulldown-cmark itself writes; nothing on it can run script, load
//! a frame or style the page.

/// Elements that raw HTML in Markdown may use.
pub const ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
];

/// Attributes any allowed element may have.
pub const GLOBAL_ATTRIBUTES: &[&str] = &["title", "lang"];

/// Attributes particular elements may have, beside the global ones.
pub const ELEMENT_ATTRIBUTES: &[(&str, &[&str])] = &[
    ("a", &["href"]),
    ("img", &["src", "alt", "width", "height"]),
    ("ol", &["start", "reversed"]),
    ("th", &["colspan", "rowspan", "scope", "class"]),
    ("td", &["colspan", "rowspan", "class"]),
    ("col", &["span"]),
    ("colgroup", &["span"]),
    ("details", &["open"]),
    // Heading anchors and footnotes, as pulldown-cmark writes them.
    ("h1", &["id"]),
    ("h2", &["id"]),
    ("h3", &["id"]),
    ("h4", &["id"]),
    ("h5", &["id"]),
    ("h6", &["id"]),
    ("div", &["id", "class"]),
    ("sup", &["id", "class"]),
    ("code", &["class"]),
];

/// Ids the default theme gives the pages that hold Markdown (`base.html` on every page,
/// `footprint.html` around a roadmap), and a few more a site's own templates are likely
/// to use (`content`, `search`): a heading or footnote of the same text gets `-2`, so no
/// id is used twice and the skip link still lands on `main`. A test (in
/// `render::markdown`) keeps this list in step with the templates; raw HTML may not take
/// one either.
pub const THEME_IDS: [&str; 13] = [
    "main",
    "content",
    "search",
    "site-search-q",
    "ccgs",
    "capabilities",
    "digital-maturity",
    "maturity-baseline",
    "members-ccg",
    "members-trust",
    "members-local-authority",
    "members-other",
    "map",
];

/// Attributes whose value is a URL, held to [`URL_SCHEMES`].
pub const URL_ATTRIBUTES: &[&str] = &["href", "src"];

/// Schemes a URL may have; a relative URL (no scheme) is always fine.
pub const URL_SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

/// Classes pulldown-cmark and our renderer write; `language-*` is matched by prefix.
const CLASSES: &[(&str, &[&str])] = &[
    ("div", &["footnote-definition"]),
    ("sup", &["footnote-reference", "footnote-definition-label"]),
    ("th", &["align-left", "align-center", "align-right"]),
    ("td", &["align-left", "align-center", "align-right"]),
];

pub fn element_allowed(element: &str) -> bool {
    ELEMENTS.contains(&element)
}

pub fn attribute_allowed(element: &str, attribute: &str) -> bool {
    GLOBAL_ATTRIBUTES.contains(&attribute)
        || ELEMENT_ATTRIBUTES
            .iter()
            .any(|(e, attributes)| *e == element && attributes.contains(&attribute))
}

/// Why an allowed attribute's value is not, if it is not.
pub fn value_problem(element: &str, attribute: &str, value: &str) -> Option<ValueProblem> {
    if URL_ATTRIBUTES.contains(&attribute) {
        let url = as_followed(value);
        let scheme = match &url {
            Some(url) => Some(url.scheme().to_string()),
            // Not a URL to the standard's parser (`http://[x`): the browser follows
            // nothing, but its scheme is still read as the browser reads one.
            None => url_scheme(value),
        };
        return match scheme {
            Some(scheme) if !URL_SCHEMES.contains(&scheme.as_str()) => {
                Some(ValueProblem::Scheme(scheme))
            }
            // An image from another site would tell that site who reads the page: the
            // privacy notice promises nothing is loaded from elsewhere, and the CSP allows
            // only `'self'`.
            _ if element == "img" && attribute == "src" && is_elsewhere(value, url.as_ref()) => {
                Some(ValueProblem::ImageElsewhere)
            }
            _ => None,
        };
    }
    match attribute {
        "id" if THEME_IDS.contains(&value) => Some(ValueProblem::ThemeId),
        "class"
            if !value
                .split_ascii_whitespace()
                .all(|c| class_allowed(element, c)) =>
        {
            Some(ValueProblem::Class)
        }
        "width" | "height" | "colspan" | "rowspan" | "span" | "start"
            if !is_whole_number(value) =>
        {
            Some(ValueProblem::NotANumber)
        }
        _ => None,
    }
}

/// What is wrong with an attribute's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueProblem {
    /// A URL with a scheme that is not on [`URL_SCHEMES`] (lowercase).
    Scheme(String),
    /// An image loaded from another site.
    ImageElsewhere,
    /// An id the page around the Markdown already uses.
    ThemeId,
    /// A class the theme does not define for this element.
    Class,
    NotANumber,
}

fn class_allowed(element: &str, class: &str) -> bool {
    if element == "code" {
        return class.strip_prefix("language-").is_some_and(|language| {
            !language.is_empty()
                && language
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+#._-".contains(c))
        });
    }
    CLASSES
        .iter()
        .any(|(e, classes)| *e == element && classes.contains(&class))
}

/// A page of this site, standing for wherever a text is published: a relative URL
/// resolved against it stays on its host exactly when the browser would stay on the site.
static BASE: std::sync::LazyLock<url::Url> = std::sync::LazyLock::new(|| {
    url::Url::parse("https://this-site.invalid/section/page/").expect("a valid URL")
});

/// `value` as a browser follows it from a page of the site: parsed by the WHATWG URL
/// standard (the `url` crate), so `/\host/p.png`, `\/host`, `/\t/host` and `HTTPS:host`
/// are read as the browser reads them rather than by their first characters.
fn as_followed(value: &str) -> Option<url::Url> {
    url::Url::options().base_url(Some(&BASE)).parse(value).ok()
}

/// Whether a browser following `value` from a page of the site leaves the site (or
/// runs something, as `mailto:` does), rather than opening a page or file of it.
pub fn leaves_the_site(value: &str) -> bool {
    is_elsewhere(value, as_followed(value).as_ref())
}

/// Whether `value` (followed as `url`) names another site rather than a file of this one:
/// any address with a scheme of its own, and any that leaves the site's host.
fn is_elsewhere(value: &str, url: Option<&url::Url>) -> bool {
    url_scheme(value).is_some() || url.is_some_and(|url| url.origin() != BASE.origin())
}

fn is_whole_number(value: &str) -> bool {
    !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit())
}

/// The scheme of `url`, lowercased, as a browser reads it; `None` for a relative URL.
///
/// Written out from the WHATWG URL standard rather than left to a URL parser, because a
/// parser rejects many strings a browser would still follow, and the only question here
/// is which scheme the browser would see: leading and trailing C0 controls and spaces are
/// stripped, tabs and newlines anywhere are removed (so `java\tscript:` is `javascript:`),
/// and a scheme is an ASCII letter then letters, digits, `+`, `-` or `.` before a `:`.
/// Entities (`&#106;avascript:`) are decoded before this, by the HTML tokenizer or by
/// pulldown-cmark.
pub fn url_scheme(url: &str) -> Option<String> {
    let trimmed = url.trim_matches(|c: char| c <= ' ');
    let cleaned: String = trimmed
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let (scheme, _) = cleaned.split_once(':')?;
    let mut chars = scheme.chars();
    let starts_with_letter = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let rest_is_scheme = chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    (starts_with_letter && rest_is_scheme).then(|| scheme.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_are_read_as_a_browser_reads_them() {
        for (url, scheme) in [
            ("JaVaScRiPt:alert(1)", Some("javascript")),
            ("  \u{1}javascript:alert(1)", Some("javascript")),
            ("java\tscript:alert(1)", Some("javascript")),
            ("java\nscript:alert(1)", Some("javascript")),
            ("vbscript:x", Some("vbscript")),
            ("data:text/html,x", Some("data")),
            ("https://example.org/a:b", Some("https")),
            ("/footprints/devon/", None),
            ("../pages/about.md", None),
            ("#vision", None),
            ("a/b:c", None),
            ("java%0ascript:x", None),
        ] {
            assert_eq!(url_scheme(url).as_deref(), scheme, "{url:?}");
        }
    }

    #[test]
    fn values_are_held_to_the_policy() {
        assert_eq!(
            value_problem("a", "href", " JAVASCRIPT:x"),
            Some(ValueProblem::Scheme("javascript".into()))
        );
        assert_eq!(value_problem("a", "href", "mailto:a@b.nhs.uk"), None);
        for here in [
            "plan.png",
            "/static/plan.png",
            "../plan.png",
            "./a b.png",
            "?x",
            "",
        ] {
            assert_eq!(value_problem("img", "src", here), None, "{here}");
        }
        assert_eq!(
            value_problem("div", "id", "main"),
            Some(ValueProblem::ThemeId)
        );
        assert_eq!(value_problem("div", "id", "timeline"), None);
        for elsewhere in [
            "https://tracker.example/p.png",
            "//cdn.example/p.png",
            " HTTP://x/y",
            "HTTPS:host/p.png",
            "/\\host/p.png",
            "\\/host/p.png",
            "\\\\host\\p.png",
            "/\t/host/p.png",
            "\n//host/p.png",
            "https://this-site.invalid/p.png",
        ] {
            assert_eq!(
                value_problem("img", "src", elsewhere),
                Some(ValueProblem::ImageElsewhere),
                "{elsewhere}"
            );
        }
        assert_eq!(value_problem("code", "class", "language-rust"), None);
        assert_eq!(
            value_problem("p", "class", "MsoNormal"),
            Some(ValueProblem::Class)
        );
        assert_eq!(
            value_problem("img", "width", "50%"),
            Some(ValueProblem::NotANumber)
        );
    }
}
