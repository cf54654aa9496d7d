//! What the pages say, read as a member of the public reads them: numbers that agree and never
//! count the illustrative examples, pages that lead with what is known, plurals that agree
//! with their number, acronyms spelled out where a page first uses them, NHS.UK wording, and
//! no placeholder address shown as if it were the site's.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use common::{Scratch, built_default_site, repo, stderr};
use scraper::{ElementRef, Html, Node, Selector};

fn select<'a>(page: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    page.select(&Selector::parse(css).unwrap()).collect()
}

fn text(element: &ElementRef) -> String {
    let joined: String = element.text().collect();
    joined.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn page(site: &Scratch, path: &str) -> Html {
    Html::parse_document(&site.read(path))
}

/// The number a text starts with: "9 footprints, 64 CCGs" is 9.
fn leading_number(text: &str) -> usize {
    let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
    digits
        .parse()
        .unwrap_or_else(|_| panic!("`{text}` starts with no number"))
}

/// Every HTML page of a built site, by its address.
fn html_pages(output: &Path) -> BTreeMap<String, Html> {
    walkdir::WalkDir::new(output)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let relative = e.path().strip_prefix(output).unwrap().to_string_lossy();
            let address = format!("/{}", relative.trim_end_matches("index.html"));
            let html = Html::parse_document(&fs::read_to_string(e.path()).unwrap());
            (address, html)
        })
        .collect()
}

/// The text a reader sees in the body, in order: no scripts, styles, SVG drawings (their
/// labels are attributes) or code, words separated by single spaces.
fn visible_text(page: &Html) -> String {
    let body = select(page, "body").remove(0);
    let mut out = String::new();
    for node in body.descendants() {
        let Node::Text(text) = node.value() else {
            continue;
        };
        let hidden = node.ancestors().any(|a| {
            a.value().as_element().is_some_and(|e| {
                matches!(
                    e.name(),
                    "script" | "style" | "svg" | "code" | "template" | "noscript"
                )
            })
        });
        if !hidden {
            out.push(' ');
            out.push_str(text);
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn json(site: &Scratch, path: &str) -> serde_json::Value {
    serde_json::from_str(&site.read(path)).unwrap()
}

#[test]
fn home_region_cards_footprints_page_and_open_data_agree_and_leave_the_example_out() {
    let site = built_default_site();
    let data = json(site, "data/footprints.json");
    let rows = data["footprints"].as_array().unwrap();
    let real = rows.iter().filter(|f| f["example"] == false).count();
    assert!(
        real > 0 && real < rows.len(),
        "the default site has an example"
    );

    let home = page(site, "index.html");
    let figure = select(&home, ".figure")
        .into_iter()
        .find(|f| text(f).contains("footprint"))
        .expect("a figure of footprints");
    assert_eq!(leading_number(&text(&figure)), real, "home figure");
    let cards: usize = select(&home, ".card__meta")
        .iter()
        .map(|c| leading_number(&text(c)))
        .sum();
    assert_eq!(cards, real, "the region cards add up to the total");

    let listing = page(site, "footprints/index.html");
    let total = select(&listing, ".footprints-total").remove(0);
    assert_eq!(leading_number(&text(&total)), real, "footprints page total");
    let captions: usize = select(&listing, ".region-section caption")
        .iter()
        .map(|c| leading_number(&text(c)))
        .sum();
    assert_eq!(captions, real, "the region tables add up to the total");
    // The example is listed, and marked.
    let example_rows: Vec<_> = select(&listing, "tbody tr")
        .into_iter()
        .filter(|row| !select_in(row, ".tag--example").is_empty())
        .collect();
    assert_eq!(example_rows.len(), rows.len() - real);
}

#[test]
fn a_regions_totals_count_an_organisation_in_two_of_its_footprints_once() {
    // North Yorkshire, for one, is a member of several footprints in the North of England: the
    // region's total of local authorities counts it once, as the home page's figure does.
    let site = built_default_site();
    let data = json(site, "data/footprints.json");
    let mut expected: BTreeMap<String, [std::collections::BTreeSet<String>; 3]> = BTreeMap::new();
    for footprint in data["footprints"].as_array().unwrap() {
        if footprint["example"] == true {
            continue;
        }
        let region = footprint["region"].as_str().unwrap().to_string();
        let sets = expected.entry(region).or_default();
        for member in footprint["organisations"].as_array().unwrap() {
            let column = match member["kind"].as_str().unwrap() {
                "ccg" => 0,
                "trust" => 1,
                "local-authority" => 2,
                other => panic!("kind {other}"),
            };
            sets[column].insert(member["code"].as_str().unwrap().to_string());
        }
    }
    let listing = page(site, "footprints/index.html");
    let mut shared = false;
    for section in select(&listing, ".region-section") {
        let region = text(&select_in(&section, "h2")[0]);
        let total: Vec<usize> = select_in(&section, "tfoot td")
            .iter()
            .map(|c| leading_number(&text(c)))
            .collect();
        let sets = &expected[&region];
        let distinct: Vec<usize> = sets.iter().map(|s| s.len()).collect();
        assert_eq!(
            total, distinct,
            "{region}: CCGs, NHS providers, local authorities"
        );
        let rows: usize = select_in(&section, "tbody tr")
            .iter()
            .filter(|row| select_in(row, ".tag--example").is_empty())
            .map(|row| leading_number(&text(&select_in(row, "td")[3])))
            .sum();
        if rows != total[2] {
            shared = true;
            let label = text(&select_in(&section, "tfoot th")[0]);
            assert!(label.contains("counted once"), "{region}: {label}");
        }
    }
    assert!(
        shared,
        "the default content has a council in two footprints of a region"
    );
    let home = page(site, "index.html");
    let councils = select(&home, ".figure")
        .into_iter()
        .find(|f| text(f).contains("local authorit"))
        .expect("a figure of local authorities");
    let all: std::collections::BTreeSet<_> = expected.values().flat_map(|s| s[2].iter()).collect();
    assert_eq!(leading_number(&text(&councils)), all.len(), "home figure");
}

#[test]
fn a_footprints_members_are_listed_by_name_as_the_a_to_z_files_them() {
    // West Yorkshire's footprint.toml lists its members by code: RAE (Bradford Teaching
    // Hospitals) before RCF (Airedale). A reader scans the lists by name.
    let site = built_default_site();
    let footprint = page(site, "footprints/west-yorkshire/index.html");
    let groups = select(&footprint, ".member-group");
    assert!(groups.len() >= 3, "CCGs, trusts and councils");
    for group in groups {
        let names: Vec<String> = select_in(&group, ".org-list__name > a")
            .iter()
            .map(|a| {
                let name = text(a).to_uppercase();
                name.strip_prefix("NHS ").unwrap_or(&name).to_string()
            })
            .collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert!(names.len() > 1, "{names:?}");
        assert_eq!(names, sorted, "{}", text(&select_in(&group, "h3")[0]));
    }
}

fn select_in<'a>(element: &ElementRef<'a>, css: &str) -> Vec<ElementRef<'a>> {
    element.select(&Selector::parse(css).unwrap()).collect()
}

/// The addresses of the default content's illustrative examples: stories, events,
/// footprints and organisations.
fn example_addresses() -> Vec<String> {
    let content = repo().join("content");
    let mut addresses = Vec::new();
    for (folder, section) in [("stories", "stories"), ("events", "events")] {
        for entry in fs::read_dir(content.join(folder)).unwrap() {
            let path = entry.unwrap().path();
            let text = fs::read_to_string(&path).unwrap();
            if text.lines().any(|l| l.replace(' ', "") == "example=true") {
                let slug = path.file_stem().unwrap().to_string_lossy().into_owned();
                addresses.push(format!("/{section}/{slug}/"));
            }
        }
    }
    for entry in fs::read_dir(content.join("footprints")).unwrap() {
        let path = entry.unwrap().path();
        let text = fs::read_to_string(path.join("footprint.toml")).unwrap();
        if text.lines().any(|l| l.replace(' ', "") == "example=true") {
            let slug = path.file_name().unwrap().to_string_lossy().into_owned();
            addresses.push(format!("/footprints/{slug}/"));
        }
    }
    let examples = fs::read_to_string(content.join("example-organisations.csv")).unwrap();
    for line in examples.lines().skip(1) {
        let code = line
            .split(',')
            .next()
            .unwrap()
            .trim_start_matches('\u{feff}');
        addresses.push(format!("/organisations/{code}/"));
    }
    addresses
}

#[test]
fn no_example_is_listed_on_a_real_footprint_or_organisation_page() {
    let site = built_default_site();
    let examples = example_addresses();
    assert!(examples.iter().any(|a| a.starts_with("/stories/")));
    let data = json(site, "data/footprints.json");
    let mut real_pages: Vec<String> = Vec::new();
    for footprint in data["footprints"].as_array().unwrap() {
        if footprint["example"] == false {
            real_pages.push(format!(
                "/footprints/{}/",
                footprint["slug"].as_str().unwrap()
            ));
        }
    }
    // The real organisations an example story names.
    for code in ["02W", "07Q"] {
        real_pages.push(format!("/organisations/{code}/"));
    }
    for address in &real_pages {
        let html = page(site, &format!("{}index.html", &address[1..]));
        let main = select(&html, "main").remove(0);
        assert!(
            select_in(&main, ".tag--example").is_empty(),
            "{address} marks something as an example"
        );
        for link in select_in(&main, "a") {
            let href = link.value().attr("href").unwrap_or_default();
            assert!(
                !examples.iter().any(|e| href == e),
                "{address} lists the example {href}"
            );
        }
    }
}

/// The minimal site with an illustrative footprint that plans capability A for 2017, beside
/// the real Alpha's plan for 2018.
fn site_with_an_example_plan() -> Scratch {
    let site = Scratch::minimal();
    let folder = site.content().join("footprints/illustration");
    fs::create_dir_all(&folder).unwrap();
    fs::write(
        folder.join("footprint.toml"),
        "name = \"Illustration\"\ncode = \"EXAMPLE\"\nregion = \"London\"\nmembers = [\"X99\"]\n\
         example = true\n\n[[capabilities]]\nid = \"A\"\nstatus = \"live\"\ntarget = 2017-03-31\n",
    )
    .unwrap();
    let built = site.build();
    assert!(built.status.success(), "{}", stderr(&built));
    site
}

#[test]
fn capability_counts_by_year_leave_the_example_out() {
    let site = site_with_an_example_plan();
    let html = page(&site, "capabilities/index.html");
    let table = select(&html, "table")
        .into_iter()
        .find(|t| text(&select_in(t, "caption")[0]).starts_with("Number of footprints"))
        .expect("the by-year table");
    let years: Vec<String> = select_in(&table, "thead th").iter().map(text).collect();
    let row = select_in(&table, "tbody tr")
        .into_iter()
        .find(|r| text(&select_in(r, "th")[0]) == "A")
        .unwrap();
    let counts: Vec<String> = select_in(&row, "td").iter().map(text).collect();
    let by_year: BTreeMap<&str, &str> = years[1..]
        .iter()
        .map(String::as_str)
        .zip(counts.iter().map(String::as_str))
        .collect();
    assert_eq!(
        by_year["2017"], "0",
        "the example's 2017 plan is not counted"
    );
    assert_eq!(by_year["2018"], "1", "Alpha's 2018 plan is");
    let all = visible_text(&html);
    assert!(
        all.contains("1 footprint records capability plans"),
        "{all}"
    );
    // The example's row is shown, marked.
    let rows = select(&html, ".capability-matrix tbody tr");
    let marked: Vec<_> = rows
        .iter()
        .filter(|r| !select_in(r, ".tag--example").is_empty())
        .collect();
    assert_eq!(marked.len(), 1);
}

#[test]
fn a_real_footprint_page_leads_with_its_members_and_says_once_what_is_not_recorded() {
    let site = built_default_site();
    let html = page(site, "footprints/west-yorkshire/index.html");
    let main = select(&html, "main").remove(0);
    let all = text(&main);
    assert!(!all.contains("Not recorded"), "{all}");
    let notes: Vec<_> = select_in(&main, ".footprint-unrecorded");
    assert_eq!(notes.len(), 1);
    let note = text(&notes[0]);
    for missing in ["lead CCG", "governance", "capability plans"] {
        assert!(note.contains(missing), "{note}");
    }
    let headings: Vec<String> = select_in(&main, "h2").iter().map(text).collect();
    assert_eq!(headings[0], "Members", "{headings:?}");
    // Who is in it, its region and its STP come before the first heading.
    let lede = text(&select_in(&main, ".lede")[0]);
    assert!(lede.contains("in the North of England"), "{lede}");
    assert!(
        lede.contains("clinical commissioning groups (CCGs)"),
        "{lede}"
    );
    assert!(all.find("West Yorkshire E54000005").unwrap() < all.find("Members").unwrap());
    let map = select_in(&main, "svg.footprint-map--locator");
    assert_eq!(
        map[0].value().attr("aria-label"),
        Some("Map of England with West Yorkshire highlighted")
    );
}

#[test]
fn the_capabilities_page_shows_recorded_plans_and_folds_the_rest() {
    let site = built_default_site();
    let html = page(site, "capabilities/index.html");
    let main = select(&html, "main").remove(0);
    let data = json(site, "data/footprints.json");
    let footprints = data["footprints"].as_array().unwrap().len();
    // Only the example records plans in the default content: one row, marked.
    let rows = select_in(&main, ".capability-matrix tbody tr");
    assert_eq!(rows.len(), 1);
    assert_eq!(select_in(&rows[0], ".tag--example").len(), 1);
    let folded: Vec<String> = select_in(&main, "details.capability-unrecorded summary")
        .iter()
        .map(text)
        .collect();
    assert_eq!(folded.len(), 4, "one line per region: {folded:?}");
    assert!(
        folded.contains(&"9 footprints in the North of England record no capability plans".into()),
        "{folded:?}"
    );
    let summed: usize = folded.iter().map(|f| leading_number(f)).sum();
    assert_eq!(summed, footprints - 1);
    // Tab stops in proportion: the folded footprints are reached through their line.
    let outside_details = select_in(&main, "a[href], [tabindex='0'], summary")
        .into_iter()
        .filter(|e| {
            e.value().name() == "summary"
                || !e.ancestors().any(|a| {
                    a.value()
                        .as_element()
                        .is_some_and(|a| a.name() == "details")
                })
        })
        .count();
    assert!(outside_details < 30, "{outside_details} tab stops");
    // No ten grey maps when no footprint on the map has a plan.
    assert!(select_in(&main, ".map-grid").is_empty());
}

/// The minimal site cut down to exactly one of each thing: one footprint (one CCG, one NHS
/// trust, one council), one story with one tag, one event, one page, one region.
fn site_with_one_of_each() -> Scratch {
    let site = Scratch::minimal();
    let content = site.content();
    fs::remove_dir_all(content.join("footprints/beta")).unwrap();
    fs::remove_file(content.join("events/later.md")).unwrap();
    fs::write(
        content.join("organisations.csv"),
        "code,name,kind,region\n02W,NHS Bradford City CCG,ccg,North of England\n\
         RXF,MID YORKSHIRE HOSPITALS NHS TRUST,trust,North of England\n\
         E08000032,Bradford,local-authority,North of England\n",
    )
    .unwrap();
    let toml = content.join("footprints/alpha/footprint.toml");
    let alpha = fs::read_to_string(&toml)
        .unwrap()
        .replace("partners = [\"02N\"]\n", "");
    fs::write(&toml, alpha).unwrap();
    fs::write(
        content.join("footprints/alpha/roadmap.md"),
        "## Vision\n\nOne footprint.\n",
    )
    .unwrap();
    // The fixture's story and event are examples, which the summary counts apart: here
    // they are real, so that each is counted as one.
    for file in ["stories/shared.md", "events/national-day.md"] {
        let path = content.join(file);
        let text = fs::read_to_string(&path).unwrap();
        fs::write(&path, text.replace("example = true\n", "")).unwrap();
    }
    for file in ["site.toml", "events/national-day.md"] {
        let path = content.join(file);
        let text = fs::read_to_string(&path)
            .unwrap()
            .replace(
                "regions = [\"North of England\", \"London\"]",
                "regions = [\"North of England\"]",
            )
            .replace("region = \"London\"", "region = \"North of England\"");
        fs::write(&path, text).unwrap();
    }
    site
}

#[test]
fn one_of_each_thing_reads_in_the_singular_on_every_page_and_in_the_terminal() {
    let site = site_with_one_of_each();
    let built = site.build();
    let log = stderr(&built);
    assert!(built.status.success(), "{log}");
    assert!(
        log.contains("Built 1 footprint, 3 organisations, 1 story, 1 event, 1 page"),
        "{log}"
    );
    let pages = html_pages(&site.output());
    assert!(pages.len() > 15, "{}", pages.len());
    let mut seen_singular = 0;
    for (address, html) in &pages {
        let text = visible_text(html);
        if let Some(wrong) = plural_after_one(&text) {
            panic!("{address} says `{wrong}`");
        }
        seen_singular += text.matches("1 footprint").count();
    }
    assert!(seen_singular > 3, "the pages count the footprint");
}

/// The first "1 <plural>" in `text`: a "1" on its own, then (after an optional "NHS") a
/// lower-case word ending in "s" ("1 footprints", "1 NHS trusts", "1 stories").
fn plural_after_one(text: &str) -> Option<String> {
    let words: Vec<&str> = text.split(' ').collect();
    for (i, word) in words.iter().enumerate() {
        if *word != "1" || (i > 0 && words[i - 1].ends_with(|c: char| c.is_ascii_digit())) {
            continue;
        }
        let mut next = words.get(i + 1..).unwrap_or_default().iter();
        let mut noun = next.next().copied().unwrap_or_default();
        if noun == "NHS" {
            noun = next.next().copied().unwrap_or_default();
        }
        let noun = noun.trim_end_matches([',', '.', ')', ';', ':']);
        if noun.ends_with('s') && noun.chars().all(|c| c.is_ascii_lowercase()) {
            return Some(words[i..(i + 3).min(words.len())].join(" "));
        }
    }
    None
}

#[derive(serde::Deserialize)]
struct Term {
    one: String,
    other: String,
}

/// The glossary the templates spell acronyms out from.
fn glossary() -> BTreeMap<String, Term> {
    toml::from_str(&fs::read_to_string(repo().join("src/render/glossary.toml")).unwrap()).unwrap()
}

/// Every organisation's name in the registers: "NHS Bradford City CCG" is a name, not a use
/// of the acronym.
fn organisation_names() -> Vec<String> {
    let mut names = Vec::new();
    for file in ["organisations.csv", "example-organisations.csv"] {
        let mut reader = csv::Reader::from_path(repo().join("content").join(file)).unwrap();
        for row in reader.records() {
            names.push(row.unwrap()[1].to_string());
        }
    }
    // Longest first, so that a name inside another goes with it.
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    names
}

#[test]
fn every_acronym_is_spelled_out_where_a_page_first_uses_it() {
    let site = built_default_site();
    let glossary = glossary();
    let names = organisation_names();
    let pages = html_pages(&site.output());
    let mut problems = Vec::new();
    for (address, html) in &pages {
        let mut text = visible_text(html);
        for name in &names {
            if text.contains(name.as_str()) {
                text = text.replace(name.as_str(), " ");
            }
        }
        for (acronym, term) in &glossary {
            let Some(at) = first_word(&text, acronym) else {
                continue;
            };
            let before = text[..at].trim_end().to_lowercase();
            let spelled = [&term.one, &term.other]
                .iter()
                .any(|words| before.ends_with(&format!("{} (", words.to_lowercase())));
            if !spelled {
                let from = text[..at]
                    .char_indices()
                    .rev()
                    .nth(50)
                    .map_or(0, |(i, _)| i);
                problems.push(format!(
                    "{address}: {acronym} in `{}`",
                    &text[from..at + 10.min(text.len() - at)]
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Where `acronym`, or its plural, first stands as a word of its own in `text`.
fn first_word(text: &str, acronym: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    text.match_indices(acronym).map(|(i, _)| i).find(|&i| {
        let before = i.checked_sub(1).map(|j| bytes[j]);
        let mut end = i + acronym.len();
        if bytes.get(end) == Some(&b's') {
            end += 1;
        }
        let after = bytes.get(end).copied();
        before.is_none_or(|b| !b.is_ascii_alphanumeric())
            && after.is_none_or(|b| !b.is_ascii_alphanumeric())
    })
}

#[test]
fn regions_and_types_read_as_nhs_uk_writes_them() {
    let site = built_default_site();
    for (address, html) in html_pages(&site.output()) {
        let seen = visible_text(&html);
        for region in [
            "North of England",
            "South of England",
            "Midlands and East of England",
        ] {
            assert!(
                !seen.contains(&format!("in {region}")),
                "{address} says `in {region}`"
            );
        }
        for key in select(&html, "dt") {
            assert_ne!(text(&key), "Kind", "{address}");
        }
    }
}

#[test]
fn a_placeholder_address_is_a_warning_and_the_statements_leave_it_out() {
    let site = Scratch::copy_of(&repo().join("content"));
    let built = site.ldr(&["build", "--now", "2026-11-22"]);
    let log = stderr(&built);
    assert!(built.status.success(), "{log}");
    assert!(
        log.contains(
            "warning: `base_url` is still the placeholder address `https://ldr.example.org`"
        ),
        "{log}"
    );
    assert!(log.contains("--> content/site.toml:3:12"), "{log}");
    assert!(log.contains("set `base_url` in site.toml"), "{log}");
    for path in ["accessibility/index.html", "privacy/index.html"] {
        let text = visible_text(&page(&site, path));
        assert!(!text.contains("example.org"), "{path}: {text}");
        assert!(
            text.contains("applies to the Local Digital Roadmaps website"),
            "{path}"
        );
    }

    let set = site.ldr(&[
        "build",
        "--now",
        "2026-11-22",
        "--base-url",
        "https://roadmaps.test/ldr",
    ]);
    let log = stderr(&set);
    assert!(set.status.success(), "{log}");
    assert!(!log.contains("placeholder"), "{log}");
    for path in ["accessibility/index.html", "privacy/index.html"] {
        let text = visible_text(&page(&site, path));
        assert!(
            text.contains("applies to https://roadmaps.test/ldr/, the"),
            "{path}: {text}"
        );
    }
}

#[test]
fn an_editors_bare_acronyms_are_spelled_out_where_their_page_first_uses_them() {
    let site = Scratch::minimal();
    fs::write(
        site.content().join("pages/about.md"),
        "+++\ntitle = \"About\"\nmenu_order = 1\n+++\n\nCCGs chose their footprints. Each CCG \
         was in an STP, and its IDCR plans were in its roadmap.\n\nThe code `ODS` is kept.\n",
    )
    .unwrap();
    let built = site.build();
    assert!(built.status.success(), "{}", stderr(&built));
    let text = visible_text(&page(&site, "about/index.html"));
    assert!(
        text.contains(
            "Clinical commissioning groups (CCGs) chose their footprints. Each CCG was in a \
             Sustainability and Transformation Plan (STP), and its Integrated Digital Care \
             Record (IDCR) plans"
        ),
        "{text}"
    );
    let html = site.read("about/index.html");
    assert!(
        html.contains("<code>ODS</code>"),
        "code is shown as written"
    );
}
