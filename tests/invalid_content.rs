//! One fixture per mistake in `tests/fixtures/invalid/<case>/`: its `content/` files are laid
//! over the valid minimal site, and `expected.txt` lists lines the error output must hold
//! (the message, then file:line:column). Each case also checks that the previous output
//! survives the failed build byte for byte.

mod common;

use common::{Scratch, repo, snapshot, stderr};

fn refused_with_its_place(case: &str) {
    let site = Scratch::minimal();
    let first = site.build();
    assert!(
        first.status.success(),
        "the minimal site builds: {}",
        stderr(&first)
    );
    let before = snapshot(&site.output());

    let fixture = repo().join("tests/fixtures/invalid").join(case);
    site.overlay(&fixture.join("content"));
    let failed = site.build();
    let text = stderr(&failed);

    assert_eq!(
        failed.status.code(),
        Some(1),
        "{case} exits with 1:\n{text}"
    );
    let expected = std::fs::read_to_string(fixture.join("expected.txt")).unwrap();
    for line in expected.lines().filter(|l| !l.is_empty()) {
        assert!(text.contains(line), "{case}: expected `{line}` in:\n{text}");
    }
    assert!(text.contains("nothing was written"), "{text}");
    assert_eq!(
        before,
        snapshot(&site.output()),
        "{case}: output/ changed after a failed build"
    );
    // Pages are written into a staging folder as they are rendered: a failed build must
    // not leave it behind.
    let output = site.output();
    let leftovers: Vec<String> = std::fs::read_dir(output.parent().unwrap())
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|name| name.contains(".ldr-"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "{case}: staging left behind: {leftovers:?}"
    );
}

macro_rules! invalid_cases {
    ($($test:ident => $case:literal,)*) => {
        $(#[test] fn $test() { refused_with_its_place($case); })*

        #[test]
        fn every_fixture_has_a_test() {
            let named = [$($case),*];
            for entry in std::fs::read_dir(repo().join("tests/fixtures/invalid")).unwrap() {
                let name = entry.unwrap().file_name().into_string().unwrap();
                assert!(named.contains(&name.as_str()), "fixture {name} has no test");
            }
        }
    };
}

invalid_cases! {
    malformed_toml_is_refused_with_its_line => "malformed-toml",
    review_due_before_the_review_is_refused_at_review_due => "review-due-before-reviewed",
    review_date_with_a_time_is_refused_at_its_value => "review-date-with-a-time",
    review_due_without_a_review_is_refused => "review-due-without-reviewed",
    unknown_key_is_refused_with_did_you_mean => "unknown-key",
    missing_required_key_is_named => "missing-key",
    wrong_type_is_refused_at_the_value => "wrong-type",
    impossible_date_is_refused => "impossible-date",
    two_footprints_with_one_slug_are_refused => "duplicate-slug",
    unknown_member_code_is_refused_with_its_line => "unknown-member-code",
    organisation_listed_twice_points_at_both => "listed-twice",
    link_to_missing_site_path_is_refused => "broken-site-link",
    link_to_missing_content_file_is_refused => "broken-content-link",
    script_in_a_roadmap_is_refused => "script-in-roadmap",
    onerror_attribute_in_any_case_is_refused => "img-onerror-attribute",
    entity_encoded_javascript_link_is_refused => "javascript-link",
    event_handler_in_a_story_is_refused => "script-in-story",
    iframe_in_a_page_is_refused => "iframe-in-page",
    file_that_is_not_utf8_is_refused_at_the_byte => "not-utf8",
    template_syntax_error_names_template_and_line => "template-error",
    template_render_error_names_template_and_line => "template-render-error",
    unknown_region_gets_did_you_mean => "unknown-region",
    event_ending_before_it_starts_is_refused => "event-ends-before-start",
    trust_as_lead_ccg_is_refused => "lead-not-a-ccg",
    every_error_of_a_run_is_reported => "every-error-reported",
    unknown_organisation_kind_is_refused => "bad-organisation-kind",
    reused_merged_footprint_slug_is_refused => "merged-slug-reused",
    unknown_capability_is_refused => "unknown-capability",
    file_copied_over_a_page_is_refused => "file-over-a-page",
    excel_windows_csv_is_refused_with_how_to_save_utf8 => "csv-windows-1252",
    stray_quote_in_csv_is_reported_at_the_quote => "csv-stray-quote",
    csv_row_with_a_missing_column_is_refused => "csv-missing-column",
    two_story_files_with_one_slug_name_both => "story-slug-collision",
    organisation_code_that_is_a_path_is_refused => "code-outside-the-site",
    tag_without_letters_is_refused_at_the_tag => "tag-without-letters",
}

#[test]
fn wrong_command_line_exits_with_2() {
    let site = Scratch::minimal();
    let output = site.ldr(&["build", "--no-such-flag"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
}

#[test]
fn bad_now_date_is_a_command_line_error() {
    let site = Scratch::minimal();
    let output = site.ldr(&["build", "--now", "2017-02-30"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("is not a date like 2017-01-31"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn odd_command_lines_never_panic() {
    let site = Scratch::minimal();
    let odd: [&[&str]; 14] = [
        &["build", "--base-url", ""],
        &["build", "--base-url", "ü://x/é?q#f"],
        &["build", "--content", "no-such-folder"],
        &["build", "--output", "/"],
        &["build", "--output", "content"],
        &["build", "--now", "99999-01-01"],
        &["check", "--themes", "no-such-themes"],
        &["serve", "--port", "99999"],
        &["serve", "--bind", "not-an-address"],
        &["new", "footprint", "", "--lead", "02W"],
        &["new", "footprint", "../../x", "--lead", "02W"],
        &["new", "footprint", "02W", "--partner-of", "../alpha"],
        &["new", "story"],
        &["\u{1F600}"],
    ];
    for args in odd {
        let output = site.ldr(args);
        let text = stderr(&output);
        assert!(!text.contains("panicked"), "ldr {args:?} panicked:\n{text}");
        assert!(
            matches!(output.status.code(), Some(0..=2)),
            "ldr {args:?} exited with {:?}:\n{text}",
            output.status.code()
        );
    }
}
