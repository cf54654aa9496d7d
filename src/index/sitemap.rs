//! `/sitemap.xml` (live pages only: redirects of merged footprints are left out) and
//! `/robots.txt`.

use crate::model::Site;
use crate::output::{Contents, OutputFile};

pub fn sitemap(site: &Site, pages: &[OutputFile]) -> OutputFile {
    let base = &site.config.base_url;
    let merged: Vec<String> = site
        .footprints
        .iter()
        .flat_map(|f| {
            f.merged_from
                .iter()
                .map(|old| format!("/footprints/{old}/"))
        })
        .collect();
    let mut urls: Vec<String> = pages
        .iter()
        .filter(|p| p.is_page() && !matches!(p.contents, Contents::CopyOf(_)))
        .map(OutputFile::url_path)
        .filter(|path| !merged.contains(path))
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
    OutputFile::bytes("sitemap.xml", xml)
}

pub fn robots(site: &Site) -> OutputFile {
    let base = &site.config.base_url;
    OutputFile::bytes(
        "robots.txt",
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
