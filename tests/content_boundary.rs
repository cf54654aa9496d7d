//! Nothing from outside the content folder is read or published, and nothing in a
//! footprint's folder that could run script on the site's origin: links out of the folder,
//! loops, special files and web-page or SVG attachments are refused with their path, by
//! `ldr build`, `ldr check` and `ldr serve` alike.

mod common;

use std::fs;
use std::os::unix::fs::symlink;
use std::path::Path;

use common::http::get;
use common::preview::{Preview, expect_event};
use common::{Scratch, stderr};

/// Text that only the file outside the content folder holds.
const SECRET: &str = "SECRET-OUTSIDE-THE-CONTENT-FOLDER";

/// A minimal site built once, with a secret file beside (not inside) its content folder.
fn built_site() -> Scratch {
    let site = Scratch::minimal();
    let built = site.build();
    assert!(built.status.success(), "{}", stderr(&built));
    fs::write(site.path().join("secret.txt"), format!("{SECRET}\n")).unwrap();
    site
}

/// `ldr build` and `ldr check` both refuse the site with every one of `expected` in their
/// messages, and the previous output holds nothing new, nor the secret.
fn refused_by_build_and_check(site: &Scratch, expected: &[&str]) {
    for text in site.refused_by_build_and_check(expected) {
        assert!(!text.contains(SECRET), "the secret was printed:\n{text}");
    }
}

fn content(site: &Scratch, path: &str) -> std::path::PathBuf {
    site.content().join(path)
}

fn replace_with_link(site: &Scratch, path: &str, target: &Path) {
    let link = content(site, path);
    let _ = fs::remove_file(&link);
    symlink(target, link).unwrap();
}

#[test]
fn an_attachment_linked_to_proc_environ_is_refused_with_where_it_points() {
    let site = built_site();
    replace_with_link(
        &site,
        "footprints/alpha/environ.txt",
        Path::new("/proc/self/environ"),
    );
    refused_by_build_and_check(
        &site,
        &[
            "content/footprints/alpha/environ.txt is a symlink to /proc/self/environ",
            "outside the content folder",
        ],
    );
}

#[test]
fn a_roadmap_linked_outside_is_refused_and_never_rendered() {
    let site = built_site();
    let secret = site.path().join("secret.txt");
    replace_with_link(&site, "footprints/beta/roadmap.md", &secret);
    refused_by_build_and_check(
        &site,
        &[&format!(
            "content/footprints/beta/roadmap.md is a symlink to {}",
            secret.display()
        )],
    );
}

#[test]
fn the_root_files_linked_outside_are_refused() {
    for name in ["site.toml", "organisations.csv"] {
        let site = built_site();
        let elsewhere = site.path().join(format!("elsewhere-{name}"));
        fs::copy(content(&site, name), &elsewhere).unwrap();
        replace_with_link(&site, name, &elsewhere);
        refused_by_build_and_check(
            &site,
            &[&format!(
                "content/{name} is a symlink to {}",
                elsewhere.display()
            )],
        );
    }
}

#[test]
fn a_footprint_folder_linked_elsewhere_is_refused() {
    let site = built_site();
    let elsewhere = site.path().join("gamma");
    fs::create_dir(&elsewhere).unwrap();
    fs::copy(
        content(&site, "footprints/alpha/footprint.toml"),
        elsewhere.join("footprint.toml"),
    )
    .unwrap();
    fs::copy(site.path().join("secret.txt"), elsewhere.join("roadmap.md")).unwrap();
    symlink(&elsewhere, content(&site, "footprints/gamma")).unwrap();
    refused_by_build_and_check(
        &site,
        &[&format!(
            "content/footprints/gamma is a symlink to {}",
            elsewhere.display()
        )],
    );
}

#[test]
fn static_files_and_stories_linked_outside_are_refused() {
    let site = built_site();
    fs::create_dir_all(content(&site, "static/docs")).unwrap();
    replace_with_link(&site, "static/docs/hosts.txt", Path::new("/etc/hosts"));
    replace_with_link(&site, "stories/passwd.md", Path::new("/etc/passwd"));
    refused_by_build_and_check(
        &site,
        &[
            "content/static/docs/hosts.txt is a symlink to /etc/hosts",
            "content/stories/passwd.md is a symlink to /etc/passwd",
        ],
    );
    // A whole static folder linked out is refused once, not once per file in it.
    let site = built_site();
    replace_with_link(&site, "static", Path::new("/etc"));
    refused_by_build_and_check(&site, &["content/static is a symlink to /etc"]);
}

#[test]
fn loops_of_links_are_refused_not_followed() {
    let site = built_site();
    replace_with_link(&site, "pages/one.md", Path::new("two.md"));
    replace_with_link(&site, "pages/two.md", Path::new("one.md"));
    fs::create_dir_all(content(&site, "static/images")).unwrap();
    replace_with_link(&site, "static/images/again", Path::new(".."));
    refused_by_build_and_check(
        &site,
        &[
            "content/pages/one.md is a symlink to two.md, which leads to a loop of links",
            "content/static/images/again is a symlink back to content/static",
        ],
    );
}

#[test]
fn a_fifo_in_place_of_a_file_is_refused_not_read() {
    for path in [
        "footprints/beta/roadmap.md",
        "footprints/alpha/plan.pdf",
        "stories/piped.md",
        "organisations.csv",
    ] {
        let site = built_site();
        let fifo = content(&site, path);
        let _ = fs::remove_file(&fifo);
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        refused_by_build_and_check(
            &site,
            &[&format!(
                "content/{path} is a named pipe (FIFO), not a file"
            )],
        );
    }
}

#[test]
fn links_that_stay_inside_the_content_folder_are_followed() {
    let site = built_site();
    fs::create_dir_all(content(&site, "static/docs")).unwrap();
    fs::write(content(&site, "shared.txt"), "shared inside\n").unwrap();
    replace_with_link(
        &site,
        "static/docs/shared.txt",
        Path::new("../../shared.txt"),
    );
    replace_with_link(
        &site,
        "footprints/alpha/plan.pdf",
        Path::new("../../static/docs/plan.pdf"),
    );
    fs::write(content(&site, "static/docs/plan.pdf"), b"%PDF-1.7\n").unwrap();
    let built = site.build();
    assert!(built.status.success(), "{}", stderr(&built));
    assert_eq!(site.read("docs/shared.txt"), "shared inside\n");
    assert_eq!(site.read("footprints/alpha/plan.pdf"), "%PDF-1.7\n");

    // A content folder that is itself a link is the folder it leads to; a link inside it
    // back out to the folder beside it is still outside.
    let linked = Scratch::minimal();
    fs::rename(linked.content(), linked.path().join("real-content")).unwrap();
    symlink("real-content", linked.content()).unwrap();
    assert!(linked.build().status.success());
    fs::write(linked.path().join("secret.txt"), SECRET).unwrap();
    replace_with_link(
        &linked,
        "footprints/alpha/notes.txt",
        &linked.path().join("secret.txt"),
    );
    refused_by_build_and_check(
        &linked,
        &["content/footprints/alpha/notes.txt is a symlink to"],
    );
}

#[test]
fn web_pages_scripts_and_svg_in_a_footprint_folder_are_refused() {
    for name in [
        "report.html",
        "Report.HTM",
        "page.xhtml",
        "page.xht",
        "page.shtml",
        "archive.mht",
        "map.Svg",
        "feed.xml",
        "style.xsl",
        "app.js",
        "app.mjs",
        "README",
    ] {
        let site = built_site();
        fs::write(
            content(&site, &format!("footprints/alpha/{name}")),
            "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(document.domain)\"/>",
        )
        .unwrap();
        refused_by_build_and_check(
            &site,
            &[&format!(
                "content/footprints/alpha/{name} cannot be published"
            )],
        );
    }
}

#[test]
fn a_document_or_image_that_holds_markup_is_refused() {
    // A sniffing browser skips whitespace through the first 1,445 bytes.
    let spaced = [&[b' '; 1400][..], b"<script>alert(1)</script>"].concat();
    for (name, bytes) in [
        ("plan.pdf", &b"<html><script>alert(1)</script></html>"[..]),
        ("chart.PNG", b"\n  <!DOCTYPE html><p>x"),
        ("map.jpg", b"<svg onload=alert(1)>"),
        ("notes.txt", b"\xEF\xBB\xBF<?xml version=\"1.0\"?><svg/>"),
        ("spaced.txt", &spaced),
    ] {
        let site = built_site();
        fs::write(content(&site, &format!("footprints/alpha/{name}")), bytes).unwrap();
        refused_by_build_and_check(
            &site,
            &[&format!("content/footprints/alpha/{name} is named")],
        );
    }
}

#[test]
fn documents_and_images_are_published_byte_for_byte() {
    let site = built_site();
    let files: [(&str, &[u8]); 8] = [
        ("plan.pdf", b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n"),
        ("Budget.XLSX", b"PK\x03\x04rest"),
        ("minutes.docx", b"PK\x03\x04rest"),
        ("notes.odt", b"PK\x03\x04rest"),
        ("scores.csv", b"code,score\nRXF,3\n"),
        ("readme.txt", b"a <b>plain</b> note\n"),
        ("chart.png", b"\x89PNG\r\n\x1a\n"),
        ("photo.webp", b"RIFF\0\0\0\0WEBPVP8 "),
    ];
    for (name, bytes) in files {
        fs::write(content(&site, &format!("footprints/alpha/{name}")), bytes).unwrap();
    }
    let built = site.build();
    assert!(built.status.success(), "{}", stderr(&built));
    for (name, bytes) in files {
        let published = fs::read(site.output().join("footprints/alpha").join(name)).unwrap();
        assert_eq!(published, bytes, "{name}");
    }
}

/// In the preview, a roadmap swapped for a link out of the folder shows as the error
/// overlay, and the secret is served nowhere.
#[test]
fn serve_refuses_a_link_out_of_the_folder_in_the_overlay() {
    let preview = Preview::start();
    fs::write(preview.site.path().join("secret.txt"), SECRET).unwrap();
    let mut events = preview.events();
    let roadmap = preview.content("footprints/beta/roadmap.md");
    fs::remove_file(&roadmap).unwrap();
    symlink(preview.site.path().join("secret.txt"), &roadmap).unwrap();
    let error = expect_event(&mut events, "build-error");
    assert!(
        error.contains("footprints/beta/roadmap.md is a symlink to"),
        "{error}"
    );
    let page = get(preview.port, "/footprints/beta/");
    assert!(page.text().contains("outside the content folder"));
    assert!(!page.text().contains(SECRET), "{}", page.text());
}

/// A static file the preview serves from its source, swapped for a link to a file outside,
/// is not served: the swap sends the preview to a full load, which refuses it.
#[test]
fn serve_does_not_serve_a_copied_file_swapped_for_a_link() {
    let site = Scratch::minimal();
    common::copy_dir(&common::repo().join("themes"), &site.path().join("themes"));
    fs::create_dir_all(site.content().join("static")).unwrap();
    fs::write(site.content().join("static/notes.txt"), "notes\n").unwrap();
    let preview = Preview::start_in(site, &[]);
    assert_eq!(get(preview.port, "/notes.txt").text(), "notes\n");
    fs::write(preview.site.path().join("secret.txt"), SECRET).unwrap();
    let mut events = preview.events();
    let notes = preview.content("static/notes.txt");
    fs::remove_file(&notes).unwrap();
    symlink(preview.site.path().join("secret.txt"), &notes).unwrap();
    let error = expect_event(&mut events, "build-error");
    assert!(
        error.contains("static/notes.txt is a symlink to"),
        "{error}"
    );
    assert!(!get(preview.port, "/notes.txt").text().contains(SECRET));
}

/// An HTML attachment saved under the preview is refused in the overlay, and not served.
#[test]
fn serve_refuses_a_web_page_saved_in_a_footprint_folder() {
    let preview = Preview::start();
    let mut events = preview.events();
    fs::write(
        preview.content("footprints/alpha/Report.HTML"),
        "<script>alert(document.cookie)</script>",
    )
    .unwrap();
    let error = expect_event(&mut events, "build-error");
    assert!(
        error.contains("footprints/alpha/Report.HTML cannot be published"),
        "{error}"
    );
    let page = get(preview.port, "/footprints/alpha/Report.HTML");
    assert!(!page.text().contains("alert("), "{}", page.text());
}

/// A file or folder whose name holds a control character (a line break, an escape, a tab)
/// or is not UTF-8 is refused with its path, wherever it is: a footprint's attachment, a
/// static file, a folder on the way to one, a story. Its name would otherwise be published
/// as an address that no one can see or type.
#[test]
fn names_with_control_characters_or_not_utf8_are_refused() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let names: [(&str, &[u8]); 7] = [
        ("footprints/alpha", b"plan\x01.pdf"),
        ("footprints/alpha", b"a\x1b[31mred.png"),
        ("footprints/alpha", b"two\nlines.txt"),
        ("footprints/alpha", b"latin\xE9.pdf"),
        ("static", b"tab\there.css"),
        ("static/sub\x7fdir", b"style.css"),
        ("stories", b"story\r.md"),
    ];
    for (folder, name) in names {
        let site = built_site();
        let folder = site.content().join(folder);
        fs::create_dir_all(&folder).unwrap();
        let path = folder.join(OsStr::from_bytes(name));
        fs::copy(content(&site, "stories/shared.md"), &path).unwrap();
        let expected = match std::str::from_utf8(name) {
            Ok(_) => "in its name",
            Err(_) => "has a name that is not UTF-8",
        };
        refused_by_build_and_check(&site, &[expected]);
    }
}

/// A file checked when the content was read and swapped for a link out of the folder
/// before it is copied (the file itself, or a folder on its way) is refused, not copied:
/// the check is made on the file that is opened. The swap is made as soon as `-v` says the
/// content was read; rendering the default site takes far longer than that.
#[test]
fn a_file_swapped_for_a_link_during_the_build_is_not_published() {
    use std::io::BufRead;
    use std::process::{Command, Stdio};
    for swapped in ["static/notes.txt", "static/docs"] {
        let site = Scratch::copy_of(&common::repo().join("content"));
        fs::create_dir_all(site.content().join("static/docs")).unwrap();
        fs::write(site.content().join("static/notes.txt"), "notes\n").unwrap();
        fs::write(site.content().join("static/docs/notes.txt"), "notes\n").unwrap();
        let outside = site.path().join("outside");
        fs::create_dir_all(&outside).unwrap();
        fs::write(outside.join("notes.txt"), SECRET).unwrap();
        let (link, target) = match swapped {
            "static/notes.txt" => (site.path().join("link"), outside.join("notes.txt")),
            _ => (site.path().join("link"), outside.clone()),
        };
        symlink(&target, &link).unwrap();

        let mut build = Command::new(env!("CARGO_BIN_EXE_ldr"))
            .args(["build", "-v", "--themes"])
            .arg(common::repo().join("themes"))
            .current_dir(site.path())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = std::io::BufReader::new(build.stderr.take().unwrap()).lines();
        let mut text = String::new();
        for line in lines.by_ref() {
            let line = line.unwrap();
            text += &line;
            text += "\n";
            if line.starts_with("timing: load") {
                if swapped == "static/docs" {
                    fs::remove_dir_all(site.content().join(swapped)).unwrap();
                }
                fs::rename(&link, site.content().join(swapped)).unwrap();
                break;
            }
        }
        for line in lines {
            text += &line.unwrap();
            text += "\n";
        }
        let status = build.wait().unwrap();
        assert_eq!(status.code(), Some(1), "{swapped}:\n{text}");
        assert!(
            text.contains("became a link to") && text.contains("outside the content folder"),
            "{swapped}:\n{text}"
        );
        assert!(!site.output().exists(), "{swapped}: output/ was written");
    }
}
