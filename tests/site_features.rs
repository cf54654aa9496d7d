//! Features of the built site, on the small fixture site whose every fact is known.

mod common;

use common::{Scratch, stderr};

fn built(args: &[&str]) -> Scratch {
    let site = Scratch::minimal();
    let mut all = vec!["build"];
    all.extend_from_slice(args);
    let output = site.ldr(&all);
    assert!(output.status.success(), "{}", stderr(&output));
    site
}

#[test]
fn build_prints_what_it_made_and_how_long_it_took() {
    let site = Scratch::minimal();
    let output = site.build();
    let text = stderr(&output);
    assert!(
        text.contains("Built 2 footprints, 7 organisations, 0 stories, 0 events, 1 page and 3 examples into output"),
        "{text}"
    );
    assert!(text.contains(" ms"), "{text}");
}

#[test]
fn markup_in_a_title_shows_as_text() {
    let site = built(&[]);
    let story = site.read("stories/shared/index.html");
    assert!(
        story.contains("Shared records &lt;b&gt;work&lt;&#x2F;b&gt;")
            || story.contains("Shared records &lt;b&gt;work&lt;/b&gt;"),
        "{story}"
    );
    assert!(!story.contains("<b>work</b>"));
}

#[test]
fn lead_and_partner_ccgs_are_told_apart() {
    let page = built(&[]).read("footprints/alpha/index.html");
    assert!(page.contains("Lead CCG</span>"), "lead is tagged");
    assert!(page.contains("Partner CCG</span>"), "partner is tagged");
    assert!(
        page.contains("A. Person"),
        "governance shows what is recorded"
    );
    assert!(page.contains("Not recorded"), "and says what is not");
}

#[test]
fn events_split_into_upcoming_and_past_by_the_build_date() {
    let early = built(&["--now", "2016-01-01"]).read("events/index.html");
    let (upcoming, past) = early.split_once("Past events").unwrap();
    assert!(
        upcoming.contains("Later virtual session") && past.contains("National day"),
        "{early}"
    );

    let late = built(&["--now", "2017-01-01"]).read("events/index.html");
    let (upcoming, _) = late.split_once("Past events").unwrap();
    assert!(!upcoming.contains("Later virtual session"), "{late}");
}

#[test]
fn site_toml_now_fixes_the_build_date() {
    // The fixture's site.toml says now = 2016-06-01: the September event is upcoming.
    let page = built(&[]).read("events/later/index.html");
    assert!(page.contains("Upcoming"), "{page}");
    assert!(page.contains("1 September 2016"), "{page}");
}

#[test]
fn a_past_event_offers_no_registration() {
    // national-day (14 October 2015) has a registration link: before the day it is offered,
    // after it a person is told registration has closed rather than sent to a dead form.
    let register = "https://example.org/register";
    let before = built(&["--now", "2015-10-01"]).read("events/national-day/index.html");
    assert!(
        before.contains(&format!("<a href=\"{register}\">")),
        "{before}"
    );
    let after = built(&["--now", "2015-10-15"]).read("events/national-day/index.html");
    assert!(!after.contains(register), "{after}");
    assert!(
        after.contains("Closed: the event has taken place"),
        "{after}"
    );
}

#[test]
fn event_times_are_written_the_uk_way() {
    let page = built(&[]).read("events/national-day/index.html");
    assert!(page.contains("14 October 2015, 10am to 4pm"), "{page}");
}

#[test]
fn merged_footprint_url_redirects_and_is_not_in_the_sitemap() {
    let site = built(&[]);
    let redirect = site.read("footprints/old-alpha/index.html");
    assert!(redirect.contains(r#"url=/footprints/alpha/"#), "{redirect}");
    assert!(
        redirect
            .contains(r#"<link rel="canonical" href="https://roadmaps.test/footprints/alpha/">"#)
    );
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains("/footprints/alpha/"));
    assert!(!sitemap.contains("old-alpha"));
}

#[test]
fn links_between_content_files_become_site_urls() {
    let page = built(&[]).read("footprints/alpha/index.html");
    assert!(page.contains(r#"href="/about/""#), "{page}");
    assert!(page.contains(r#"href="/stories/shared/""#), "{page}");
    assert!(page.contains(r#"href="/footprints/beta/""#));
}

#[test]
fn base_url_with_a_path_prefixes_every_internal_link() {
    let site = built(&["--base-url", "https://host.example/ldr/"]);
    let page = site.read("footprints/alpha/index.html");
    assert!(page.contains(r#"href="/ldr/static/style.css?v="#));
    assert!(page.contains(r#"href="/ldr/about/""#), "markdown links too");
    assert!(page.contains(r#"href="/ldr/organisations/02W/""#));
    assert!(!page.contains(r#"href="/organisations/"#));
}

#[test]
fn organisation_in_no_footprint_says_so() {
    let page = built(&[]).read("organisations/X99/index.html");
    assert!(page.contains("not a member of any footprint"), "{page}");
    assert!(page.contains("Not recorded"), "no region in the data");
}

#[test]
fn site_templates_override_the_theme() {
    let site = Scratch::minimal();
    std::fs::create_dir_all(site.content().join("templates")).unwrap();
    std::fs::write(
        site.content().join("templates/404.html"),
        "{% extends \"base.html\" %}{% block content %}<h1>Lost in the roadmap</h1>{% endblock content %}",
    )
    .unwrap();
    assert!(site.build().status.success());
    assert!(site.read("404.html").contains("Lost in the roadmap"));
}

#[test]
fn footprint_attachments_and_static_files_are_copied() {
    let site = Scratch::minimal();
    std::fs::write(
        site.content().join("footprints/alpha/roadmap.pdf"),
        b"%PDF-1.4 test",
    )
    .unwrap();
    std::fs::create_dir_all(site.content().join("static")).unwrap();
    std::fs::write(site.content().join("static/logo.svg"), "<svg/>").unwrap();
    assert!(site.build().status.success());
    assert_eq!(
        std::fs::read(site.output().join("footprints/alpha/roadmap.pdf")).unwrap(),
        b"%PDF-1.4 test"
    );
    assert!(
        site.read("footprints/alpha/index.html")
            .contains(r#"href="/footprints/alpha/roadmap.pdf""#)
    );
    assert_eq!(site.read("logo.svg"), "<svg/>");
}

/// A hidden folder under content/static/ (a repository's `.git`, an editor's `.idea`) is
/// not published, as hidden files are not; `.well-known/` is, for `security.txt`.
#[test]
fn hidden_folders_in_static_are_not_published_but_well_known_is() {
    let site = Scratch::minimal();
    let files = [
        ".git/config",
        ".git/refs/heads/main",
        ".svn/entries",
        "docs/.idea/workspace.xml",
        ".well-known/security.txt",
        "docs/guide.txt",
    ];
    for file in files {
        let path = site.content().join("static").join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, file).unwrap();
    }
    let built = site.build();
    assert!(built.status.success(), "{}", stderr(&built));
    for file in files {
        let published = site.output().join(file).exists();
        let hidden = file
            .split('/')
            .any(|part| part.starts_with('.') && part != ".well-known");
        assert_eq!(published, !hidden, "{file} published: {published}");
    }
}

#[test]
fn a_stray_file_is_a_warning_not_an_error() {
    let site = Scratch::minimal();
    std::fs::write(site.content().join("stories/notes.txt"), "draft").unwrap();
    let output = site.build();
    let text = stderr(&output);
    assert!(output.status.success(), "{text}");
    assert!(
        text.contains("warning: ignored a file that is not Markdown"),
        "{text}"
    );
    assert!(text.contains("stories/notes.txt"), "{text}");
    assert!(text.contains("1 warning,"), "{text}");
}

/// The bytes of the tag pages of a site whose one story has `tags` tags, per tag page.
fn tag_page_bytes(tags: usize) -> (usize, usize) {
    let site = Scratch::minimal();
    let story = site.content().join("stories/shared.md");
    let text = std::fs::read_to_string(&story).unwrap();
    let list: Vec<String> = (0..tags).map(|i| format!("\"topic {i}\"")).collect();
    let text = text.replace(
        "tags = [\"shared care record\"]",
        &format!("tags = [{}]", list.join(", ")),
    );
    std::fs::write(&story, text).unwrap();
    let output = site.build();
    assert!(output.status.success(), "{}", stderr(&output));
    let pages: Vec<_> = std::fs::read_dir(site.output().join("stories/tags"))
        .unwrap()
        .map(|entry| std::fs::read(entry.unwrap().path().join("index.html")).unwrap())
        .collect();
    let bytes: usize = pages.iter().map(Vec::len).sum();
    (pages.len(), bytes / pages.len())
}

/// Each tag has a page, and a tag page's size does not grow with the site's other tags:
/// the tags of a site cost in proportion to stories times their tags.
#[test]
fn tag_pages_stay_the_same_size_however_many_tags_there_are() {
    let (few_pages, few) = tag_page_bytes(40);
    let (many_pages, many) = tag_page_bytes(400);
    assert_eq!((few_pages, many_pages), (40, 400));
    // Ten times the tags: a page that listed every tag (or every tag of its stories)
    // would be several times larger.
    assert!(many * 10 < few * 11, "{few} bytes a page, then {many}");
}

/// Raw HTML's internal addresses become the site's URLs, as Markdown links' do.
#[test]
fn raw_html_links_to_content_files_become_site_urls() {
    let site = Scratch::minimal();
    let story = site.content().join("stories/shared.md");
    let text = std::fs::read_to_string(&story).unwrap();
    std::fs::write(
        &story,
        format!("{text}\n<p><a href=\"../pages/about.md\">Raw about</a> <a href=\"/footprints/alpha\">Raw alpha</a></p>\n"),
    )
    .unwrap();
    let output = site.build();
    assert!(output.status.success(), "{}", stderr(&output));
    let page = site.read("stories/shared/index.html");
    assert!(page.contains(r#"<a href="/about/">About</a>"#), "{page}");
    assert!(
        page.contains(r#"<a href="/footprints/alpha/">Alpha</a>"#),
        "{page}"
    );
}
