//! Inputs beyond ldr's documented limits (a content file over 32 MB, a register of more
//! than 200,000 rows, a CSV line over 4,096 bytes) are refused at once, with the limit
//! named, by `ldr build` and `ldr check`, and the previous output is left as it was.

mod common;

use std::fmt::Write;
use std::fs;

use common::Scratch;

/// The minimal site's register with `extra` more rows.
fn register_with(site: &Scratch, extra: usize) -> String {
    let mut text = fs::read_to_string(site.content().join("organisations.csv")).unwrap();
    text.push('\n');
    for i in 0..extra {
        writeln!(text, "Z{i:07},Organisation {i},other,London").unwrap();
    }
    text
}

#[test]
fn a_register_of_more_than_200_000_rows_is_refused_at_the_first_row_past_it() {
    let site = Scratch::built_minimal();
    // The minimal register has 7 rows: 199,994 more make 200,001.
    let text = register_with(&site, 199_994);
    fs::write(site.content().join("organisations.csv"), text).unwrap();
    site.refused_by_build_and_check(&[
        "organisations.csv has more than 200,000 rows, the most ldr reads",
        "content/organisations.csv:200003:1",
        "row 200,001 is past the limit",
    ]);
}

#[test]
fn a_csv_line_longer_than_4096_bytes_is_refused_at_its_line() {
    let site = Scratch::built_minimal();
    let mut text = register_with(&site, 2);
    writeln!(text, "Z9,{},other,London", "A very long name ".repeat(300)).unwrap();
    fs::write(site.content().join("organisations.csv"), text).unwrap();
    site.refused_by_build_and_check(&[
        "this line of organisations.csv is longer than 4,096 bytes",
        "content/organisations.csv:12:1",
    ]);
    let site = Scratch::built_minimal();
    let long = format!(
        "code,year,readiness,capabilities,infrastructure\nRXF,2016,1,2,{}\n",
        "3".repeat(5000)
    );
    fs::write(site.content().join("digital-maturity.csv"), long).unwrap();
    site.refused_by_build_and_check(&[
        "this line of digital-maturity.csv is longer than 4,096 bytes",
    ]);
}

#[test]
fn a_content_file_larger_than_32_mb_is_refused_unread() {
    let site = Scratch::built_minimal();
    let roadmap = site.content().join("footprints/beta/roadmap.md");
    let mut text = fs::read_to_string(&roadmap).unwrap();
    let paragraph = "A paragraph of the roadmap that goes on and on.\n\n";
    while text.len() <= 32 * 1024 * 1024 {
        text.push_str(&paragraph.repeat(10_000));
    }
    fs::write(&roadmap, text).unwrap();
    site.refused_by_build_and_check(
        &[
            "content/footprints/beta/roadmap.md is larger than 32 MB, the most ldr reads from one content file",
        ],
    );
}
