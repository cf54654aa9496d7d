//! `content/digital-maturity.csv`, optional: providers' Digital Maturity Self-assessment
//! scores, one row per provider and year (`code,year,readiness,capabilities,infrastructure`).
//!
//! Read as `organisations.csv` is ([`read_rows`]: Excel's CRLF, quotes and blank rows), and
//! checked here as far as the file alone allows: the header, the year's shape, each score a
//! whole number from 0 to 100. Codes, trusts, duplicates and the year's range are the
//! model's to check, since they need the register and the build date.

use std::ops::Range;

use super::csv_rows::{CsvField, CsvRow, read_rows};
use super::source::SourceFile;
use crate::diagnostic::{Diagnostic, Diagnostics};

/// The themes of the assessment, in the order of the file's columns.
pub const THEME_COLUMNS: [&str; 3] = ["readiness", "capabilities", "infrastructure"];
const COLUMNS: [&str; 5] = [
    "code",
    "year",
    THEME_COLUMNS[0],
    THEME_COLUMNS[1],
    THEME_COLUMNS[2],
];

/// One row as written, with the places the model's checks point at.
#[derive(Debug, Clone)]
pub struct MaturityRow {
    pub code: String,
    pub code_span: Range<usize>,
    pub year: i32,
    pub year_span: Range<usize>,
    /// Readiness, capabilities, infrastructure; `None` for an empty cell (not recorded).
    pub scores: [Option<u8>; 3],
}

/// Every row of the file; every bad cell is reported, not only the first.
pub fn parse_digital_maturity(file: &SourceFile) -> Result<Vec<MaturityRow>, Diagnostics> {
    if let Some(error) = super::csv_rows::beyond_limits(file) {
        return Err(error.into());
    }
    let mut rows = read_rows(&file.text).into_iter();
    let Some(header) = rows.next() else {
        return Err(wrong_header(file, 0..0));
    };
    let names: Vec<String> = header
        .fields
        .iter()
        .map(|f| f.value.trim().to_ascii_lowercase())
        .collect();
    if names != COLUMNS {
        return Err(wrong_header(file, header.span.clone()));
    }
    let mut problems = Diagnostics::new();
    let parsed = rows
        .filter(|row| !row.is_blank())
        .filter_map(|row| maturity_row(file, row, &mut problems))
        .collect();
    problems.into_result(parsed).map(|(rows, _)| rows)
}

fn wrong_header(file: &SourceFile, span: Range<usize>) -> Diagnostics {
    Diagnostic::error("digital-maturity.csv has the wrong columns")
        .at(file.locate(span))
        .label("this header")
        .help("the first line must be exactly `code,year,readiness,capabilities,infrastructure`")
        .into()
}

fn maturity_row(file: &SourceFile, row: CsvRow, problems: &mut Diagnostics) -> Option<MaturityRow> {
    if let Some(error) = row.line_break_in_cell(file) {
        problems.push(error);
        return None;
    }
    let Ok([code, year, readiness, capabilities, infrastructure]) =
        <[CsvField; 5]>::try_from(row.fields.clone())
    else {
        let count = row.fields.len();
        problems.push(
            Diagnostic::error(format!(
                "this row has {count} {}; digital-maturity.csv has 5 columns",
                if count == 1 { "field" } else { "fields" }
            ))
            .at(file.locate(row.span.clone()))
            .label("expected code,year,readiness,capabilities,infrastructure")
            .help("leave a score's cell empty where it is not recorded, but keep its comma"),
        );
        return None;
    };
    let year_value = parse_year(file, &year, problems);
    let scores = [readiness, capabilities, infrastructure]
        .iter()
        .zip(THEME_COLUMNS)
        .map(|(cell, theme)| parse_score(file, cell, theme, problems))
        .collect::<Vec<_>>();
    let code_value = code.value.trim().to_string();
    if code_value.is_empty() {
        problems.push(
            Diagnostic::error("a row of digital-maturity.csv needs the provider's code")
                .at(file.locate(code.span.clone()))
                .help("give the trust's ODS code, as in organisations.csv"),
        );
        return None;
    }
    Some(MaturityRow {
        code: code_value,
        code_span: code.span,
        year: year_value?,
        year_span: year.span,
        scores: [scores[0].ok()?, scores[1].ok()?, scores[2].ok()?],
    })
}

/// The first year an assessment can have been made: the 2015/16 assessment opened in 2015.
/// (A year after the build's date is the model's to refuse, since it knows that date.)
pub const FIRST_YEAR: i32 = 2015;

/// A year is four digits (the year the assessment was made, 2016 for 2015/16's), not
/// before the first assessment.
fn parse_year(file: &SourceFile, cell: &CsvField, problems: &mut Diagnostics) -> Option<i32> {
    let text = cell.value.trim();
    if text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()) {
        let year: i32 = text.parse().ok()?;
        if year >= FIRST_YEAR {
            return Some(year);
        }
        problems.push(
            Diagnostic::error(format!("no assessment was made in {year}"))
                .at(file.locate(cell.span.clone()))
                .label(format!("before {FIRST_YEAR}"))
                .help(format!(
                    "the first Digital Maturity Self-assessment (2015/16) was made in {FIRST_YEAR} and 2016"
                )),
        );
        return None;
    }
    problems.push(
        Diagnostic::error(format!("`{text}` is not a year"))
            .at(file.locate(cell.span.clone()))
            .label("not a four-digit year")
            .help("give the year the assessment was made, such as 2016 for the 2015/16 assessment"),
    );
    None
}

/// A score is a whole number from 0 to 100; an empty cell is a score not recorded.
fn parse_score(
    file: &SourceFile,
    cell: &CsvField,
    theme: &str,
    problems: &mut Diagnostics,
) -> Result<Option<u8>, ()> {
    let text = cell.value.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<u32>() {
        Ok(score) if score <= 100 => Ok(Some(score as u8)),
        _ => {
            problems.push(
                Diagnostic::error(format!("`{text}` is not a {theme} score from 0 to 100"))
                    .at(file.locate(cell.span.clone()))
                    .label("not a whole number from 0 to 100")
                    .help("scores of the Digital Maturity Self-assessment run from 0 to 100; leave the cell empty where none is recorded"),
            );
            Err(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Vec<MaturityRow>, Diagnostics> {
        parse_digital_maturity(&SourceFile {
            path: "digital-maturity.csv".into(),
            text: text.into(),
        })
    }

    #[test]
    fn excel_file_with_crlf_quotes_blank_rows_and_empty_scores_reads() {
        let text = "Code,Year,Readiness,Capabilities,Infrastructure\r\n\
                    RXF,2016,\"64\",51,\r\n,,,,\r\nRF4, 2016 ,0,100,73\r\n";
        let rows = parse(text).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].scores, [Some(64), Some(51), None]);
        assert_eq!(
            (rows[1].year, rows[1].scores),
            (2016, [Some(0), Some(100), Some(73)])
        );
    }

    #[test]
    fn a_quote_that_swallows_the_next_row_is_refused_at_the_quote() {
        let errors = parse(
            "code,year,readiness,capabilities,infrastructure\nRXF,2016,\"60,50,40\nRF4,2016\",1,2\n",
        )
        .unwrap_err();
        let error = errors.iter().next().unwrap();
        assert_eq!(
            error.message,
            "a quote in digital-maturity.csv is not closed on its row"
        );
        let at = error.location.clone().unwrap();
        assert_eq!((at.line, at.column), (2, 10));
    }

    #[test]
    fn every_bad_cell_is_reported_at_its_place() {
        let errors = parse("code,year,readiness,capabilities,infrastructure\nRXF,16,101,5.5,x\n")
            .unwrap_err();
        let places: Vec<(usize, usize)> = errors
            .iter()
            .map(|d| d.location.as_ref().map(|l| (l.line, l.column)).unwrap())
            .collect();
        assert_eq!(places, [(2, 5), (2, 8), (2, 12), (2, 16)]);
    }

    #[test]
    fn a_wrong_header_is_refused() {
        let errors = parse("code,year,score\nRXF,2016,5\n").unwrap_err();
        assert_eq!(
            errors.iter().next().unwrap().message,
            "digital-maturity.csv has the wrong columns"
        );
    }
}
