//! CSV rows with the place of every field in the file, for errors that point at a cell.
//!
//! The `csv` crate gives a record's position but not its fields'. `csv_core`, the parser
//! under it, reads one field at a time and says how many bytes of input each took: that
//! count is the field's exact place in the file, however it is quoted, doubled or broken
//! over lines. Only that bookkeeping is ours; parsing is the crate's.

use std::ops::Range;

use csv_core::{ReadFieldResult, Reader};

use super::source::SourceFile;
use crate::diagnostic::Diagnostic;

/// One field: its value (quotes removed, doubled quotes undone) and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvField {
    pub value: String,
    /// The field as written, quotes included, without its comma or line ending.
    pub span: Range<usize>,
}

impl CsvField {
    /// A quoted field whose quotes enclose a line break (a cell with Alt+Enter in Excel, or
    /// a quote that was never meant to open a field).
    pub fn spans_lines(&self, text: &str) -> bool {
        text.get(self.span.clone())
            .is_some_and(|raw| raw.contains(['\n', '\r']))
    }
}

/// One row of the file, as many fields as it has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvRow {
    pub fields: Vec<CsvField>,
    /// From the first field's first byte to the last field's last.
    pub span: Range<usize>,
}

impl CsvRow {
    /// The row as it stands `offset` bytes further on: read from a part of a file, placed
    /// in the whole.
    pub fn shifted(mut self, offset: usize) -> CsvRow {
        self.span = self.span.start + offset..self.span.end + offset;
        for field in &mut self.fields {
            field.span = field.span.start + offset..field.span.end + offset;
        }
        self
    }

    /// Excel writes `,,,` for rows whose cells were touched but left empty.
    pub fn is_blank(&self) -> bool {
        self.fields.iter().all(|f| f.value.trim().is_empty())
    }

    /// The error for a row with a cell that holds a line break, if it has one. No cell of a
    /// file ldr reads may: a stray quote that opens a field and closes rows later swallows
    /// those rows into one cell, and an Excel cell with Alt+Enter is as likely a mistake.
    pub fn line_break_in_cell(&self, file: &SourceFile) -> Option<Diagnostic> {
        let field = self.fields.iter().find(|f| f.spans_lines(&file.text))?;
        let name = file.path.file_name().map_or_else(
            || file.path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        Some(
            Diagnostic::error(format!("a quote in {name} is not closed on its row"))
                .at(file.locate(field.span.start..field.span.start + 1))
                .label(format!(
                    "this quote runs on to line {}",
                    file.locate(field.span.end..field.span.end).line
                ))
                .help(
                    "no cell may hold a line break: a quote inside a cell must be doubled (\"\"), \
                     a quoted cell closed before its comma, and a line break typed in a cell \
                     (Alt+Enter in Excel) removed",
                ),
        )
    }
}

/// The most rows a register may have below its header: 25 times the organisations of
/// interest in England's ODS (about 8,000), and room for the 67,578 rows of the benchmark's
/// 10,000-footprint corpus. Memory grows by about 8 KB a row, as each row is a page, so the
/// limit holds a register to about 1.6 GB.
pub(crate) const MAX_ROWS: usize = 200_000;

/// The longest line a CSV file may have, in bytes: a row of four cells is under 300.
pub(crate) const MAX_LINE: usize = 4_096;

/// The error for a file beyond [`MAX_ROWS`] or [`MAX_LINE`], if it is, at the first line
/// past the limit. Checked before the rows are read.
pub(crate) fn beyond_limits(file: &SourceFile) -> Option<Diagnostic> {
    let name = file.path.file_name().map_or_else(
        || file.path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let mut start = 0;
    let mut rows = 0;
    for line in file.text.split_inclusive('\n') {
        let span = start..start + line.len();
        start = span.end;
        let text = line.trim_end_matches(['\r', '\n']);
        if text.len() > MAX_LINE {
            return Some(
                Diagnostic::error(format!(
                    "this line of {name} is longer than {} bytes, the most a row may take",
                    crate::words::thousands(MAX_LINE)
                ))
                .at(file.locate(span.start..span.start + 1))
                .help("a row has a few short cells: check that the file is the register, saved as \"CSV UTF-8 (Comma delimited)\""),
            );
        }
        if !text.trim_matches(',').trim().is_empty() {
            rows += 1;
        }
        // The header, then at most MAX_ROWS rows.
        if rows > MAX_ROWS + 1 {
            return Some(
                Diagnostic::error(format!(
                    "{name} has more than {} rows, the most ldr reads",
                    crate::words::thousands(MAX_ROWS)
                ))
                .at(file.locate(span.start..span.start + text.len().min(1)))
                .label(format!("row {} is past the limit", crate::words::thousands(MAX_ROWS + 1)))
                .help("England has about 8,000 organisations a roadmap names: keep the CCGs, trusts, councils and others the footprints list, not the whole ODS"),
            );
        }
    }
    None
}

/// Every row of `text`, blank lines skipped (as the csv crate does).
pub fn read_rows(text: &str) -> Vec<CsvRow> {
    let input = text.as_bytes();
    let mut reader = Reader::new();
    let mut rows = Vec::new();
    let mut fields = Vec::new();
    let mut value = vec![0; 256];
    let (mut at, mut field_start, mut written) = (0, 0, 0);
    loop {
        let (result, read, wrote) = reader.read_field(&input[at..], &mut value[written..]);
        at += read;
        written += wrote;
        match result {
            // An empty slice is the end of input: the next call finishes the last field.
            ReadFieldResult::InputEmpty => {}
            ReadFieldResult::OutputFull => value.resize(value.len() * 2, 0),
            ReadFieldResult::Field { record_end } => {
                fields.push(CsvField {
                    value: String::from_utf8_lossy(&value[..written]).into_owned(),
                    span: field_span(text, field_start..at),
                });
                (field_start, written) = (at, 0);
                if record_end {
                    let span = row_span(&fields);
                    rows.push(CsvRow {
                        fields: std::mem::take(&mut fields),
                        span,
                    });
                }
            }
            ReadFieldResult::End => break,
        }
    }
    rows
}

/// The bytes a field took, less the blank lines before it (csv_core skips them as part of
/// the next field) and the comma or line ending after it.
fn field_span(text: &str, read: Range<usize>) -> Range<usize> {
    let raw = text.get(read.clone()).unwrap_or_default();
    let leading = raw.len() - raw.trim_start_matches(['\r', '\n']).len();
    let rest = &raw[leading..];
    let kept = rest
        .strip_suffix("\r\n")
        .or_else(|| rest.strip_suffix(['\n', '\r', ',']))
        .unwrap_or(rest);
    read.start + leading..read.start + leading + kept.len()
}

fn row_span(fields: &[CsvField]) -> Range<usize> {
    let start = fields.first().map_or(0, |f| f.span.start);
    let end = fields.last().map_or(start, |f| f.span.end);
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields_as_written(text: &str) -> Vec<Vec<&str>> {
        read_rows(text)
            .iter()
            .map(|row| row.fields.iter().map(|f| &text[f.span.clone()]).collect())
            .collect()
    }

    fn values(text: &str) -> Vec<Vec<String>> {
        read_rows(text)
            .into_iter()
            .map(|row| row.fields.into_iter().map(|f| f.value).collect())
            .collect()
    }

    #[test]
    fn crlf_rows_place_every_field() {
        let text = "code,name\r\nRXF,Mid Yorkshire\r\n02W,Bradford\r\n";
        assert_eq!(
            fields_as_written(text),
            [
                ["code", "name"],
                ["RXF", "Mid Yorkshire"],
                ["02W", "Bradford"]
            ]
        );
    }

    #[test]
    fn quoted_fields_keep_their_quotes_in_the_span_and_lose_them_in_the_value() {
        let text = "a,\"St Helen\"\"s, Knowsley é\",c\n";
        assert_eq!(
            fields_as_written(text),
            [["a", "\"St Helen\"\"s, Knowsley é\"", "c"]]
        );
        assert_eq!(values(text)[0][1], "St Helen\"s, Knowsley é");
    }

    #[test]
    fn a_line_break_inside_quotes_stays_in_its_field() {
        let text = "a,\"two\r\nlines\",c\r\nd,e,f\r\n";
        let rows = read_rows(text);
        assert_eq!(rows.len(), 2);
        assert!(rows[0].fields[1].spans_lines(text));
        assert_eq!(&text[rows[1].fields[0].span.clone()], "d");
    }

    #[test]
    fn blank_lines_and_excel_blank_rows() {
        let text = "a,b\n\n\r\nc,d\n,\n\n";
        let rows = read_rows(text);
        assert_eq!(fields_as_written(text), [["a", "b"], ["c", "d"], ["", ""]]);
        assert!(rows[2].is_blank());
    }

    fn limits_of(text: String) -> Option<String> {
        let file = SourceFile {
            path: "organisations.csv".into(),
            text,
        };
        beyond_limits(&file).map(|d| d.message.clone())
    }

    #[test]
    fn the_limits_are_the_last_row_and_byte_allowed() {
        let rows = |n: usize| {
            let mut text = "code,name,kind,region\r\n,,,\r\n\r\n".to_string();
            text.extend((0..n).map(|i| format!("Z{i},Body {i},other,\r\n")));
            text
        };
        assert_eq!(limits_of(rows(MAX_ROWS)), None, "blank rows do not count");
        assert_eq!(
            limits_of(rows(MAX_ROWS + 1)).as_deref(),
            Some("organisations.csv has more than 200,000 rows, the most ldr reads")
        );
        let line = |n: usize| format!("code,name\r\n{}\r\n", "x".repeat(n));
        assert_eq!(limits_of(line(MAX_LINE)), None);
        assert!(limits_of(line(MAX_LINE + 1)).is_some());
    }

    #[test]
    fn no_final_line_ending_and_long_fields() {
        let long = "x".repeat(5000);
        let text = format!("a,{long}");
        assert_eq!(values(&text), [["a".to_string(), long]]);
    }
}
