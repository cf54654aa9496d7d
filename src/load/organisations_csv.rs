//! `content/organisations.csv`: the registry every code in the content is checked against.
//!
//! The file is kept in Excel by most publishers: CRLF line endings, a byte-order mark,
//! quoted cells and rows of empty cells all read as Excel meant them; a cell with a line
//! break is refused (see [`CsvRow::line_break_in_cell`]).

use std::ops::Range;

use super::csv_rows::{CsvField, CsvRow, read_rows};
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

/// Reads every row; all bad rows are reported, not only the first. A cell broken over
/// lines is an error: it is valid CSV, but far more often a stray quote that swallowed the
/// rows after it than a wish.
pub fn parse_organisations(
    file: &SourceFile,
) -> Result<(Vec<OrganisationRow>, Diagnostics), Diagnostics> {
    if let Some(error) = super::csv_rows::beyond_limits(file) {
        return Err(error.into());
    }
    let mut rows = read_rows(&file.text).into_iter();
    let Some(header) = rows.next() else {
        return Err(wrong_header(file, 0..0, "the file is empty"));
    };
    check_header(file, &header)?;
    let mut problems = Diagnostics::new();
    let organisations = rows
        .filter(|row| !row.is_blank())
        .filter_map(|row| organisation(file, row, &mut problems))
        .collect();
    problems.into_result(organisations)
}

/// The rows in `lines` of `file` (whole lines below the header), read as
/// [`parse_organisations`] reads them, each in its place in the whole file: after an edit of
/// a few rows of a long register, the rest need not be read again.
pub fn parse_organisation_lines(
    file: &SourceFile,
    lines: Range<usize>,
) -> Result<(Vec<OrganisationRow>, Diagnostics), Diagnostics> {
    let text = file.text.get(lines.clone()).unwrap_or_default();
    let mut problems = Diagnostics::new();
    let organisations = read_rows(text)
        .into_iter()
        .map(|row| row.shifted(lines.start))
        .filter(|row| !row.is_blank())
        .filter_map(|row| organisation(file, row, &mut problems))
        .collect();
    problems.into_result(organisations)
}

fn check_header(file: &SourceFile, header: &CsvRow) -> Result<(), Diagnostics> {
    let names: Vec<String> = header
        .fields
        .iter()
        .map(|f| f.value.trim().to_ascii_lowercase())
        .collect();
    if names == COLUMNS {
        return Ok(());
    }
    let semicolons = names.len() == 1 && names[0].contains(';');
    Err(wrong_header(
        file,
        header.span.clone(),
        if semicolons {
            "the columns are separated by semicolons: save as \"CSV UTF-8 (Comma delimited)\""
        } else {
            "the first line must be exactly `code,name,kind,region`"
        },
    ))
}

/// The file's own name, for messages: `organisations.csv` or `example-organisations.csv`.
fn name_of(file: &SourceFile) -> String {
    file.path.file_name().map_or_else(
        || "organisations.csv".into(),
        |n| n.to_string_lossy().into_owned(),
    )
}

fn wrong_header(file: &SourceFile, span: Range<usize>, help: &str) -> Diagnostics {
    Diagnostic::error(format!("{} has the wrong columns", name_of(file)))
        .at(file.locate(span))
        .label("this header")
        .help(help)
        .into()
}

fn organisation(
    file: &SourceFile,
    row: CsvRow,
    problems: &mut Diagnostics,
) -> Option<OrganisationRow> {
    if let Some(error) = row.line_break_in_cell(file) {
        problems.push(error);
        return None;
    }
    let Ok([code, name, kind, region]) = <[CsvField; 4]>::try_from(row.fields.clone()) else {
        problems.push(wrong_field_count(file, &row));
        return None;
    };
    let organisation = OrganisationRow {
        code: code.value.trim().to_string(),
        name: name.value.trim().to_string(),
        kind: kind.value.trim().to_string(),
        region: region.value.trim().to_string(),
        code_span: code.span,
        kind_span: kind.span,
        region_span: region.span,
    };
    check_row(file, &organisation, problems);
    Some(organisation)
}

fn wrong_field_count(file: &SourceFile, row: &CsvRow) -> Diagnostic {
    let count = row.fields.len();
    Diagnostic::error(format!(
        "this row has {count} {}; {} has 4 columns",
        if count == 1 { "field" } else { "fields" },
        name_of(file)
    ))
    .at(file.locate(row.span.clone()))
    .label("expected code,name,kind,region")
    .help("quote a name that has a comma in it: \"Bath, North East Somerset\"")
}

/// ODS codes (`RXF`, `02W`) and GSS codes (`E08000032`) are letters and digits; a code
/// is also part of the organisation's address, so nothing else may pass.
fn is_code(code: &str) -> bool {
    (1..=12).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_alphanumeric())
}

fn check_row(file: &SourceFile, row: &OrganisationRow, problems: &mut Diagnostics) {
    if row.code.is_empty() || row.name.is_empty() {
        problems.push(
            Diagnostic::error("an organisation needs a code and a name")
                .at(file.locate(row.code_span.clone()))
                .help("fill in both the `code` and the `name` column of this row"),
        );
    } else if !is_code(&row.code) {
        problems.push(
            Diagnostic::error(format!("`{}` is not an ODS or GSS code", row.code))
                .at(file.locate(row.code_span.clone()))
                .label("not a code")
                .help("codes are up to 12 letters and digits, such as RXF, 02W or E08000032"),
        );
    }
    if !KINDS.contains(&row.kind.as_str()) {
        // After a question, the next sentence starts with a capital.
        let help = match closest(&row.kind, KINDS) {
            Some(k) => format!("did you mean `{k}`? The kinds are {}", KINDS.join(", ")),
            None => format!("the kinds are {}", KINDS.join(", ")),
        };
        problems.push(
            Diagnostic::error(format!("unknown organisation kind `{}`", row.kind))
                .at(file.locate(row.kind_span.clone()))
                .label("not a kind")
                .help(help),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<(Vec<OrganisationRow>, Diagnostics), Diagnostics> {
        parse_organisations(&SourceFile {
            path: "organisations.csv".into(),
            text: text.into(),
        })
    }

    fn first_error(text: &str) -> Diagnostic {
        parse(text).unwrap_err().iter().next().unwrap().clone()
    }

    #[test]
    fn excel_file_with_crlf_quotes_and_blank_rows_reads() {
        let text = "code,name,kind,region\r\n\
                    RXF,\"Mid Yorkshire Hospitals NHS Trust\",trust,North of England\r\n\
                    RAE,\"Bradford \"\"Teaching\"\" Hospitals, Foundation Trust é\",trust,\r\n\
                    ,,,\r\n";
        let (rows, warnings) = parse(text).unwrap();
        let names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Mid Yorkshire Hospitals NHS Trust",
                "Bradford \"Teaching\" Hospitals, Foundation Trust é",
            ]
        );
        assert_eq!(rows[1].region, "");
        assert_eq!(warnings.iter().count(), 0);
    }

    /// A stray quote that swallows the next row into a four-field row, and a cell with a
    /// line break typed in it, in any column: refused where the quote opened.
    #[test]
    fn a_cell_with_a_line_break_is_refused_at_its_quote() {
        for (text, column) in [
            (
                "code,name,kind,region\nX903,\"Leeds, trust,\nX904,Wakefield\",trust,\n",
                6,
            ),
            (
                "code,name,kind,region\r\n02W,\"NHS Bradford\r\nCity CCG\",ccg,\r\n",
                5,
            ),
            (
                "code,name,kind,region\n02W,Bradford,ccg,\"North\nof England\"\n",
                18,
            ),
        ] {
            let error = first_error(text);
            assert_eq!(
                error.message, "a quote in organisations.csv is not closed on its row",
                "{text:?}"
            );
            let at = error.location.clone().unwrap();
            assert_eq!((at.line, at.column), (2, column), "{text:?}");
            assert_eq!(error.label.as_deref(), Some("this quote runs on to line 3"));
        }
    }

    #[test]
    fn bad_kind_after_a_quoted_name_points_at_the_kind() {
        let text = "code,name,kind,region\r\nRAE,\"Bradford \"\"é\"\", Trust\",trsut,\r\n";
        let error = first_error(text);
        assert_eq!(error.message, "unknown organisation kind `trsut`");
        let at = error.location.clone().unwrap();
        assert_eq!((at.line, at.column, at.width), (2, 29, 5));
    }

    #[test]
    fn stray_quote_is_reported_at_the_quote() {
        let text = "code,name,kind,region\nRAE,\"Bradford,trust,\nRXF,Mid,trust,\n";
        let error = first_error(text);
        assert_eq!(
            error.message,
            "a quote in organisations.csv is not closed on its row"
        );
        let at = error.location.clone().unwrap();
        assert_eq!((at.line, at.column), (2, 5));
        assert_eq!(error.label.as_deref(), Some("this quote runs on to line 3"));
    }

    #[test]
    fn row_with_a_missing_column_is_named() {
        let error = first_error("code,name,kind,region\nRXF,Mid,trust\n");
        assert_eq!(
            error.message,
            "this row has 3 fields; organisations.csv has 4 columns"
        );
        assert_eq!(error.location.clone().unwrap().line, 2);
    }

    #[test]
    fn a_code_that_is_not_letters_and_digits_is_refused() {
        let error = first_error("code,name,kind,region\n../../x,Body,other,\n");
        assert_eq!(error.message, "`../../x` is not an ODS or GSS code");
        let at = error.location.clone().unwrap();
        assert_eq!((at.line, at.column, at.width), (2, 1, 7));
    }

    #[test]
    fn semicolon_export_gets_its_own_help() {
        let error = first_error("code;name;kind;region\nRXF;Mid;trust;\n");
        assert!(error.help.as_deref().unwrap().contains("semicolons"));
    }
}
