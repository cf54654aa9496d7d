//! `ldr new footprint`: templates that build at once, codes checked, nothing overwritten.

mod common;

use std::fs;

use common::{Scratch, snapshot, stderr};

#[test]
fn new_footprint_from_the_lead_template_builds_at_once() {
    let site = Scratch::minimal();
    let made = site.ldr(&[
        "new",
        "footprint",
        "gamma-area",
        "--lead",
        "02N",
        "--partner",
        "07L",
    ]);
    assert!(made.status.success(), "{}", stderr(&made));
    let toml =
        fs::read_to_string(site.content().join("footprints/gamma-area/footprint.toml")).unwrap();
    assert!(
        toml.contains("lead = \"02N\"") && toml.contains("partners = [\"07L\"]"),
        "{toml}"
    );
    assert!(
        toml.contains("region = \"North of England\""),
        "region from the lead CCG: {toml}"
    );
    assert!(
        toml.contains("[governance]") && toml.contains("# senior_responsible_owner"),
        "{toml}"
    );
    let roadmap =
        fs::read_to_string(site.content().join("footprints/gamma-area/roadmap.md")).unwrap();
    for section in [
        "Vision",
        "Baseline",
        "Readiness",
        "Capability deployment",
        "Universal capability delivery plan",
        "Information sharing",
        "Infrastructure",
        "Minimising risks",
        "Governance",
    ] {
        assert!(
            roadmap.contains(&format!("## {section}\n")),
            "missing {section}"
        );
    }
    let built = site.build();
    assert!(built.status.success(), "{}", stderr(&built));
    let page = site.read("footprints/gamma-area/index.html");
    assert!(page.contains("<h1>Gamma Area</h1>") && page.contains("Lead CCG</span>"));
}

#[test]
fn new_footprint_refuses_to_overwrite() {
    let site = Scratch::minimal();
    let before = snapshot(&site.content());
    let output = site.ldr(&["new", "footprint", "beta", "--lead", "02N"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("footprint `beta` already exists"),
        "{}",
        stderr(&output)
    );
    assert!(stderr(&output).contains("nothing was changed"));
    assert_eq!(before, snapshot(&site.content()));
}

#[test]
fn new_footprint_checks_codes_against_the_registry() {
    let site = Scratch::minimal();
    let before = snapshot(&site.content());
    let unknown = site.ldr(&["new", "footprint", "gamma", "--lead", "ZZZ"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(stderr(&unknown).contains("unknown organisation code `ZZZ`"));
    let trust = site.ldr(&[
        "new",
        "footprint",
        "gamma",
        "--lead",
        "02N",
        "--partner",
        "RF4",
    ]);
    assert_eq!(trust.status.code(), Some(1));
    assert!(stderr(&trust).contains(
        "`RF4` (BARKING HAVERING AND REDBRIDGE UNIVERSITY HOSPITALS NHS TRUST) is not a CCG"
    ));
    let slug = site.ldr(&["new", "footprint", "Gamma Area", "--lead", "02N"]);
    assert!(stderr(&slug).contains(
        "a slug is lowercase words joined by hyphens, under 100 characters, such as `gamma-area`"
    ));
    assert_eq!(
        before,
        snapshot(&site.content()),
        "nothing written after a refusal"
    );
}

#[test]
fn partner_of_adds_a_partner_ccg_and_keeps_the_file_s_comments() {
    let site = Scratch::minimal();
    let path = site.content().join("footprints/beta/footprint.toml");
    fs::write(
        &path,
        format!(
            "# Beta's own comment\n{}",
            fs::read_to_string(&path).unwrap()
        ),
    )
    .unwrap();
    let output = site.ldr(&["new", "footprint", "02N", "--partner-of", "beta"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let toml = fs::read_to_string(&path).unwrap();
    assert!(toml.starts_with("# Beta's own comment\n"), "{toml}");
    assert!(toml.contains("partners = [\"07L\", \"02N\"]"), "{toml}");
    assert!(site.build().status.success());
    assert!(
        site.read("organisations/02N/index.html")
            .contains(r#"href="/footprints/beta/""#)
    );

    let again = site.ldr(&["new", "footprint", "02N", "--partner-of", "beta"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("`02N` is already in this footprint"));
}

#[test]
fn a_change_that_breaks_the_site_is_undone() {
    let site = Scratch::minimal();
    // A region that site.toml does not list makes the new footprint invalid.
    let output = site.ldr(&[
        "new",
        "footprint",
        "gamma",
        "--lead",
        "02N",
        "--region",
        "Mars",
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("unknown region `Mars`"),
        "{}",
        stderr(&output)
    );
    assert!(
        !site.content().join("footprints/gamma").exists(),
        "the broken footprint was removed"
    );
}

#[test]
fn new_needs_a_lead_or_partner_of() {
    let site = Scratch::minimal();
    let output = site.ldr(&["new", "footprint", "gamma"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let empty = site.ldr(&["new", "footprint", "--partner-of", "beta"]);
    assert_eq!(empty.status.code(), Some(1));
    assert!(stderr(&empty).contains("no partner CCG to add"));
}

#[test]
fn partner_of_takes_a_footprint_slug_not_a_path() {
    let site = Scratch::minimal();
    let before = snapshot(site.path());
    let refused = site.ldr(&["new", "footprint", "07L", "--partner-of", "../../elsewhere"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("`../../elsewhere` is not a footprint slug"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(before, snapshot(site.path()));
}
