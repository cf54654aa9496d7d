//! What each content file may contain, as serde sees it. Unknown keys are refused.
//!
//! Values that later stages must point back to (codes, slugs, dates) stay `Spanned`, so
//! a wrong one is reported at its line and column.

use serde::Deserialize;
use toml::Spanned;
use toml::value::Datetime;

/// `content/site.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteFile {
    pub title: String,
    pub description: Option<String>,
    pub base_url: String,
    #[serde(default = "default_language")]
    pub language: String,
    pub contact_email: Option<String>,
    /// The organisation that publishes the site, named by the accessibility statement, the
    /// privacy notice and the open data; left out, those pages say it is not recorded.
    pub publisher: Option<String>,
    /// Facts of the accessibility statement that only the publisher knows.
    pub accessibility: Option<AccessibilityTable>,
    /// The NHS England regions, in the order the site lists them.
    pub regions: Vec<Spanned<String>>,
    #[serde(default)]
    pub attribution: Vec<String>,
    /// Fixes "today" for reproducible builds; `--now` overrides it.
    pub now: Option<Spanned<Datetime>>,
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
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessibilityTable {
    /// When the site was last tested for accessibility.
    pub tested: Option<Spanned<Datetime>>,
    /// When the statement was prepared (or last reviewed).
    pub prepared: Option<Spanned<Datetime>>,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct TimelineEntry {
    /// As precise as the record is: "September 2015", "30 October 2015".
    pub when: String,
    pub text: String,
}

fn default_language() -> String {
    "en-GB".to_string()
}

fn default_boundary_code() -> String {
    "code".to_string()
}

fn default_theme() -> String {
    "default".to_string()
}

/// `content/capabilities.toml`: the universal capabilities every roadmap plans, defined
/// once here rather than in templates.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CapabilitiesFile {
    pub capabilities: Vec<CapabilityDefinition>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CapabilityDefinition {
    pub id: Spanned<String>,
    pub title: String,
}

/// `content/footprints/<slug>/footprint.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FootprintFile {
    pub name: String,
    pub code: Spanned<String>,
    pub region: Spanned<String>,
    pub stp: Option<String>,
    /// The STP's name, shown with its code.
    pub stp_name: Option<String>,
    pub lead: Option<Spanned<String>>,
    #[serde(default)]
    pub partners: Vec<Spanned<String>>,
    #[serde(default)]
    pub members: Vec<Spanned<String>>,
    #[serde(default)]
    pub merged_from: Vec<Spanned<String>>,
    pub governance: Option<GovernanceTable>,
    pub published: Option<PublishedTable>,
    #[serde(default)]
    pub capabilities: Vec<CapabilityTable>,
    #[serde(default)]
    pub milestones: Vec<MilestoneTable>,
    /// Illustrative, not a real footprint: its page says so.
    #[serde(default)]
    pub example: bool,
    /// "Page last reviewed" (NHS.UK's page furniture).
    pub reviewed: Option<Spanned<Datetime>>,
    /// "Next review due": after `reviewed`.
    pub review_due: Option<Spanned<Datetime>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GovernanceTable {
    pub senior_responsible_owner: Option<String>,
    pub ccio: Option<String>,
    pub clinical_lead: Option<String>,
    pub programme_board: Option<String>,
    pub contact: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishedTable {
    pub date: Option<Spanned<Datetime>>,
    pub url: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CapabilityTable {
    pub id: Spanned<String>,
    pub status: CapabilityStatus,
    pub target: Option<Spanned<Datetime>>,
}

/// Where a footprint stands on one universal capability.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CapabilityStatus {
    NotStarted,
    Planned,
    InProgress,
    Live,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MilestoneTable {
    pub title: String,
    pub date: Spanned<Datetime>,
}

/// Front matter of `content/stories/<slug>.md`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoryFront {
    pub title: String,
    pub date: Spanned<Datetime>,
    pub summary: Option<String>,
    #[serde(default)]
    pub footprints: Vec<Spanned<String>>,
    #[serde(default)]
    pub organisations: Vec<Spanned<String>>,
    #[serde(default)]
    pub tags: Vec<Spanned<String>>,
    #[serde(default)]
    pub example: bool,
    /// "Page last reviewed" (NHS.UK's page furniture).
    pub reviewed: Option<Spanned<Datetime>>,
    /// "Next review due": after `reviewed`.
    pub review_due: Option<Spanned<Datetime>>,
}

/// Front matter of `content/events/<slug>.md`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventFront {
    pub title: String,
    pub start: Spanned<Datetime>,
    pub end: Option<Spanned<Datetime>>,
    pub kind: EventKind,
    pub region: Option<Spanned<String>>,
    pub location: Option<String>,
    pub register: Option<String>,
    /// Who runs the event, as its structured data names it.
    pub organiser: Option<String>,
    pub summary: Option<String>,
    #[serde(default)]
    pub example: bool,
    /// "Page last reviewed" (NHS.UK's page furniture).
    pub reviewed: Option<Spanned<Datetime>>,
    /// "Next review due": after `reviewed`.
    pub review_due: Option<Spanned<Datetime>>,
}

/// The three kinds of event the programme ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EventKind {
    National,
    Regional,
    Virtual,
}

/// Front matter of `content/pages/<slug>.md`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageFront {
    pub title: String,
    pub description: Option<String>,
    /// Pages with an order appear in the main navigation, lowest first.
    pub menu_order: Option<u32>,
    /// "Page last reviewed" (NHS.UK's page furniture).
    pub reviewed: Option<Spanned<Datetime>>,
    /// "Next review due": after `reviewed`.
    pub review_due: Option<Spanned<Datetime>>,
}
