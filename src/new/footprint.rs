//! `ldr new footprint`: a new footprint folder from the lead-CCG template, or a partner
//! CCG added to an existing footprint. Codes are checked against `organisations.csv`
//! first, nothing is overwritten, and the site is checked after the change; if it no longer
//! builds, the change is undone.

use std::fs;
use std::path::PathBuf;

use toml_edit::{Array, DocumentMut, value};

use super::{Undo, checked_slug, io, keep_if_the_site_builds, site_builds_before, write};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::{OrganisationRow, parse_organisations, read_source_file};
use crate::pipeline::BuildOptions;

/// What to create or change.
pub enum Request {
    /// A new footprint led by `lead`.
    Create {
        slug: String,
        lead: String,
        partners: Vec<String>,
        name: Option<String>,
        code: Option<String>,
        region: Option<String>,
    },
    /// More partner CCGs for an existing footprint.
    AddPartners {
        footprint: String,
        partners: Vec<String>,
    },
}

/// Carries out `request` in the site of `options`; returns the file it wrote.
pub fn new_footprint(options: &BuildOptions, request: Request) -> Result<PathBuf, Diagnostics> {
    site_builds_before(options)?;
    let registry_file = read_source_file(&options.content.join("organisations.csv"))?;
    let (registry, _) = parse_organisations(&registry_file)?;
    let folder = options.content.join("footprints");
    let (written, undo) = match request {
        Request::Create {
            slug,
            lead,
            partners,
            name,
            code,
            region,
        } => {
            let lead_row = ccg(&registry, &lead)?;
            partners
                .iter()
                .try_for_each(|p| ccg(&registry, p).map(|_| ()))?;
            let region = region
                .or_else(|| (!lead_row.region.is_empty()).then(|| lead_row.region.clone()))
                .ok_or_else(|| {
                    Diagnostic::error(format!("the region of `{lead}` is not recorded"))
                        .help("pass --region")
                })?;
            let slug = checked_slug(&slug, "footprint")?;
            let target = folder.join(&slug);
            if target.exists() {
                return Err(
                    Diagnostic::error(format!("footprint `{slug}` already exists"))
                        .in_file(&target)
                        .help("choose another slug, or add partners with --partner-of")
                        .into(),
                );
            }
            let name = name.unwrap_or_else(|| title_case(&slug));
            let code = code.unwrap_or_else(|| format!("LDR-{lead}"));
            fs::create_dir_all(&target).map_err(|e| io(&target, e))?;
            let toml_path = target.join("footprint.toml");
            let toml = footprint_toml(&name, &code, &region, &lead, &partners, false);
            let written = write(&toml_path, &toml)
                .and_then(|()| write(&target.join("roadmap.md"), &roadmap_template(&name)));
            if let Err(problems) = written {
                // Nothing half-made is left: "nothing was changed" must be true.
                Undo::RemoveFolder(target).apply();
                return Err(problems);
            }
            (toml_path, Undo::RemoveFolder(target))
        }
        Request::AddPartners {
            footprint,
            partners,
        } => {
            if partners.is_empty() {
                return Err(Diagnostic::error("no partner CCG to add")
                    .help("name the partner's ODS code: ldr new footprint 02N --partner-of <slug>")
                    .into());
            }
            partners
                .iter()
                .try_for_each(|p| ccg(&registry, p).map(|_| ()))?;
            // A slug, so that `../x` cannot reach a file outside content/footprints/.
            let footprint = checked_slug(&footprint, "footprint")?;
            let toml_path = folder.join(&footprint).join("footprint.toml");
            if !toml_path.is_file() {
                return Err(
                    Diagnostic::error(format!("there is no footprint `{footprint}`"))
                        .in_file(&toml_path)
                        .help("name an existing folder under content/footprints/")
                        .into(),
                );
            }
            // Undo restores the bytes as they were, byte-order mark and line endings included.
            let original = fs::read(&toml_path).unwrap_or_default();
            let before = read_source_file(&toml_path)?.text;
            let after = with_partners(&before, &partners).map_err(|d| d.in_file(&toml_path))?;
            write(&toml_path, &after)?;
            (toml_path.clone(), Undo::Restore(toml_path, original))
        }
    };
    keep_if_the_site_builds(options, undo)?;
    Ok(written)
}

fn ccg<'a>(
    registry: &'a [OrganisationRow],
    code: &str,
) -> Result<&'a OrganisationRow, Diagnostics> {
    let row = registry.iter().find(|r| r.code == code).ok_or_else(|| {
        Diagnostic::error(format!("unknown organisation code `{code}`"))
            .help("use the ODS code of a CCG listed in content/organisations.csv")
    })?;
    if row.kind != "ccg" {
        return Err(Diagnostic::error(format!("`{code}` ({}) is not a CCG", row.name))
            .help("a footprint's lead and partners are CCGs; add other organisations to `members`")
            .into());
    }
    Ok(row)
}

fn title_case(slug: &str) -> String {
    slug.split('-')
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        })
        .collect::<Vec<String>>()
        .join(" ")
}

/// The lead-CCG template, written through toml_edit so every value is quoted correctly.
pub(super) fn footprint_toml(
    name: &str,
    code: &str,
    region: &str,
    lead: &str,
    partners: &[String],
    example: bool,
) -> String {
    let mut document = DocumentMut::new();
    document["name"] = value(name);
    document["code"] = value(code);
    document["region"] = value(region);
    document["lead"] = value(lead);
    document["partners"] = value(partners.iter().collect::<Array>());
    document["members"] = value(Array::new());
    document["merged_from"] = value(Array::new());
    if example {
        // Illustrative: its page says so.
        document["example"] = value(true);
    }
    format!(
        "# Created by `ldr new footprint` from the lead-CCG template. Fill in what is known and\n\
         # leave out what is not: the site says \"Not recorded\" for anything missing.\n\
         # `members`: NHS providers, councils and others, by ODS or GSS code.\n\
         {document}\n\
         [governance]\n\
         # senior_responsible_owner = \"\"\n\
         # ccio = \"\"\n\
         # clinical_lead = \"\"\n\
         # programme_board = \"\"\n\
         # contact = \"\"\n\
         \n\
         # [published]\n\
         # date = 2017-01-31\n\
         # url = \"https://...\"\n\
         \n\
         # One table per universal capability (see content/capabilities.toml):\n\
         # [[capabilities]]\n\
         # id = \"A\"\n\
         # status = \"planned\"   # not-started | planned | in-progress | live\n\
         # target = 2018-03-31\n\
         \n\
         # [[milestones]]\n\
         # title = \"\"\n\
         # date = 2018-09-30\n"
    )
}

/// The usual sections of a Local Digital Roadmap, each with a prompt to replace.
pub(super) fn roadmap_template(name: &str) -> String {
    const SECTIONS: [(&str, &str); 9] = [
        (
            "Vision",
            "What paper-free at the point of care will mean for people in this footprint by 2020.",
        ),
        (
            "Baseline",
            "Where the footprint's organisations stand today, drawing on their digital maturity self-assessments.",
        ),
        (
            "Readiness",
            "Leadership, resources and skills to deliver the roadmap.",
        ),
        (
            "Capability deployment",
            "The digital capabilities the footprint will deploy, and when.",
        ),
        (
            "Universal capability delivery plan",
            "How and when each universal capability (A to J) will be delivered.",
        ),
        (
            "Information sharing",
            "The approach to sharing information across care settings.",
        ),
        (
            "Infrastructure",
            "The networks, systems and services the roadmap depends on.",
        ),
        (
            "Minimising risks",
            "The main risks to delivery and how they will be managed.",
        ),
        (
            "Governance",
            "Who leads the roadmap and how decisions are made.",
        ),
    ];
    let mut text = format!(
        "<!-- The roadmap of {name}. Replace each prompt with the footprint's own text. -->\n"
    );
    for (heading, prompt) in SECTIONS {
        text.push_str(&format!("\n## {heading}\n\n{prompt}\n"));
    }
    text
}

/// Appends partners to the `partners` list, keeping the file's comments and layout.
fn with_partners(text: &str, partners: &[String]) -> Result<String, Diagnostic> {
    let mut document: DocumentMut = text.parse().map_err(|e| {
        Diagnostic::error(format!("footprint.toml cannot be read: {e}"))
            .help("fix the file first, then add partners")
    })?;
    let list = document
        .entry("partners")
        .or_insert(value(Array::new()))
        .as_array_mut()
        .ok_or_else(|| {
            Diagnostic::error("`partners` is not a list").help("write partners = [\"02N\"]")
        })?;
    let listed = |code: &str| document_codes(text).iter().any(|c| c == code);
    for partner in partners {
        if listed(partner) {
            return Err(
                Diagnostic::error(format!("`{partner}` is already in this footprint"))
                    .help("an organisation has one role in a footprint"),
            );
        }
        list.push(partner.as_str());
    }
    Ok(document.to_string())
}

/// Every code already listed as lead, partner or member.
fn document_codes(text: &str) -> Vec<String> {
    let Ok(table) = text.parse::<toml::Table>() else {
        return Vec::new();
    };
    let mut codes: Vec<String> = table
        .get("lead")
        .and_then(|v| v.as_str())
        .map(str::to_string)
        .into_iter()
        .collect();
    for key in ["partners", "members"] {
        let listed = table
            .get(key)
            .and_then(|v| v.as_array())
            .into_iter()
            .flatten();
        codes.extend(listed.filter_map(|v| v.as_str()).map(str::to_string));
    }
    codes
}
