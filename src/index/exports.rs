//! Open data: `/data/footprints.json` (with its JSON Schema) and `/data/organisations.csv`.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::maturity::THEMES;
use crate::model::routes::{Route, footprint_url, organisation_url};
use crate::model::{OdsCode, OrganisationKind, Role, Site};
use crate::output::OutputFile;
use crate::render::footprint_medians;

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
    /// The medians of its providers' baseline self-assessment scores; `null` where none
    /// of its providers has a recorded assessment.
    digital_maturity: Option<MaturityRecord>,
}

#[derive(Serialize)]
struct MaturityRecord {
    /// Providers (NHS trusts) with a recorded assessment, of `providers`.
    recorded: usize,
    providers: usize,
    /// By theme; `null` where no provider records that theme's score.
    median: BTreeMap<&'static str, Option<f64>>,
}

fn maturity_record(site: &Site, footprint: &crate::model::Footprint) -> Option<MaturityRecord> {
    let (medians, recorded) = footprint_medians(site, footprint)?;
    let providers = footprint
        .members
        .iter()
        .filter(|c| site.registry.get(c).kind == OrganisationKind::Trust)
        .count();
    Some(MaturityRecord {
        recorded,
        providers,
        median: THEMES
            .iter()
            .map(|t| (t.key(), medians[*t as usize]))
            .collect(),
    })
}

#[derive(Serialize)]
struct MemberRecord<'a> {
    code: &'a str,
    name: &'a str,
    kind: OrganisationKind,
    role: Role,
}

/// One footprint's record of `footprints.json`, as it stands in the file (pretty-printed,
/// indented to its place in the list).
pub fn footprint_record(site: &Site, slug: &str) -> Result<Vec<u8>, Diagnostics> {
    let f = site
        .footprint_by_slug(slug)
        .ok_or_else(|| Diagnostic::error(format!("internal error: no footprint `{slug}`")))?;
    let base = &site.config.base_url;
    let record = FootprintRecord {
        slug: &f.slug,
        name: &f.name,
        code: &f.code,
        region: &f.region,
        stp: f.stp.as_deref(),
        url: format!("{base}{}", footprint_url(&f.slug)),
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
        digital_maturity: maturity_record(site, f),
    };
    let json = serde_json::to_string_pretty(&record)
        .map_err(|e| Diagnostic::error(format!("cannot write footprints.json: {e}")))?;
    // JSON strings escape their line breaks, so every line here is a line of the record.
    let mut indented = String::with_capacity(json.len() + json.len() / 8);
    for (i, line) in json.lines().enumerate() {
        if i > 0 {
            indented.push('\n');
        }
        indented.push_str("    ");
        indented.push_str(line);
    }
    Ok(indented.into_bytes())
}

/// `/data/footprints.json`: the footprints' records, in the site's order, as
/// `serde_json::to_vec_pretty` would write the whole.
pub fn footprints_json<'a>(records: impl ExactSizeIterator<Item = &'a [u8]> + Clone) -> OutputFile {
    let length: usize = records.clone().map(|r| r.len() + 2).sum();
    let mut json = Vec::with_capacity(length + 32);
    if records.len() == 0 {
        json.extend_from_slice(b"{\n  \"footprints\": []\n}");
    } else {
        json.extend_from_slice(b"{\n  \"footprints\": [\n");
        for (i, record) in records.enumerate() {
            if i > 0 {
                json.extend_from_slice(b",\n");
            }
            json.extend_from_slice(record);
        }
        json.extend_from_slice(b"\n  ]\n}");
    }
    OutputFile::bytes(Route::FootprintsJson.output_path(), json)
}

/// The JSON Schema of `footprints.json`, published beside it so reusers know its shape.
pub fn footprints_schema() -> OutputFile {
    OutputFile::bytes(
        Route::FootprintsSchema.output_path(),
        include_str!("footprints.schema.json"),
    )
}

/// One organisation's row of `organisations.csv`, with its line ending.
pub fn organisation_row(site: &Site, code: &OdsCode) -> Result<Vec<u8>, Diagnostics> {
    let failed = |e: csv::Error| Diagnostic::error(format!("cannot write organisations.csv: {e}"));
    let organisation = site
        .registry
        .resolve(code.as_str())
        .ok_or_else(|| Diagnostic::error(format!("internal error: no organisation `{code}`")))?;
    let footprints: Vec<&str> = site
        .footprints_of_organisation(&organisation.code)
        .map(|f| f.slug.as_str())
        .collect();
    let base = &site.config.base_url;
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record(
            [
                organisation.code.as_str(),
                &organisation.name,
                organisation.kind.slug(),
                organisation.region.as_deref().unwrap_or(""),
                &footprints.join(";"),
                &format!("{base}{}", organisation_url(organisation.code.as_str())),
            ]
            .map(inert_cell),
        )
        .map_err(failed)?;
    writer
        .into_inner()
        .map_err(|e| Diagnostic::error(format!("cannot write organisations.csv: {e}")).into())
}

/// `/data/organisations.csv`: the register of real organisations (the illustrative
/// examples are not exported), a row each.
pub fn organisations_csv<'a>(rows: impl Iterator<Item = &'a [u8]> + Clone) -> OutputFile {
    let header = b"code,name,kind,region,footprints,url\n";
    let mut bytes = Vec::with_capacity(header.len() + rows.clone().map(<[u8]>::len).sum::<usize>());
    bytes.extend_from_slice(header);
    for row in rows {
        bytes.extend_from_slice(row);
    }
    OutputFile::bytes(Route::OrganisationsCsv.output_path(), bytes)
}

/// `/data/digital-maturity.csv`: every assessment of `digital-maturity.csv`, with the
/// provider's name and whether it is an illustrative example rather than a real trust.
pub fn digital_maturity_csv(site: &Site) -> Result<OutputFile, Diagnostics> {
    let failed =
        |e: csv::Error| Diagnostic::error(format!("cannot write digital-maturity.csv: {e}"));
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["code", "name", "year"];
    header.extend(THEMES.iter().map(|t| t.key()));
    header.push("example");
    writer
        .write_record(header.into_iter().map(inert_cell))
        .map_err(failed)?;
    for assessment in site.maturity.iter() {
        let organisation = site.registry.get(&assessment.code);
        let mut record = vec![
            assessment.code.to_string(),
            organisation.name.clone(),
            assessment.year.to_string(),
        ];
        record.extend(
            assessment
                .scores
                .iter()
                .map(|s| s.map(|s| s.to_string()).unwrap_or_default()),
        );
        record.push(organisation.example.to_string());
        writer
            .write_record(record.iter().map(|cell| inert_cell(cell)))
            .map_err(failed)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| Diagnostic::error(format!("cannot write digital-maturity.csv: {e}")))?;
    Ok(OutputFile::bytes(
        Route::DigitalMaturityCsv.output_path(),
        bytes,
    ))
}

/// A CSV cell that a spreadsheet will show as text, never run as a formula: a cell that
/// starts with `=`, `+`, `-`, `@`, a tab or a carriage return (or their full-width forms,
/// which spreadsheets in East Asian locales read the same; or any of these after spaces,
/// which some spreadsheets skip) gets a leading `'`, as OWASP's CSV-injection guidance
/// says. Every CSV that ldr writes passes each cell through here.
pub(crate) fn inert_cell(cell: &str) -> std::borrow::Cow<'_, [u8]> {
    let first = cell
        .trim_start_matches([' ', '\u{3000}', '\u{a0}'])
        .chars()
        .next();
    let formula = matches!(
        first,
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\n' | '＝' | '＋' | '－' | '＠')
    );
    if formula {
        std::borrow::Cow::Owned(format!("'{cell}").into_bytes())
    } else {
        std::borrow::Cow::Borrowed(cell.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::inert_cell;

    #[test]
    fn cells_a_spreadsheet_would_run_are_made_text() {
        for cell in [
            "=HYPERLINK(\"http://x\",\"y\")",
            "+cmd|' /C calc'!A0",
            "-2+3",
            "@SUM(A1:A2)",
            "\t=1",
            "\r=1",
            "  =1+1",
            "＝1+1",
            "\u{3000}＠SUM(1)",
        ] {
            assert_eq!(
                *inert_cell(cell),
                *format!("'{cell}").as_bytes(),
                "{cell:?}"
            );
        }
        for cell in ["Mid Yorkshire", "02W", "https://x/", "1+1", "a=b", ""] {
            assert_eq!(*inert_cell(cell), *cell.as_bytes());
        }
    }
}
