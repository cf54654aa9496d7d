//! Names that one file system keeps apart and another folds together: codes and slugs that
//! differ only in case, or only in Unicode normalisation (macOS writes file names
//! decomposed), would be one folder of the published site on macOS and Windows. They are
//! refused by `ldr build` and `ldr check`, naming both.

mod common;

use std::fs;

use common::Scratch;

#[test]
fn codes_that_differ_only_in_case_are_refused_in_either_register() {
    let site = Scratch::built_minimal();
    fs::write(
        site.content().join("example-organisations.csv"),
        "code,name,kind,region\nZz9,An example body,other,\n",
    )
    .unwrap();
    let register = site.content().join("organisations.csv");
    let text = fs::read_to_string(&register).unwrap() + "zZ9,Another body,other,\n";
    fs::write(&register, text).unwrap();
    site.refused_by_build_and_check(&[
        "organisation codes `zZ9` and `Zz9` differ only in case",
        "content/example-organisations.csv:2:1",
    ]);
}

#[test]
fn footprint_folders_that_differ_only_in_case_are_refused() {
    let site = Scratch::built_minimal();
    common::copy_dir(
        &site.content().join("footprints/alpha"),
        &site.content().join("footprints/ALPHA"),
    );
    site.refused_by_build_and_check(&["two footprints have the slug `alpha`"]);
}

#[test]
fn story_names_composed_and_decomposed_are_refused_as_one_address() {
    let site = Scratch::built_minimal();
    let story = fs::read_to_string(site.content().join("stories/shared.md")).unwrap();
    fs::write(site.content().join("stories/caf\u{e9}-day.md"), &story).unwrap();
    fs::write(site.content().join("stories/cafe\u{301}-day.md"), &story).unwrap();
    site.refused_by_build_and_check(&["two story files make the same address, `cafe-day`"]);
}

/// A static file whose path differs from a file ldr makes (or from another static file)
/// only in case or in how its accents are encoded is refused, naming both paths: on macOS
/// and Windows one would overwrite the other.
#[test]
fn published_paths_that_differ_only_in_case_or_accents_are_refused() {
    for (files, expected) in [
        (&["FEED.XML"][..], "`feed.xml` and `FEED.XML`"),
        (&["Sitemap.xml"][..], "`sitemap.xml` and `Sitemap.xml`"),
        (
            &["Footprints/alpha/Index.html"][..],
            "`footprints/alpha/index.html` and `Footprints/alpha/Index.html`",
        ),
        (&["logo.png", "LOGO.PNG"][..], "`LOGO.PNG` and `logo.png`"),
        (
            &["caf\u{e9}.css", "cafe\u{301}.css"][..],
            "which differ only in case",
        ),
    ] {
        let site = Scratch::built_minimal();
        for file in files {
            let path = site.content().join("static").join(file);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, "x").unwrap();
        }
        site.refused_by_build_and_check(&[expected, "content/static/"]);
    }
}
