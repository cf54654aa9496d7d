//! What each content file may contain, as serde sees it. Unknown keys are refused.
//!
//! Values that later stages must point back to (codes, slugs, dates) stay `Spanned`, so
//! a wrong one is reported at its line and column.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Deserialize;
use toml::Spanned;
use toml::value::Datetime;

/// How the JSON Schemas (`ldr schema`) describe a TOML date: editors check the shape as
/// you type; the loader checks that the day exists.
pub struct TomlDate;

impl JsonSchema for TomlDate {
    fn schema_name() -> Cow<'static, str> {
        "TomlDate".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": "A TOML date, 2017-01-31, or (for events) a local UK date-time, 2015-10-14T10:00:00",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?)?$"
        })
    }
}

/// `content/site.toml`: the settings of the whole site.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteFile {
    /// The site's name, in the header and every page's title.
    pub title: String,
    /// One sentence about the site, for search engines and shared links.
    pub description: Option<String>,
    /// The address the site is published at (`https://host` or `https://host/path/`);
    /// `--base-url` overrides it.
    #[schemars(with = "String")]
    pub base_url: Spanned<String>,
    /// The language of the pages, as an HTML `lang` code.
    #[serde(default = "default_language")]
    #[schemars(with = "String")]
    pub language: Spanned<String>,
    /// The address the site's team reads.
    #[schemars(with = "Option<String>")]
    pub contact_email: Option<Spanned<String>>,
    /// The organisation that publishes the site, named by the accessibility statement, the
    /// privacy notice and the open data; left out, those pages say it is not recorded.
    pub publisher: Option<String>,
    /// Facts of the accessibility statement that only the publisher knows.
    pub accessibility: Option<AccessibilityTable>,
    /// The NHS England regions, in the order the site lists them.
    #[schemars(with = "Vec<String>")]
    pub regions: Vec<Spanned<String>>,
    /// Lines of attribution for the data, shown in every page's footer.
    #[serde(default)]
    pub attribution: Vec<String>,
    /// Fixes "today" for reproducible builds; `--now` overrides it.
    #[schemars(with = "Option<TomlDate>")]
    pub now: Option<Spanned<Datetime>>,
    /// The theme folder under `themes/`.
    #[serde(default = "default_theme")]
    pub theme: String,
    /// The property of each `boundaries.geojson` feature that holds its footprint's code
    /// (matched against a footprint's `stp`, then its `code`).
    #[serde(default = "default_boundary_code")]
    pub boundary_code: String,
    /// Dated steps of the programme, shown on the home page.
    #[serde(default)]
    pub timeline: Vec<TimelineEntry>,
}

/// `[accessibility]` in `site.toml`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AccessibilityTable {
    /// When the site was last tested for accessibility.
    #[schemars(with = "Option<TomlDate>")]
    pub tested: Option<Spanned<Datetime>>,
    /// When the statement was prepared (or last reviewed).
    #[schemars(with = "Option<TomlDate>")]
    pub prepared: Option<Spanned<Datetime>>,
}

/// One dated step of the programme.
#[derive(Debug, Clone, Deserialize, serde::Serialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TimelineEntry {
    /// As precise as the record is: "September 2015", "30 October 2015".
    pub when: String,
    /// What happened.
    pub text: String,
}

fn default_language() -> Spanned<String> {
    Spanned::new(0..0, "en-GB".to_string())
}

fn default_boundary_code() -> String {
    "code".to_string()
}

fn default_theme() -> String {
    "default".to_string()
}

/// `content/capabilities.toml`: the universal capabilities every roadmap plans, defined
/// once here rather than in templates.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CapabilitiesFile {
    /// The universal capabilities, A to J, in the order pages list them.
    pub capabilities: Vec<CapabilityDefinition>,
}

/// One universal capability.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CapabilityDefinition {
    /// Its letter, A to J, as footprints' `[[capabilities]]` name it.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// What it is, as NHS England named it.
    pub title: String,
}

/// `content/footprints/<slug>/footprint.toml`: one footprint's structured data.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FootprintFile {
    /// The footprint's name, as the roadmap gives it.
    pub name: String,
    /// The footprint's id; for STP-aligned footprints, the STP code (E54000005).
    #[schemars(with = "String")]
    pub code: Spanned<String>,
    /// Its NHS England region, one of site.toml's `regions`.
    #[schemars(with = "String")]
    pub region: Spanned<String>,
    /// The code of the Sustainability and Transformation Plan it aligns with.
    pub stp: Option<String>,
    /// The STP's name, shown with its code.
    pub stp_name: Option<String>,
    /// ODS code of the lead CCG; leave out where it is not recorded.
    #[schemars(with = "Option<String>")]
    pub lead: Option<Spanned<String>>,
    /// ODS codes of the other CCGs (all of them where no lead is recorded).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub partners: Vec<Spanned<String>>,
    /// Providers, councils and others, by ODS or GSS code.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub members: Vec<Spanned<String>>,
    /// Slugs of the June 2016 footprints it absorbed; their addresses redirect here.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub merged_from: Vec<Spanned<String>>,
    /// Who runs the programme; the page says "Not recorded" for any key left out.
    pub governance: Option<GovernanceTable>,
    /// When and where the roadmap was published.
    pub published: Option<PublishedTable>,
    /// Its plan for each universal capability.
    #[serde(default)]
    pub capabilities: Vec<CapabilityTable>,
    /// Other dated deliverables.
    #[serde(default)]
    pub milestones: Vec<MilestoneTable>,
    /// Illustrative, not a real footprint: its page says so.
    #[serde(default)]
    pub example: bool,
    /// "Page last reviewed" (NHS.UK's page furniture).
    #[schemars(with = "Option<TomlDate>")]
    pub reviewed: Option<Spanned<Datetime>>,
    /// "Next review due": after `reviewed`.
    #[schemars(with = "Option<TomlDate>")]
    pub review_due: Option<Spanned<Datetime>>,
}

/// The footprint's governance, as its roadmap records it.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GovernanceTable {
    /// The senior responsible owner.
    pub senior_responsible_owner: Option<String>,
    /// The chief clinical information officer.
    pub ccio: Option<String>,
    /// The clinical lead.
    pub clinical_lead: Option<String>,
    /// The board that oversees the roadmap.
    pub programme_board: Option<String>,
    /// How to contact the footprint's team.
    pub contact: Option<String>,
}

/// The published roadmap.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishedTable {
    /// When it was published.
    #[schemars(with = "Option<TomlDate>")]
    pub date: Option<Spanned<Datetime>>,
    /// Where it is published.
    #[schemars(with = "Option<String>")]
    pub url: Option<Spanned<String>>,
}

/// A footprint's plan for one universal capability.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CapabilityTable {
    /// The capability's letter, as capabilities.toml defines it.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// Where the footprint stands.
    pub status: CapabilityStatus,
    /// When it is to be live.
    #[schemars(with = "Option<TomlDate>")]
    pub target: Option<Spanned<Datetime>>,
}

/// Where a footprint stands on one universal capability.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum CapabilityStatus {
    NotStarted,
    Planned,
    InProgress,
    Live,
}

/// A dated deliverable of the footprint's own.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MilestoneTable {
    /// What is delivered.
    pub title: String,
    /// When.
    #[schemars(with = "TomlDate")]
    pub date: Spanned<Datetime>,
}

/// Front matter of `content/stories/<slug>.md`: an IDCR success story.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StoryFront {
    /// The story's headline.
    pub title: String,
    /// When it was told.
    #[schemars(with = "TomlDate")]
    pub date: Spanned<Datetime>,
    /// One or two sentences for lists and search results.
    pub summary: Option<String>,
    /// The footprints it is about, by slug (their folder names).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub footprints: Vec<Spanned<String>>,
    /// The organisations it is about, by ODS or GSS code.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub organisations: Vec<Spanned<String>>,
    /// Topics; each has a page listing its stories.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub tags: Vec<Spanned<String>>,
    /// Illustrative, not a real story: its page says so.
    #[serde(default)]
    pub example: bool,
    /// "Page last reviewed" (NHS.UK's page furniture).
    #[schemars(with = "Option<TomlDate>")]
    pub reviewed: Option<Spanned<Datetime>>,
    /// "Next review due": after `reviewed`.
    #[schemars(with = "Option<TomlDate>")]
    pub review_due: Option<Spanned<Datetime>>,
}

/// Front matter of `content/events/<slug>.md`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventFront {
    /// The event's name.
    pub title: String,
    /// When it starts: a date, or a local UK date-time.
    #[schemars(with = "TomlDate")]
    pub start: Spanned<Datetime>,
    /// When it ends, the same or later.
    #[schemars(with = "Option<TomlDate>")]
    pub end: Option<Spanned<Datetime>>,
    /// National, regional or virtual.
    pub kind: EventKind,
    /// The NHS England region it is for, one of site.toml's `regions`.
    #[schemars(with = "Option<String>")]
    pub region: Option<Spanned<String>>,
    /// Where it is held.
    pub location: Option<String>,
    /// Where to register: a link or a mailto.
    #[schemars(with = "Option<String>")]
    pub register: Option<Spanned<String>>,
    /// Who runs the event, as its structured data names it.
    pub organiser: Option<String>,
    /// One or two sentences for lists and calendars.
    pub summary: Option<String>,
    /// Illustrative, not a real event: its page says so.
    #[serde(default)]
    pub example: bool,
    /// "Page last reviewed" (NHS.UK's page furniture).
    #[schemars(with = "Option<TomlDate>")]
    pub reviewed: Option<Spanned<Datetime>>,
    /// "Next review due": after `reviewed`.
    #[schemars(with = "Option<TomlDate>")]
    pub review_due: Option<Spanned<Datetime>>,
}

/// The three kinds of event the programme ran.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Deserialize,
    serde::Serialize,
    JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum EventKind {
    National,
    Regional,
    Virtual,
}

/// Front matter of `content/pages/<slug>.md`: about, guidance, contact, ...
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PageFront {
    /// The page's title.
    pub title: String,
    /// One sentence about the page, for search engines and shared links.
    pub description: Option<String>,
    /// Pages with an order appear in the main navigation, lowest first.
    pub menu_order: Option<u32>,
    /// "Page last reviewed" (NHS.UK's page furniture).
    #[schemars(with = "Option<TomlDate>")]
    pub reviewed: Option<Spanned<Datetime>>,
    /// "Next review due": after `reviewed`.
    #[schemars(with = "Option<TomlDate>")]
    pub review_due: Option<Spanned<Datetime>>,
}
