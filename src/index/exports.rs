//! Open data: `/data/footprints.json` (with its JSON Schema) and `/data/organisations.csv`.

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::links::{footprint_path, organisation_path};
use crate::model::{OrganisationKind, Role, Site};
use crate::render::OutputFile;

#[derive(Serialize)]
struct FootprintRecord<'a> {
    slug: &'a str,
    name: &'a str,
    code: &'a str,
    region: &'a str,
    stp: Option<&'a str>,
    url: String,
    /// `null` where the lead CCG is not recorded.
    lead: Option<&'a str>,
    organisations: Vec<MemberRecord<'a>>,
    merged_from: &'a [String],
    /// An illustrative footprint, not a real one.
    example: bool,
}

#[derive(Serialize)]
struct MemberRecord<'a> {
    code: &'a str,
    name: &'a str,
    kind: OrganisationKind,
    role: Role,
}

pub fn footprints_json(site: &Site) -> Result<OutputFile, Diagnostics> {
    let base = &site.config.base_url;
    let records: Vec<FootprintRecord> = site
        .footprints
        .iter()
        .map(|f| FootprintRecord {
            slug: &f.slug,
            name: &f.name,
            code: &f.code,
            region: &f.region,
            stp: f.stp.as_deref(),
            url: format!("{base}{}", footprint_path(&f.slug)),
            lead: f.lead.as_ref().map(|c| c.as_str()),
            organisations: f
                .organisations()
                .map(|(code, role)| {
                    let organisation = site.registry.get(code);
                    MemberRecord {
                        code: code.as_str(),
                        name: &organisation.name,
                        kind: organisation.kind,
                        role,
                    }
                })
                .collect(),
            merged_from: &f.merged_from,
            example: f.example,
        })
        .collect();
    #[derive(Serialize)]
    struct Export<'a> {
        footprints: Vec<FootprintRecord<'a>>,
    }
    // Straight from the records: going through `json!` built a tree of values first.
    let json = serde_json::to_vec_pretty(&Export {
        footprints: records,
    })
    .map_err(|e| Diagnostic::error(format!("cannot write footprints.json: {e}")))?;
    Ok(OutputFile::bytes("data/footprints.json", json))
}

/// The JSON Schema of `footprints.json`, published beside it so reusers know its shape.
pub fn footprints_schema() -> OutputFile {
    OutputFile::bytes(
        "data/footprints.schema.json",
        include_str!("footprints.schema.json"),
    )
}

pub fn organisations_csv(site: &Site) -> Result<OutputFile, Diagnostics> {
    let base = &site.config.base_url;
    let mut writer = csv::Writer::from_writer(Vec::new());
    let failed = |e: csv::Error| Diagnostic::error(format!("cannot write organisations.csv: {e}"));
    writer
        .write_record(["code", "name", "kind", "region", "footprints", "url"])
        .map_err(failed)?;
    for organisation in site.registry.iter() {
        let footprints: Vec<&str> = site
            .footprints_of_organisation(&organisation.code)
            .map(|f| f.slug.as_str())
            .collect();
        writer
            .write_record([
                organisation.code.as_str(),
                &organisation.name,
                organisation.kind.slug(),
                organisation.region.as_deref().unwrap_or(""),
                &footprints.join(";"),
                &format!("{base}{}", organisation_path(organisation.code.as_str())),
            ])
            .map_err(failed)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| Diagnostic::error(format!("cannot write organisations.csv: {e}")))?;
    Ok(OutputFile::bytes("data/organisations.csv", bytes))
}
