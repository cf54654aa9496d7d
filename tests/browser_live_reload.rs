//! The preview in a real browser: headless Chromium follows edits without navigation.
//! Needs the tools that `scripts/install-test-tools` installs.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::preview::Preview;
use common::repo;

/// Runs a check script of `tests/browser/` against `preview` and returns its report.
fn run_check(script: &str, args: &[&Path], preview: &Preview, url: &str) -> String {
    assert!(
        repo()
            .join("tests/browser/node_modules/playwright-core")
            .is_dir(),
        "the browser tools are not installed: run `scripts/install-test-tools`"
    );
    let output = Command::new("node")
        .arg(repo().join("tests/browser").join(script))
        .arg(url)
        .args(args)
        .output()
        .expect("node runs");
    let report = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{report}\n{}\nserver log:\n{}",
        String::from_utf8_lossy(&output.stderr),
        preview.log()
    );
    report
}

#[test]
fn open_tab_follows_edits_css_and_errors_without_reload() {
    let preview = Preview::start();
    let report = run_check(
        "check_live_reload.mjs",
        &[
            &preview.content("footprints/beta/roadmap.md"),
            &preview.site.path().join("themes/default/static/style.css"),
            &preview.content("footprints/beta/footprint.toml"),
        ],
        &preview,
        &format!("http://127.0.0.1:{}/footprints/beta/", preview.port),
    );
    assert_eq!(report.matches("ok - ").count(), 4, "{report}");
}

#[test]
fn a_roadmap_edit_is_shown_in_place_and_a_page_that_is_gone_reloads() {
    let preview = Preview::start();
    let roadmap = preview.content("footprints/beta/roadmap.md");
    let mut long = String::from("## Vision\n\n");
    for n in 1..=60 {
        long.push_str(&format!(
            "Paragraph {n} of a long roadmap: shared records, e-referrals and the \
             information governance that lets them flow across the footprint.\n\n"
        ));
    }
    long.push_str(
        "## Risks\n\n<details>\n<summary>What could stop us</summary>\n\n\
         Funding, and the time of clinicians.\n\n</details>\n\n\
         See [the Alpha roadmap](/footprints/alpha/).\n",
    );
    fs::write(&roadmap, long).unwrap();
    preview.wait_for_log("Rebuilt after");
    let report = run_check(
        "check_update_in_place.mjs",
        &[&roadmap, &preview.content("events/later.md")],
        &preview,
        &format!("http://127.0.0.1:{}", preview.port),
    );
    assert_eq!(report.matches("ok - ").count(), 4, "{report}");
}

/// Where the overlay's screenshots go, for a person to look at.
fn screenshots() -> std::path::PathBuf {
    let dir = repo().join("target/screenshots");
    fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn the_error_overlay_is_legible_aligned_announced_once_and_closable_in_any_theme() {
    let site = common::Scratch::minimal();
    common::copy_dir(&repo().join("themes"), &site.path().join("themes"));
    // Given as an absolute path, as a shortcut or an editor's task starts it: the overlay
    // still names files from the site folder.
    let content = site.content().to_string_lossy().into_owned();
    let preview = Preview::start_in(site, &["--content", &content]);
    let report = run_check(
        "check_overlay.mjs",
        &[
            Path::new("edits"),
            &preview.content("footprints/beta/footprint.toml"),
            &preview.content("footprints/alpha/footprint.toml"),
            &preview.site.path().join("themes/default/static/style.css"),
            &screenshots(),
        ],
        &preview,
        &format!("http://127.0.0.1:{}/footprints/beta/", preview.port),
    );
    assert_eq!(report.matches("ok - ").count(), 7, "{report}");
}

#[test]
fn a_site_broken_from_the_start_shows_the_same_overlay() {
    let site = common::Scratch::minimal();
    common::copy_dir(&repo().join("themes"), &site.path().join("themes"));
    fs::write(
        site.content().join("footprints/beta/footprint.toml"),
        "name = \"Beta\"\n",
    )
    .unwrap();
    let preview = Preview::start_in(site, &[]);
    let report = run_check(
        "check_overlay.mjs",
        &[Path::new("first"), &screenshots()],
        &preview,
        &format!("http://127.0.0.1:{}/", preview.port),
    );
    assert_eq!(report.matches("ok - ").count(), 1, "{report}");
}

#[test]
fn the_error_overlay_shows_content_as_text_whatever_it_holds() {
    let preview = Preview::start();
    let report = run_check(
        "check_overlay_text.mjs",
        &[&preview.content("footprints/beta/footprint.toml")],
        &preview,
        &format!("http://127.0.0.1:{}/footprints/beta/", preview.port),
    );
    assert_eq!(report.matches("ok - ").count(), 5, "{report}");
}
