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
    machine_formats_agree_with_the_human_one(&site, &text, case);
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

/// `--message-format json` and `github` report the same places as the human text.
fn machine_formats_agree_with_the_human_one(site: &Scratch, human: &str, case: &str) {
    let human_places: Vec<String> = human
        .lines()
        .filter_map(|line| line.trim_start().strip_prefix("--> "))
        .filter(|place| place.matches(':').count() >= 2)
        .map(String::from)
        .collect();

    let json = site.ldr(&["build", "--message-format", "json"]);
    assert_eq!(json.status.code(), Some(1), "{case}");
    let stdout = String::from_utf8(json.stdout).unwrap();
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{case}: {e}: {l}")))
        .collect();
    let (summary, diagnostics) = lines.split_last().expect("a summary line");
    assert_eq!(summary["reason"], "build-finished", "{case}");
    assert_eq!(summary["success"], false, "{case}");
    let place = |d: &serde_json::Value| {
        format!(
            "{}:{}:{}",
            d["file"].as_str().unwrap(),
            d["line"],
            d["column"]
        )
    };
    // A diagnostic's place, then its notes' ("first listed here"), as the human text has them.
    let json_places: Vec<String> = diagnostics
        .iter()
        .filter(|d| d["line"].is_u64())
        .flat_map(|d| {
            let notes = d["notes"].as_array().unwrap().iter().map(place);
            std::iter::once(place(d)).chain(notes)
        })
        .collect();
    assert_eq!(json_places, human_places, "{case}: JSON places");
    let main_places: Vec<String> = diagnostics
        .iter()
        .filter(|d| d["line"].is_u64())
        .map(place)
        .collect();
    assert_eq!(
        summary["errors"].as_u64().unwrap() as usize,
        diagnostics.iter().filter(|d| d["level"] == "error").count(),
        "{case}"
    );

    let github = site.ldr(&["build", "--message-format", "github"]);
    let commands = String::from_utf8(github.stdout).unwrap();
    let github_places: Vec<String> = commands
        .lines()
        .filter_map(|line| {
            let properties = line.strip_prefix("::")?.split("::").next()?;
            let (_, properties) = properties.split_once(' ')?;
            let value = |key: &str| {
                properties
                    .split(',')
                    .find_map(|p| p.strip_prefix(&format!("{key}=")))
                    .map(|v| {
                        v.replace("%3A", ":")
                            .replace("%2C", ",")
                            .replace("%25", "%")
                    })
            };
            Some(format!(
                "{}:{}:{}",
                value("file")?,
                value("line")?,
                value("col")?
            ))
        })
        .collect();
    assert_eq!(github_places, main_places, "{case}: GitHub places");
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
    toml_nested_too_deeply_is_refused_at_the_deepest_line => "toml-nested-too-deeply",
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
    codes_that_differ_only_in_case_are_refused => "codes-differ-only-in-case",
    link_to_missing_site_path_is_refused => "broken-site-link",
    link_to_missing_content_file_is_refused => "broken-content-link",
    raw_html_address_to_a_missing_page_or_image_is_refused_like_a_link => "raw-html-broken-links",
    raw_html_id_used_twice_points_at_both => "raw-html-repeated-id",
    script_in_a_roadmap_is_refused => "script-in-roadmap",
    onerror_attribute_in_any_case_is_refused => "img-onerror-attribute",
    entity_encoded_javascript_link_is_refused => "javascript-link",
    event_handler_in_a_story_is_refused => "script-in-story",
    iframe_in_a_page_is_refused => "iframe-in-page",
    file_that_is_not_utf8_is_refused_at_the_byte => "not-utf8",
    lone_carriage_returns_are_refused_at_the_first => "lone-carriage-returns",
    template_syntax_error_names_template_and_line => "template-error",
    template_render_error_names_template_and_line => "template-render-error",
    unclosed_template_block_is_reported_where_it_opened => "template-unclosed-block",
    template_that_includes_itself_names_the_file_and_line => "template-includes-itself",
    templates_that_extend_each_other_name_every_extends => "template-extends-in-a-circle",
    unknown_filter_suggests_the_nearest_filter => "template-unknown-filter-near",
    missing_variable_suggests_the_nearest_name => "template-missing-variable-near",
    unknown_region_gets_did_you_mean => "unknown-region",
    event_ending_before_it_starts_is_refused => "event-ends-before-start",
    trust_as_lead_ccg_is_refused => "lead-not-a-ccg",
    every_error_of_a_run_is_reported => "every-error-reported",
    unknown_organisation_kind_is_refused => "bad-organisation-kind",
    reused_merged_footprint_slug_is_refused => "merged-slug-reused",
    unknown_capability_is_refused => "unknown-capability",
    file_copied_over_a_page_is_refused => "file-over-a-page",
    file_copied_where_the_site_has_a_folder_is_refused => "file-where-a-folder-is",
    excel_windows_csv_is_refused_with_how_to_save_utf8 => "csv-windows-1252",
    stray_quote_in_csv_is_reported_at_the_quote => "csv-stray-quote",
    stray_quote_that_swallows_a_row_is_refused_at_the_quote => "csv-cell-with-line-break",
    stray_quote_in_digital_maturity_is_refused_at_the_quote => "maturity-stray-quote",
    csv_row_with_a_missing_column_is_refused => "csv-missing-column",
    two_story_files_with_one_slug_name_both => "story-slug-collision",
    organisation_code_that_is_a_path_is_refused => "code-outside-the-site",
    tag_without_letters_is_refused_at_the_tag => "tag-without-letters",
    tags_that_make_one_tag_page_are_refused_at_the_second => "tags-that-are-one-tag",
    merged_footprint_that_is_not_a_slug_is_refused => "merged-slug-not-a-slug",
    image_from_another_site_is_refused => "image-from-elsewhere",
    image_from_another_site_is_refused_in_every_spelling_a_browser_follows => "image-elsewhere-spellings",
    script_addresses_and_other_loads_are_refused_in_every_spelling => "script-address-spellings",
    script_address_to_register_is_refused => "register-javascript",
    handlers_in_a_windows_roadmap_are_placed_in_blocks_lists_and_quotes => "handlers-in-windows-roadmap",
    maturity_score_for_an_unknown_code_is_refused_at_the_code => "maturity-unknown-code",
    maturity_score_of_a_ccg_is_refused_as_not_a_trust => "maturity-not-a-trust",
    maturity_score_outside_0_to_100_is_refused_at_the_cell => "maturity-score-out-of-range",
    two_maturity_rows_for_one_provider_and_year_point_at_both => "maturity-duplicate-year",
    maturity_year_that_is_not_a_year_or_before_2015_is_refused => "maturity-bad-year",
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

/// A site's copy of a template from before a page changed shape (an older `ldr init`)
/// fails where it no longer fits, and the help says to take the default theme's again.
#[test]
fn an_old_copy_of_a_template_is_named_as_one() {
    for (name, now, before) in [
        (
            "organisations.html",
            "{{ group.entries | safe }}",
            "{% for org in group.organisations %}<li>{{ org.name }}</li>{% endfor %}",
        ),
        (
            "footprint.html",
            "{{ row.heading | safe }}",
            r#"<th scope="row">{{ row.id }}. {{ row.title }}</th>"#,
        ),
    ] {
        let site = Scratch::minimal();
        let templates = site.content().join("templates");
        std::fs::create_dir_all(&templates).unwrap();
        let theme = repo().join("themes/default/templates").join(name);
        let current = std::fs::read_to_string(theme).unwrap();
        let old = current.replace(now, before);
        assert_ne!(old, current);
        std::fs::write(templates.join(name), old).unwrap();
        let output = site.build();
        assert_eq!(output.status.code(), Some(1));
        let text = stderr(&output);
        assert!(text.contains(&format!("templates/{name}:")), "{text}");
        assert!(
            text.contains("differs from this ldr's default theme")
                && text.contains(&format!("themes/default/templates/{name}")),
            "{text}"
        );
        // The editor's template is theirs: the help says what to change, not to replace it.
        assert!(
            !text.contains("replace it") && text.contains("compare this line"),
            "{text}"
        );

        // The default theme's own template, unchanged, is not called a stale copy.
        std::fs::write(templates.join(name), current).unwrap();
        assert_eq!(site.build().status.code(), Some(0));
    }
}
