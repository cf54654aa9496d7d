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

/// Runs `ldr build` in `site` with `LDR_TEST_FAIL_SWAP=step`, which debug builds honour
/// to fail that step of the swap (the tests run as root, whom a read-only folder does not
/// stop).
fn build_failing_at(site: &Scratch, step: &str) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_ldr"))
        .args(["build", "--themes"])
        .arg(common::repo().join("themes"))
        .env("LDR_TEST_FAIL_SWAP", step)
        .current_dir(site.path())
        .output()
        .expect("ldr runs")
}

/// What builds leave beside the output folder.
fn leftovers(site: &Scratch) -> Vec<String> {
    fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.contains("ldr-"))
        .collect()
}

#[test]
fn a_failed_swap_puts_the_previous_site_back_and_leaves_nothing_behind() {
    for step in ["check", "step-aside", "move-in", "remove"] {
        let site = Scratch::minimal();
        assert!(site.build().status.success());
        let before = snapshot(&site.output());
        // A change, so that a new site in the folder would show.
        let about = site.content().join("pages/about.md");
        let text = fs::read_to_string(&about).unwrap();
        fs::write(&about, text.replace("By hand", "By a new hand")).unwrap();
        let output = build_failing_at(&site, step);
        let message = stderr(&output);
        assert_eq!(output.status.code(), Some(1), "{step}: {message}");
        assert!(
            message.contains("cannot replace output"),
            "{step}: {message}"
        );
        assert!(
            message.contains("the previous site in output is as it was"),
            "{step}: {message}"
        );
        assert_eq!(
            before,
            snapshot(&site.output()),
            "{step}: the old site changed"
        );
        assert_eq!(leftovers(&site), Vec::<String>::new(), "{step}");
        // And the next build goes through.
        assert!(site.build().status.success(), "{step}");
        assert!(site.read("about/index.html").contains("By a new hand"));
    }
}

#[test]
fn a_failed_first_swap_leaves_no_output_and_nothing_behind() {
    let site = Scratch::minimal();
    let output = build_failing_at(&site, "move-in");
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(!site.output().exists());
    assert_eq!(leftovers(&site), Vec::<String>::new());
}

#[test]
fn builds_into_one_folder_at_once_take_turns_and_leave_it_marked() {
    let site = Scratch::minimal();
    for round in 0..3 {
        let builds: Vec<_> = (0..4)
            .map(|_| {
                std::process::Command::new(env!("CARGO_BIN_EXE_ldr"))
                    .args(["build", "--output", "out", "--themes"])
                    .arg(common::repo().join("themes"))
                    .current_dir(site.path())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .expect("ldr runs")
            })
            .collect();
        for build in builds {
            let output = build.wait_with_output().unwrap();
            assert!(
                output.status.success(),
                "round {round}: {}",
                stderr(&output)
            );
        }
        let out = site.path().join("out");
        assert!(
            out.join(".ldr-output").is_file(),
            "round {round}: out is unmarked"
        );
        assert!(out.join("index.html").is_file(), "round {round}");
        assert_eq!(leftovers(&site), Vec::<String>::new(), "round {round}");
    }
    // A later build is not refused.
    let again = site.ldr(&["build", "--output", "out"]);
    assert!(again.status.success(), "{}", stderr(&again));
}
