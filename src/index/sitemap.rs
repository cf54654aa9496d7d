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

/// URLs are the only text in the sitemap; escaping the five XML specials is all it needs.
fn escape_xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}
