//! What templates see: plain serialisable views of the model, with URLs and dates ready.

use serde::Serialize;

use super::dates::{format_date, format_event_span, format_month};
use crate::model::routes::{event_url, footprint_url, organisation_url, story_url};
use crate::model::{Event, Footprint, OdsCode, Organisation, OrganisationKind, Role, Site, Story};

/// A link to an organisation, as lists show it.
#[derive(Serialize)]
pub struct OrganisationLink {
    pub code: String,
    pub name: String,
    pub kind: OrganisationKind,
    /// "NHS trust", or "Local authority: county council" where the GSS code says which.
    pub kind_label: String,
    /// A council's kind from its GSS code ("county council"), which lists show after the name.
    pub council_kind: Option<&'static str>,
    pub region: Option<String>,
    pub url: String,
    /// An illustrative example, not a real organisation.
    pub example: bool,
}

impl OrganisationLink {
    pub fn new(organisation: &Organisation) -> Self {
        OrganisationLink {
            code: organisation.code.to_string(),
            name: organisation.name.clone(),
            kind: organisation.kind,
            kind_label: organisation.kind_label(),
            council_kind: organisation.council_kind().map(|k| k.label()),
            region: organisation.region.clone(),
            url: organisation_url(organisation.code.as_str()),
            example: organisation.example,
        }
    }
}

#[derive(Serialize)]
pub struct FootprintLink {
    pub slug: String,
    pub name: String,
    pub url: String,
    pub region: String,
    pub ccgs: usize,
    pub providers: usize,
    pub councils: usize,
    /// An illustrative footprint, not a real one.
    pub example: bool,
}

/// A footprint by its name alone, where a list shows nothing else of it.
#[derive(Serialize)]
pub struct FootprintName {
    pub name: String,
    pub url: String,
}

pub fn footprint_name(footprint: &Footprint) -> FootprintName {
    FootprintName {
        name: footprint.name.clone(),
        url: footprint_url(&footprint.slug),
    }
}

/// How many of a footprint's organisations are of `kind`.
pub fn members_of_kind(site: &Site, footprint: &Footprint, kind: OrganisationKind) -> usize {
    footprint
        .organisations()
        .filter(|(code, _)| site.registry.get(code).kind == kind)
        .count()
}

pub fn footprint_link(site: &Site, footprint: &Footprint) -> FootprintLink {
    // One pass over the members: links to footprints are on every organisation's page.
    let (mut ccgs, mut providers, mut councils) = (0, 0, 0);
    for (code, _) in footprint.organisations() {
        match site.registry.get(code).kind {
            OrganisationKind::Ccg => ccgs += 1,
            OrganisationKind::Trust => providers += 1,
            OrganisationKind::LocalAuthority => councils += 1,
            OrganisationKind::Other => {}
        }
    }
    FootprintLink {
        slug: footprint.slug.clone(),
        name: footprint.name.clone(),
        url: footprint_url(&footprint.slug),
        region: footprint.region.clone(),
        ccgs,
        providers,
        councils,
        example: footprint.example,
    }
}

/// A group of a footprint's members of one kind, in the order the page shows them.
#[derive(Serialize)]
pub struct MemberGroup {
    pub heading: &'static str,
    pub kind: OrganisationKind,
    pub organisations: Vec<OrganisationLink>,
}

pub fn member_groups(site: &Site, footprint: &Footprint) -> Vec<MemberGroup> {
    let groups = [
        (OrganisationKind::Trust, "NHS trusts"),
        (OrganisationKind::LocalAuthority, "Local authorities"),
        (OrganisationKind::Ccg, "Other CCGs"),
        (OrganisationKind::Other, "Other organisations"),
    ];
    groups
        .into_iter()
        .map(|(kind, heading)| MemberGroup {
            heading,
            kind,
            organisations: footprint
                .members
                .iter()
                .map(|code| site.registry.get(code))
                .filter(|o| o.kind == kind)
                .map(OrganisationLink::new)
                .collect(),
        })
        .filter(|group| !group.organisations.is_empty())
        .map(|mut group| {
            in_name_order(&mut group.organisations);
            group
        })
        .collect()
}

/// Members as a reader looks for them: by name, as the A to Z files them ("NHS Leeds West
/// CCG" under L), not in the order of their codes in `footprint.toml`.
pub(crate) fn in_name_order(links: &mut [OrganisationLink]) {
    links.sort_by_cached_key(|link| super::listings::sort_key(&link.name));
}

/// One line of a summary list; `None` shows as "Not recorded".
#[derive(Serialize)]
pub struct Fact {
    pub label: &'static str,
    pub value: Option<String>,
}

pub fn governance_facts(footprint: &Footprint) -> Vec<Fact> {
    let g = &footprint.governance;
    vec![
        Fact {
            label: "Senior responsible owner",
            value: g.senior_responsible_owner.clone(),
        },
        Fact {
            label: "Chief clinical information officer",
            value: g.ccio.clone(),
        },
        Fact {
            label: "Clinical lead",
            value: g.clinical_lead.clone(),
        },
        Fact {
            label: "Programme board",
            value: g.programme_board.clone(),
        },
        Fact {
            label: "Contact",
            value: g.contact.clone(),
        },
    ]
}

/// A story's topic, and the slug of its page under `/stories/tags/`.
#[derive(Serialize)]
pub struct TagLink {
    pub name: String,
    pub slug: String,
}

#[derive(Serialize)]
pub struct StoryView {
    pub slug: String,
    pub title: String,
    pub url: String,
    pub date: String,
    pub date_iso: String,
    pub summary: Option<String>,
    pub tags: Vec<TagLink>,
    pub example: bool,
    pub footprints: Vec<FootprintLink>,
    pub organisations: Vec<OrganisationLink>,
}

pub fn story_view(site: &Site, story: &Story) -> StoryView {
    StoryView {
        tags: story
            .tags
            .iter()
            .map(|name| TagLink {
                name: name.clone(),
                slug: crate::model::slugify(name),
            })
            .collect(),
        ..story_card(site, story)
    }
}

/// [`story_view`] without the story's tags, for the page of one of them: with its tags,
/// a story of 10,000 tags cost 10,000 slugs on each of its 10,000 tag pages.
pub fn story_card(site: &Site, story: &Story) -> StoryView {
    StoryView {
        slug: story.slug.clone(),
        title: story.title.clone(),
        url: story_url(&story.slug),
        date: format_date(story.date),
        date_iso: story.date.to_string(),
        summary: story.summary.clone(),
        tags: Vec::new(),
        example: story.example,
        footprints: story
            .footprints
            .iter()
            .filter_map(|slug| site.footprint_by_slug(slug))
            .map(|f| footprint_link(site, f))
            .collect(),
        organisations: story
            .organisations
            .iter()
            .map(|c| OrganisationLink::new(site.registry.get(c)))
            .collect(),
    }
}

#[derive(Serialize)]
pub struct EventView {
    pub slug: String,
    pub title: String,
    pub url: String,
    pub when: String,
    pub month: String,
    pub start_iso: String,
    pub kind: crate::model::EventKind,
    pub region: Option<String>,
    pub location: Option<String>,
    pub register: Option<String>,
    pub summary: Option<String>,
    pub example: bool,
    pub upcoming: bool,
}

pub fn event_view(site: &Site, event: &Event) -> EventView {
    EventView {
        slug: event.slug.clone(),
        title: event.title.clone(),
        url: event_url(&event.slug),
        when: format_event_span(event.start, event.end),
        month: format_month(event.start.date()),
        start_iso: match event.start {
            crate::model::EventTime::Day(d) => d.to_string(),
            crate::model::EventTime::At(t) => t.format("%Y-%m-%dT%H:%M").to_string(),
        },
        kind: event.kind,
        region: event.region.clone(),
        location: event.location.clone(),
        register: event.register.clone(),
        summary: event.summary.clone(),
        example: event.example,
        upcoming: event.is_upcoming(site.config.now),
    }
}

/// A footprint an organisation belongs to, and the part it plays there.
#[derive(Serialize)]
pub struct Membership {
    pub footprint: FootprintLink,
    pub role: Role,
    pub role_label: &'static str,
}

pub fn memberships(site: &Site, code: &OdsCode) -> Vec<Membership> {
    site.footprints_of_organisation(code)
        .map(|footprint| {
            let role = footprint
                .organisations()
                .find(|(c, _)| *c == code)
                .map_or(Role::Member, |(_, role)| role);
            Membership {
                footprint: footprint_link(site, footprint),
                role,
                role_label: match role {
                    Role::LeadCcg => "Lead CCG",
                    Role::PartnerCcg => "Partner CCG",
                    Role::Member => "Member",
                },
            }
        })
        .collect()
}

/// "Page last reviewed" and "Next review due", as the page furniture shows them.
#[derive(Serialize)]
pub struct ReviewView {
    pub reviewed: Option<String>,
    pub due: Option<String>,
}

pub fn review_view(review: crate::model::Review) -> ReviewView {
    ReviewView {
        reviewed: review.reviewed.map(format_date),
        due: review.due.map(format_date),
    }
}
