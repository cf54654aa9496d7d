//! What a build says while it runs: a progress line on a terminal only, each stage's time
//! with --verbose, nothing but errors with --quiet.

mod common;

use std::process::Command;

use common::{Scratch, repo, stderr};

#[test]
fn verbose_prints_each_stage_time_before_the_summary() {
    let site = Scratch::minimal();
    let built = site.ldr(&["build", "--verbose"]);
    assert!(built.status.success(), "{}", stderr(&built));
    let text = stderr(&built);
    for stage in [
        "load", "model", "theme", "render", "index", "search", "write",
    ] {
        assert!(
            text.contains(&format!("timing: {stage} ")),
            "{stage}: {text}"
        );
    }
    // The CPU time beside the wall time shows which stages ran on every core.
    #[cfg(unix)]
    assert!(
        text.lines()
            .filter(|line| line.starts_with("timing: "))
            .all(|line| line.ends_with(" ms)") && line.contains(" ms (CPU ")),
        "{text}"
    );
    assert!(text.contains("Built 2 footprints"), "{text}");
}

#[test]
fn quiet_prints_errors_only() {
    let site = Scratch::minimal();
    let built = site.ldr(&["build", "--quiet"]);
    assert!(built.status.success());
    assert_eq!(stderr(&built), "", "a quiet good build says nothing");

    std::fs::write(
        site.content().join("stories/shared.md"),
        "no front matter\n",
    )
    .unwrap();
    let failed = site.ldr(&["build", "--quiet"]);
    assert_eq!(failed.status.code(), Some(1));
    assert!(stderr(&failed).contains("error: missing front matter"));
}

#[test]
fn no_progress_line_when_stderr_is_not_a_terminal() {
    let site = Scratch::minimal();
    let built = site.build();
    let text = stderr(&built);
    assert!(
        !text.contains('\r') && !text.contains('\u{1b}'),
        "no line redrawing in a log: {text:?}"
    );
}

#[test]
fn a_terminal_sees_the_stages_then_the_summary() {
    // `script` (util-linux) runs ldr on a pseudo-terminal, as a person's shell would.
    let site = Scratch::minimal();
    let command = format!(
        "{} build --themes {}",
        env!("CARGO_BIN_EXE_ldr"),
        repo().join("themes").display()
    );
    let run = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .current_dir(site.path())
        .output()
        .expect("script runs");
    assert!(run.status.success(), "{}", stderr(&run));
    let screen = String::from_utf8_lossy(&run.stdout);
    assert!(
        screen.contains("load") && screen.contains("render:"),
        "{screen:?}"
    );
    assert!(
        screen.contains("\u{1b}[2K"),
        "the line is redrawn in place: {screen:?}"
    );
    let summary = screen.rfind("Built 2 footprints").expect("the summary");
    assert!(
        summary > screen.rfind("render:").unwrap(),
        "the line is cleared first"
    );
}

#[test]
fn the_summary_counts_examples_apart_from_real_records() {
    let site = Scratch::minimal();
    let beta = site.content().join("footprints/beta/footprint.toml");
    let toml = std::fs::read_to_string(&beta).unwrap();
    std::fs::write(&beta, format!("example = true\n{toml}")).unwrap();
    let built = site.build();
    assert!(built.status.success(), "{}", stderr(&built));
    let text = stderr(&built);
    assert!(text.contains("Built 1 footprint, "), "{text}");
    // Beta's story and both events are about it, so they are examples too.
    assert!(
        text.contains("0 stories, 0 events, 1 page and 4 examples into "),
        "{text}"
    );
}
