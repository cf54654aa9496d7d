//! Footprints: the lead CCG, partner CCGs and member organisations of one roadmap.

use std::collections::HashMap;
use std::path::PathBuf;

use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;
use toml::Spanned;

use super::{
    CapabilityStatus, MarkdownSource, OdsCode, Registry, dated, dates, region_help, resolve_code,
};
use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::load::FootprintSource;
use crate::load::schema::FootprintFile;
use crate::model::{Capability, OrganisationKind};

/// The part an organisation plays in a footprint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    LeadCcg,
    PartnerCcg,
    Member,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Governance {
    pub senior_responsible_owner: Option<String>,
    pub ccio: Option<String>,
    pub clinical_lead: Option<String>,
    pub programme_board: Option<String>,
    pub contact: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Published {
    pub date: Option<NaiveDate>,
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CapabilityPlan {
    /// The id of a capability defined in `capabilities.toml`.
    pub id: String,
    pub status: CapabilityStatus,
    pub target: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Milestone {
    pub title: String,
    pub date: NaiveDate,
}

/// One Local Digital Roadmap footprint, with every code resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Footprint {
    pub slug: String,
    pub name: String,
    pub code: String,
    pub region: String,
    pub stp: Option<String>,
    /// The STP's name, where the content gives it.
    pub stp_name: Option<String>,
    /// The lead CCG; `None` where no lead is recorded.
    pub lead: Option<OdsCode>,
    pub partners: Vec<OdsCode>,
    pub members: Vec<OdsCode>,
    pub merged_from: Vec<String>,
    pub governance: Governance,
    pub published: Option<Published>,
    pub capabilities: Vec<CapabilityPlan>,
    pub milestones: Vec<Milestone>,
    pub roadmap: Option<MarkdownSource>,
    /// Illustrative, not a real footprint.
    pub example: bool,
    pub folder: PathBuf,
    pub attachments: Vec<PathBuf>,
    /// `reviewed` and `review_due`, shown on the footprint's page.
    pub review: super::Review,
}

impl Footprint {
    /// The footprint's plan for one capability, if it records one.
    pub fn plan_for(&self, capability: &str) -> Option<&CapabilityPlan> {
        self.capabilities.iter().find(|p| p.id == capability)
    }

    pub fn status_of(&self, capability: &str) -> Option<CapabilityStatus> {
        self.plan_for(capability).map(|p| p.status)
    }

    /// Every organisation of the footprint with its role, lead first.
    pub fn organisations(&self) -> impl Iterator<Item = (&OdsCode, Role)> {
        self.lead
            .iter()
            .map(|c| (c, Role::LeadCcg))
            .chain(self.partners.iter().map(|c| (c, Role::PartnerCcg)))
            .chain(self.members.iter().map(|c| (c, Role::Member)))
    }
}

pub fn resolve_footprints(
    sources: Vec<FootprintSource>,
    registry: &Registry,
    regions: &[String],
    capabilities: &[Capability],
    problems: &mut Diagnostics,
) -> Vec<Footprint> {
    // First, in order, what depends on the footprints before: a slug or code used twice.
    // Each footprint's own checks then run in parallel, and every problem is still
    // reported in the footprints' order.
    let mut first_code: HashMap<String, Location> = HashMap::new();
    // Looked up, not scanned: a scan per footprint made this stage grow with N².
    let mut folder_of_slug: HashMap<String, PathBuf> = HashMap::new();
    let mut checked: Vec<(Option<FootprintSource>, Diagnostics)> =
        Vec::with_capacity(sources.len());
    for source in sources {
        let mut found = Diagnostics::new();
        let kept = unique_footprint(source, &mut first_code, &mut folder_of_slug, &mut found);
        checked.push((kept, found));
    }
    let resolved: Vec<(Option<Footprint>, Diagnostics)> = checked
        .into_par_iter()
        .map(|(source, mut found)| {
            let footprint = source.map(|source| {
                resolve_footprint(source, registry, regions, capabilities, &mut found)
            });
            (footprint, found)
        })
        .collect();
    let mut footprints = Vec::with_capacity(resolved.len());
    for (footprint, found) in resolved {
        problems.extend(found);
        footprints.extend(footprint);
    }
    check_merged_slugs(&footprints, problems);
    footprints
}

/// `source`, unless its slug cannot be an address or is another footprint's; a code used
/// before is reported, and the footprint kept.
fn unique_footprint(
    source: FootprintSource,
    first_code: &mut HashMap<String, Location>,
    folder_of_slug: &mut HashMap<String, PathBuf>,
    problems: &mut Diagnostics,
) -> Option<FootprintSource> {
    if let Some(problem) = super::slug_problem(&source.slug) {
        problems.push(
            Diagnostic::error("this footprint folder's name cannot be made into an address")
                .in_file(&source.folder)
                .help(format!("{problem}: rename the folder with letters, digits and hyphens, under {} characters", super::MAX_SLUG)),
        );
        return None;
    }
    if let Some(other) = folder_of_slug.get(&source.slug) {
        problems.push(
            Diagnostic::error(format!("two footprints have the slug `{}`", source.slug))
                .in_file(&source.folder)
                .help(format!(
                    "{} and {} make the same URL; rename one folder",
                    other.display(),
                    source.folder.display()
                )),
        );
        return None;
    }
    let code = &source.data.code;
    let at = source.file.locate(code.span());
    if let Some(first) = first_code.get(code.get_ref()) {
        problems.push(
            Diagnostic::error(format!("two footprints have the code `{}`", code.get_ref()))
                .at(at)
                .note("first used here", first.clone())
                .help("each footprint needs its own code"),
        );
    } else {
        first_code.insert(code.get_ref().clone(), at);
    }
    folder_of_slug.insert(source.slug.clone(), source.folder.clone());
    Some(source)
}

pub(super) fn resolve_footprint(
    source: FootprintSource,
    registry: &Registry,
    regions: &[String],
    capabilities: &[Capability],
    problems: &mut Diagnostics,
) -> Footprint {
    let FootprintSource {
        slug,
        folder,
        file,
        data,
        roadmap,
        attachments,
    } = source;
    let locate = |span| file.locate(span);
    if !regions.contains(data.region.get_ref()) {
        problems.push(
            Diagnostic::error(format!("unknown region `{}`", data.region.get_ref()))
                .at(locate(data.region.span()))
                .help(region_help(data.region.get_ref(), regions)),
        );
    }
    // Spans, located only for a message: a place is worth making only when it is shown.
    let mut seen: HashMap<String, std::ops::Range<usize>> = HashMap::new();
    let mut take = |typed: &Spanned<String>, must_be_ccg: bool, problems: &mut Diagnostics| {
        if let Some(first) = seen.get(typed.get_ref()) {
            problems.push(
                Diagnostic::error(format!(
                    "`{}` is listed twice in this footprint",
                    typed.get_ref()
                ))
                .at(locate(typed.span()))
                .label("listed again here")
                .note("first listed here", locate(first.clone()))
                .help("an organisation has one role in a footprint: remove one of the two"),
            );
            return None;
        }
        seen.insert(typed.get_ref().clone(), typed.span());
        let code = resolve_code(typed, registry, &locate, problems)?;
        if must_be_ccg && registry.get(&code).kind != OrganisationKind::Ccg {
            problems.push(
                Diagnostic::error(format!("`{code}` is not a CCG"))
                    .at(locate(typed.span()))
                    .label(registry.get(&code).kind.label())
                    .help("the lead and partners of a footprint are CCGs; list other organisations under `members`"),
            );
        }
        Some(code)
    };
    let lead = data.lead.as_ref().and_then(|c| take(c, true, problems));
    let partners = data
        .partners
        .iter()
        .filter_map(|c| take(c, true, problems))
        .collect();
    let members = data
        .members
        .iter()
        .filter_map(|c| take(c, false, problems))
        .collect();
    let (plans, milestones) = plans(&data, &file, capabilities, problems);
    let review = super::review_dates(
        data.reviewed.as_ref(),
        data.review_due.as_ref(),
        &file,
        0,
        problems,
    );
    let published = data.published.as_ref().map(|p| Published {
        date: p
            .date
            .as_ref()
            .and_then(|d| dated(d, &file, dates::calendar_date, problems)),
        url: p
            .url
            .as_ref()
            .and_then(|url| super::checked_link(url, &locate, problems)),
    });
    Footprint {
        slug,
        name: data.name,
        code: data.code.into_inner(),
        region: data.region.into_inner(),
        stp: data.stp,
        stp_name: data.stp_name,
        lead,
        partners,
        members,
        merged_from: data
            .merged_from
            .into_iter()
            .filter(|old| is_merged_slug(old, &locate, problems))
            .map(Spanned::into_inner)
            .collect(),
        governance: data
            .governance
            .map(|g| Governance {
                senior_responsible_owner: g.senior_responsible_owner,
                ccio: g.ccio,
                clinical_lead: g.clinical_lead,
                programme_board: g.programme_board,
                contact: g.contact,
            })
            .unwrap_or_default(),
        published,
        capabilities: plans,
        milestones,
        example: data.example,
        roadmap: roadmap.map(roadmap_source),
        folder,
        attachments,
        review,
    }
}

fn plans(
    data: &FootprintFile,
    file: &crate::load::SourceFile,
    defined: &[Capability],
    problems: &mut Diagnostics,
) -> (Vec<CapabilityPlan>, Vec<Milestone>) {
    let mut capabilities: Vec<CapabilityPlan> = Vec::new();
    for plan in &data.capabilities {
        let id = plan.id.get_ref().clone();
        if !defined.iter().any(|c| c.id == id) {
            let ids: Vec<&str> = defined.iter().map(|c| c.id.as_str()).collect();
            let help = if ids.is_empty() {
                "define the universal capabilities in content/capabilities.toml first".to_string()
            } else {
                format!(
                    "the capabilities defined in capabilities.toml are {}",
                    ids.join(", ")
                )
            };
            problems.push(
                Diagnostic::error(format!("unknown capability `{id}`"))
                    .at(file.locate(plan.id.span()))
                    .help(help),
            );
            continue;
        }
        if capabilities.iter().any(|c| c.id == id) {
            problems.push(
                Diagnostic::error(format!("capability `{id}` is planned twice"))
                    .at(file.locate(plan.id.span()))
                    .help("give each capability one [[capabilities]] table"),
            );
            continue;
        }
        capabilities.push(CapabilityPlan {
            id,
            status: plan.status,
            target: plan
                .target
                .as_ref()
                .and_then(|t| dated(t, file, dates::calendar_date, problems)),
        });
    }
    let milestones = data
        .milestones
        .iter()
        .filter_map(|m| {
            dated(&m.date, file, dates::calendar_date, problems).map(|date| Milestone {
                title: m.title.clone(),
                date,
            })
        })
        .collect();
    (capabilities, milestones)
}

/// A merged footprint's slug becomes the folder of its redirect page, so it must be one.
fn is_merged_slug(
    old: &Spanned<String>,
    locate: &dyn Fn(std::ops::Range<usize>) -> Location,
    problems: &mut Diagnostics,
) -> bool {
    let typed = old.get_ref();
    let Some(help) = super::not_a_slug(typed, "old-footprint-name") else {
        return true;
    };
    problems.push(
        Diagnostic::error(format!("`{typed}` is not a footprint slug"))
            .at(locate(old.span()))
            .label("merged_from lists the old footprints' slugs")
            .help(help),
    );
    false
}

/// A footprint absorbed in autumn 2016 keeps its old URL as a redirect, so its slug may
/// not be used again by a live footprint or by a second merge.
fn check_merged_slugs(footprints: &[Footprint], problems: &mut Diagnostics) {
    let by_slug: HashMap<&str, &Footprint> =
        footprints.iter().map(|f| (f.slug.as_str(), f)).collect();
    let mut merged: HashMap<&str, &Footprint> = HashMap::new();
    for footprint in footprints {
        for old in &footprint.merged_from {
            let clash = by_slug
                .get(old.as_str())
                .or(merged.get(old.as_str()))
                .copied();
            if let Some(other) = clash {
                problems.push(
                    Diagnostic::error(format!("merged footprint slug `{old}` is already used"))
                        .in_file(&footprint.folder.join("footprint.toml"))
                        .help(format!(
                            "`{old}` is also used by {}; a merged footprint's slug must not name another footprint",
                            other.folder.display()
                        )),
                );
            }
            merged.insert(old, footprint);
        }
    }
}

/// A roadmap as Markdown: the whole file, its links not resolved yet.
pub fn roadmap_source(file: crate::load::SourceFile) -> MarkdownSource {
    MarkdownSource {
        file,
        start: 0,
        links: Default::default(),
    }
}
