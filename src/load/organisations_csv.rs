//! `content/organisations.csv`: the registry every code in the content is checked against.

use std::ops::Range;

use super::source::SourceFile;
use crate::diagnostic::{Diagnostic, Diagnostics, closest};

const COLUMNS: [&str; 4] = ["code", "name", "kind", "region"];
pub const KINDS: [&str; 4] = ["ccg", "trust", "local-authority", "other"];

/// One row as written, with the byte range of each field for error messages.
#[derive(Debug, Clone)]
pub struct OrganisationRow {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub region: String,
    pub code_span: Range<usize>,
    pub kind_span: Range<usize>,
    pub region_span: Range<usize>,
}

/// Reads every row; all bad rows are reported, not only the first.
pub fn parse_organisations(file: &SourceFile) -> Result<Vec<OrganisationRow>, Diagnostics> {
    let mut reader = csv::ReaderBuilder::new().from_reader(file.text.as_bytes());
    let mut problems = Diagnostics::new();
    let header = reader.headers().cloned().map_err(|e| csv_error(file, &e))?;
    if header.iter().collect::<Vec<_>>() != COLUMNS {
        let end = file.text.find('\n').unwrap_or(file.text.len());
        return Err(Diagnostic::error("organisations.csv has the wrong columns")
            .at(file.locate(0..end))
            .label("this header")
            .help("the first line must be exactly `code,name,kind,region`")
            .into());
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(file, &e))?;
        let start = record.position().map_or(0, |p| p.byte() as usize);
        let span_of = |index: usize| field_span(file, start, &record, index);
        let row = OrganisationRow {
            code: record[0].trim().to_string(),
            name: record[1].trim().to_string(),
            kind: record[2].trim().to_string(),
            region: record[3].trim().to_string(),
            code_span: span_of(0),
            kind_span: span_of(2),
            region_span: span_of(3),
        };
        if row.code.is_empty() || row.name.is_empty() {
            problems.push(
                Diagnostic::error("an organisation needs a code and a name")
                    .at(file.locate(row.code_span.clone()))
                    .help("fill in both the `code` and the `name` column of this row"),
            );
        }
        if !KINDS.contains(&row.kind.as_str()) {
            let near = closest(&row.kind, KINDS)
                .map(|k| format!("did you mean `{k}`? "))
                .unwrap_or_default();
            problems.push(
                Diagnostic::error(format!("unknown organisation kind `{}`", row.kind))
                    .at(file.locate(row.kind_span.clone()))
                    .label("not a kind")
                    .help(format!("{near}the kinds are {}", KINDS.join(", "))),
            );
        }
        rows.push(row);
    }
    if problems.has_errors() {
        Err(problems)
    } else {
        Ok(rows)
    }
}

/// The csv crate gives each record's starting byte, not each field's: find the field in
/// the record's own text so an error can point at the exact column.
fn field_span(
    file: &SourceFile,
    record_start: usize,
    record: &csv::StringRecord,
    index: usize,
) -> Range<usize> {
    let line_end = file.text[record_start..]
        .find('\n')
        .map_or(file.text.len(), |i| record_start + i);
    let line = &file.text[record_start..line_end];
    let mut from = 0;
    for (i, field) in record.iter().enumerate() {
        let found = line[from..].find(field).map_or(from, |at| from + at);
        if i == index {
            return record_start + found..record_start + found + field.len();
        }
        from = found + field.len();
    }
    record_start..line_end
}

fn csv_error(file: &SourceFile, error: &csv::Error) -> Diagnostics {
    let offset = error.position().map_or(0, |p| p.byte() as usize);
    Diagnostic::error(format!("organisations.csv cannot be read: {error}"))
        .at(file.locate(offset..offset + 1))
        .help("every row needs four comma-separated fields; quote a name that has a comma")
        .into()
}
