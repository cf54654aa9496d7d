//! `/sitemap.xml` (live pages only: redirects of merged footprints are left out) and
//! `/robots.txt`.

use crate::model::Site;
use crate::model::routes::Route;
use crate::output::OutputFile;

/// Every page the sitemap lists ([`Route::in_sitemap`]), at its full address.
pub fn sitemap(site: &Site) -> OutputFile {
    let base = &site.config.base_url;
    let mut urls: Vec<String> = Route::every(site)
        .iter()
        .filter(|route| route.in_sitemap())
        .map(Route::url)
        .collect();
    urls.sort();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for path in urls {
        xml.push_str("  <url><loc>");
        xml.push_str(&escape_xml(&format!("{base}{path}")));
        xml.push_str("</loc></url>\n");
    }
    xml.push_str("</urlset>\n");
    OutputFile::bytes(Route::Sitemap.output_path(), xml)
}

pub fn robots(site: &Site) -> OutputFile {
    let base = &site.config.base_url;
    OutputFile::bytes(
        Route::Robots.output_path(),
        format!("User-agent: *\nAllow: /\n\nSitemap: {base}/sitemap.xml\n"),
    )
}

/// URLs are the only text in the sitemap; escaping the five XML specials is all it needs,
/// with [`xml_chars`] as the last guard against a character XML cannot hold.
fn escape_xml(text: &str) -> String {
    xml_chars(text)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// `text` with every character that XML 1.0 does not allow (the C0 controls but tab and
/// line breaks, U+FFFE and U+FFFF) replaced by U+FFFD, so that no content can make a feed
/// or sitemap unparsable. Content checks refuse them where they are written; this is for
/// the paths they do not see.
pub(crate) fn xml_chars(text: &str) -> std::borrow::Cow<'_, str> {
    let allowed = |c: char| {
        matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && !matches!(c, '\u{FFFE}' | '\u{FFFF}'))
    };
    if text.chars().all(allowed) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(
        text.chars()
            .map(|c| if allowed(c) { c } else { '\u{FFFD}' })
            .collect(),
    )
}
