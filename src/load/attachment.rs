//! Which files of a footprint folder are published beside its page, by type.
//!
//! An attachment is served from the site's own origin, with no Content-Security-Policy of
//! its own: an HTML or SVG file there could run script as the site. So attachments are
//! allowed by an allow-list of document and image types, which browsers show without
//! running anything, and each file's first bytes must not be markup (a `.pdf` that starts
//! with `<html` is rendered as HTML by a host or browser that sniffs). SVG is refused
//! rather than cleaned: a sanitiser that keeps SVG safe must drop scripts, handlers,
//! `foreignObject` and every external reference, and a PNG export is simpler for editors
//! and certain.

use std::path::Path;

use crate::diagnostic::Diagnostic;

/// The extensions an attachment may have, lower case: PDF, Office and OpenDocument files,
/// CSV and plain text, and the raster images every browser shows.
pub(crate) const ALLOWED: [&str; 17] = [
    "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp", "csv", "txt", "png",
    "jpg", "jpeg", "gif", "webp",
];

/// Why the attachment at `path` may not be published, if it may not. `head` is the
/// start of the file (the 1,445 bytes a sniffing browser reads are enough).
pub(crate) fn attachment_problem(path: &Path, head: &[u8]) -> Option<Diagnostic> {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let allowed_list = ALLOWED.join(", ");
    let Some(extension) = extension.filter(|e| ALLOWED.contains(&e.as_str())) else {
        let shown = path.extension().map_or_else(
            || "no extension".into(),
            |e| format!("`.{}`", e.to_string_lossy()),
        );
        let is_svg = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("svg") || e.eq_ignore_ascii_case("svgz"));
        let help = if is_svg {
            "an SVG can carry script that would run as the site: export the image as PNG and \
             attach that instead"
                .to_string()
        } else {
            format!(
                "a footprint's folder publishes documents and images only ({allowed_list}); \
                 web pages, scripts and other types could run as the site: save the file as \
                 PDF, or move it out of the footprint's folder"
            )
        };
        return Some(
            Diagnostic::error(format!(
                "{} cannot be published: a file with {shown} is not a document or an image",
                path.display()
            ))
            .in_file(path)
            .help(help),
        );
    };
    let markup = starts_as_markup(head)?;
    Some(
        Diagnostic::error(format!(
            "{} is named `.{extension}` but holds {markup}",
            path.display()
        ))
        .in_file(path)
        .help(
            "a browser would show it as a web page, and its script would run as the site: \
             export the real document or image, or remove the file",
        ),
    )
}

/// What markup the bytes begin with, if they begin with markup that a browser sniffing an
/// unknown or mislabelled file would render (the "identifying an unknown MIME type" patterns
/// of the WHATWG MIME Sniffing standard: HTML tags, `<?xml`, and SVG, after whitespace and a
/// byte-order mark). Written here because the standard's table is short and the crates that
/// sniff types look for binary signatures, not for this.
fn starts_as_markup(head: &[u8]) -> Option<&'static str> {
    const HTML_TAGS: [&str; 18] = [
        "!doctype html",
        "html",
        "head",
        "script",
        "iframe",
        "h1",
        "div",
        "font",
        "table",
        "a",
        "style",
        "title",
        "b",
        "body",
        "br",
        "p",
        "!--",
        "svg",
    ];
    let mut text = head;
    for bom in [&b"\xEF\xBB\xBF"[..], b"\xFE\xFF", b"\xFF\xFE"] {
        if let Some(rest) = text.strip_prefix(bom) {
            text = rest;
        }
    }
    // UTF-16 text is read by dropping its NUL bytes: `<\0h\0t\0m\0l\0` is `<html` too.
    let text: Vec<u8> = text
        .iter()
        .copied()
        .filter(|&b| b != 0)
        .skip_while(|b| b" \t\n\r\x0c".contains(b))
        .map(|b| b.to_ascii_lowercase())
        .collect();
    let rest = text.strip_prefix(b"<")?;
    if rest.starts_with(b"?xml") {
        return Some("XML, which may be a web page or an SVG");
    }
    HTML_TAGS.iter().find_map(|tag| {
        let after = rest.strip_prefix(tag.as_bytes())?;
        // A tag ends at a space or `>` ("<a " and "<b>", not "<abc"); a comment needs none.
        let ends = *tag == "!--" || after.first().is_none_or(|b| b" >\t\n\r\x0c/".contains(b));
        ends.then_some(if *tag == "svg" {
            "an SVG image"
        } else {
            "a web page (HTML)"
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(name: &str, head: &[u8]) -> Option<String> {
        attachment_problem(Path::new(name), head).map(|d| d.message.clone())
    }

    #[test]
    fn documents_and_images_are_published_in_any_case() {
        for name in [
            "plan.PDF", "a.Docx", "b.xlsx", "c.odt", "d.csv", "e.txt", "f.PNG", "g.jpeg", "h.webp",
            "i.gif",
        ] {
            assert_eq!(problem(name, b"%PDF-1.7\n\x89PNG"), None, "{name}");
        }
        assert_eq!(problem("notes.txt", b"a <b>bold</b> note"), None);
    }

    #[test]
    fn web_pages_scripts_svg_and_files_without_a_type_are_refused() {
        for name in [
            "x.html", "x.HTML", "x.htm", "x.xhtml", "x.xht", "x.shtml", "x.mht", "x.mhtml",
            "x.svg", "x.Svg", "x.svgz", "x.xml", "x.xsl", "x.js", "x.mjs", "README", "x.php",
        ] {
            assert!(problem(name, b"%PDF-1.4").is_some(), "{name}");
        }
        let svg = attachment_problem(Path::new("map.SVG"), b"<svg>").unwrap();
        assert!(svg.help.as_deref().unwrap().contains("PNG"));
    }

    #[test]
    fn a_document_that_holds_markup_is_refused() {
        for head in [
            &b"<html><script>alert(1)</script>"[..],
            b"  \r\n<!DOCTYPE html>",
            b"\xEF\xBB\xBF<HTML>",
            b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'>",
            b"<?xml version='1.0'?><svg/>",
            b"<script>alert(1)</script>",
            b"<!-- x --><p>",
            b"\xFF\xFE<\0h\0t\0m\0l\0>\0",
            b"<a href=x>",
        ] {
            assert!(problem("plan.pdf", head).is_some(), "{head:?}");
        }
        assert_eq!(problem("data.csv", b"code,<abc>,x"), None);
        assert_eq!(problem("note.txt", b"<abc>"), None);
    }
}
