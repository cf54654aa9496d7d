//! `ldr build` replaces only what it made, and only when the whole build succeeded.

mod common;

use std::fs;

use common::{Scratch, snapshot, stderr};

#[test]
fn build_refuses_the_current_folder() {
    let site = Scratch::minimal();
    let before = snapshot(site.path());
    let output = site.ldr(&["build", "--output", "."]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("refusing to write the site to ."),
        "{}",
        stderr(&output)
    );
    assert_eq!(before, snapshot(site.path()));
}

#[test]
fn build_refuses_the_content_folder() {
    let site = Scratch::minimal();
    let before = snapshot(site.path());
    let output = site.ldr(&["build", "--output", "content"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("overlaps the content folder"),
        "{}",
        stderr(&output)
    );
    assert_eq!(before, snapshot(site.path()));
}

#[test]
fn build_refuses_a_folder_it_did_not_make() {
    let site = Scratch::minimal();
    fs::create_dir(site.path().join("precious")).unwrap();
    fs::write(site.path().join("precious/thesis.txt"), "years of work").unwrap();
    let output = site.ldr(&["build", "--output", "precious"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("ldr did not make it"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        fs::read_to_string(site.path().join("precious/thesis.txt")).unwrap(),
        "years of work"
    );
}

#[test]
fn rebuild_replaces_its_own_output_and_leaves_no_staging_folder() {
    let site = Scratch::minimal();
    assert!(site.build().status.success());
    fs::write(site.output().join("stale.html"), "old").unwrap();
    let again = site.build();
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(
        !site.output().join("stale.html").exists(),
        "a rebuild starts from a clean site"
    );
    let leftovers: Vec<_> = fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.contains("ldr-"))
        .collect();
    assert!(leftovers.is_empty(), "staging left behind: {leftovers:?}");
}

#[test]
fn a_staging_folder_left_by_a_stopped_build_is_cleared() {
    let site = Scratch::minimal();
    // What a build stopped with Ctrl-C while writing leaves beside output/.
    let abandoned = site.path().join(".output.ldr-staging-4194304");
    fs::create_dir_all(abandoned.join("footprints")).unwrap();
    fs::write(abandoned.join("footprints/half.html"), "half").unwrap();
    let build = site.build();
    assert!(build.status.success(), "{}", stderr(&build));
    assert!(
        !abandoned.exists(),
        "the abandoned staging folder is still there"
    );
}

#[test]
fn check_writes_nothing() {
    let site = Scratch::minimal();
    let output = site.ldr(&["check"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).starts_with("Checked 2 footprints"),
        "{}",
        stderr(&output)
    );
    assert!(!site.output().exists());
}

/// A copy of the repository's themes in `folder` of the site, for builds that name it.
fn themes_in(site: &Scratch, folder: &str) -> std::path::PathBuf {
    let themes = site.path().join(folder);
    common::copy_dir(&common::repo().join("themes"), &themes);
    themes
}

#[test]
fn build_refuses_a_themes_folder_inside_the_output() {
    let site = Scratch::minimal();
    assert!(site.build().status.success());
    // The output is ldr's own (it has the marker), and the themes were put inside it.
    themes_in(&site, "output/themes");
    fs::create_dir(site.path().join("sub")).unwrap();
    std::os::unix::fs::symlink(site.output(), site.path().join("linked")).unwrap();
    for (themes, output) in [
        ("output/themes", "output"),
        ("output/themes", "sub/../output"),
        ("linked/themes", "output"),
        ("output/themes", "linked"),
    ] {
        let before = snapshot(site.path());
        let built = site.ldr(&["build", "--themes", themes, "--output", output]);
        let text = stderr(&built);
        assert_eq!(built.status.code(), Some(1), "{themes} in {output}: {text}");
        assert!(text.contains("overlaps the themes folder"), "{text}");
        assert_eq!(before, snapshot(site.path()), "{themes} in {output}");
    }
}

#[test]
fn build_refuses_an_output_inside_or_equal_to_the_themes_folder() {
    let site = Scratch::minimal();
    themes_in(&site, "mythemes");
    std::os::unix::fs::symlink(site.path().join("mythemes"), site.path().join("alias")).unwrap();
    for output in [
        "mythemes",
        "mythemes/site",
        "alias",
        "alias/../mythemes/new/",
        "./mythemes/default",
    ] {
        let before = snapshot(site.path());
        let built = site.ldr(&["build", "--themes", "mythemes", "--output", output]);
        let text = stderr(&built);
        assert_eq!(built.status.code(), Some(1), "{output}: {text}");
        assert!(
            text.contains("overlaps the themes folder"),
            "{output}: {text}"
        );
        assert_eq!(before, snapshot(site.path()), "{output}");
    }
}
