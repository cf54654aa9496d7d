//! What ldr publishes is well-formed and safe by each format's own rules, whatever the
//! content says: CSV cells are never formulas, feeds and sitemaps are XML, calendars are
//! RFC 5545, and settings are checked before they reach any of them.

mod common;

use std::fs;

use common::{Scratch, stderr};

/// Cells an attacker would name an organisation, as OWASP lists them, and their
/// variations: after spaces, and in full-width forms.
const FORMULAS: [&str; 7] = [
    "=HYPERLINK(\"https://evil.test/\",\"Click\")",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "  =1+1",
    "＝1+1",
];

fn site_with_formula_names() -> Scratch {
    let site = Scratch::minimal();
    let register = site.content().join("organisations.csv");
    let mut csv = csv::Writer::from_writer(Vec::new());
    csv.write_record(["code", "name", "kind", "region"])
        .unwrap();
    let text = fs::read_to_string(&register).unwrap();
    for (i, line) in text.lines().skip(1).enumerate() {
        let fields: Vec<&str> = line.split(',').collect();
        let name = FORMULAS.get(i).copied().unwrap_or(fields[1]);
        csv.write_record([fields[0], name, fields[2], fields[3]])
            .unwrap();
    }
    fs::write(&register, csv.into_inner().unwrap()).unwrap();
    fs::write(
        site.content().join("digital-maturity.csv"),
        "code,year,readiness,capabilities,infrastructure\nRXF,2016,50,60,70\n",
    )
    .unwrap();
    site
}

/// Every cell of the CSV file at `path` in the site, read back by a CSV parser.
fn cells(site: &Scratch, path: &str) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(site.output().join(path))
        .unwrap();
    reader
        .records()
        .flat_map(|r| r.unwrap().iter().map(str::to_string).collect::<Vec<_>>())
        .collect()
}

#[test]
fn no_cell_of_a_published_csv_is_a_formula() {
    let site = site_with_formula_names();
    let output = site.build();
    assert!(output.status.success(), "{}", stderr(&output));
    let mut seen = 0;
    for path in ["data/organisations.csv", "data/digital-maturity.csv"] {
        for cell in cells(&site, path) {
            let first = cell.trim_start_matches(' ').chars().next();
            assert!(
                !matches!(
                    first,
                    Some('=' | '+' | '-' | '@' | '\t' | '\r' | '＝' | '＋' | '－' | '＠')
                ),
                "{path}: {cell:?} is a formula"
            );
            if FORMULAS
                .iter()
                .any(|f| cell == format!("'{}", f.trim_start_matches('\t')))
            {
                seen += 1;
            }
        }
    }
    // Each name is kept, behind the apostrophe: in organisations.csv, and the trust's in
    // digital-maturity.csv too.
    assert!(seen >= FORMULAS.len(), "{seen} names kept");
}
