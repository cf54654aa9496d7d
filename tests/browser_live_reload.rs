//! The preview in a real browser: headless Chromium follows edits without navigation.
//! Needs the tools that `scripts/install-test-tools` installs.

mod common;

use std::process::Command;

use common::preview::Preview;
use common::repo;

#[test]
fn open_tab_follows_edits_css_and_errors_without_reload() {
    let script = repo().join("tests/browser/check_live_reload.mjs");
    assert!(
        repo()
            .join("tests/browser/node_modules/playwright-core")
            .is_dir(),
        "the browser tools are not installed: run `scripts/install-test-tools`"
    );
    let preview = Preview::start();
    let output = Command::new("node")
        .arg(&script)
        .arg(format!(
            "http://127.0.0.1:{}/footprints/beta/",
            preview.port
        ))
        .arg(preview.content("footprints/beta/roadmap.md"))
        .arg(preview.site.path().join("themes/default/static/style.css"))
        .arg(preview.content("footprints/beta/footprint.toml"))
        .output()
        .expect("node runs");
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{report}\n{}\nserver log:\n{}",
        String::from_utf8_lossy(&output.stderr),
        preview.log()
    );
    assert_eq!(report.matches("ok - ").count(), 4, "{report}");
}
