//! Names as people write them: the register's capitals become NHS.UK's names in the
//! default content (scripts/generate_default_content.py), and footprint pages name their STP.

mod common;

use std::collections::BTreeSet;
use std::process::Command;

use common::{Scratch, repo, stderr};

fn acronyms() -> BTreeSet<String> {
    std::fs::read_to_string(repo().join("data/name-acronyms.txt"))
        .unwrap()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

#[test]
fn no_word_of_the_register_is_in_capitals_unless_it_is_a_listed_acronym() {
    let acronyms = acronyms();
    assert!(acronyms.contains("NHS") && acronyms.contains("CCG"));
    let mut reader = csv::Reader::from_path(repo().join("content/organisations.csv")).unwrap();
    let mut names = 0;
    let mut capitals = BTreeSet::new();
    for row in reader.records() {
        let row = row.unwrap();
        let name = &row[1];
        names += 1;
        for word in name.split(|c: char| !(c.is_alphanumeric() || c == '\'')) {
            let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
            if letters.len() >= 2
                && letters.iter().all(|c| c.is_uppercase())
                && !acronyms.contains(word)
            {
                capitals.insert(format!("{word} (in {name})"));
            }
        }
    }
    assert_eq!(names, 596);
    assert!(
        capitals.is_empty(),
        "words in capitals that are not on data/name-acronyms.txt: {capitals:#?}"
    );
}

/// `nhs_name` of the generator, on each of `names`.
fn nhs_names(names: &[&str]) -> Vec<String> {
    let script = "import json, sys\nfrom pathlib import Path\nsys.path.insert(0, 'scripts')\nimport generate_default_content as g\nacronyms = g.read_acronyms(Path('data'))\nprint(json.dumps([g.nhs_name(n, acronyms) for n in json.loads(sys.argv[1])]))";
    let output = Command::new("python3")
        .args(["-c", script])
        .arg(serde_json::to_string(names).unwrap())
        .current_dir(repo())
        .output()
        .expect("python3 runs");
    assert!(output.status.success(), "{}", stderr(&output));
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn the_generator_writes_register_capitals_as_nhs_uk_does() {
    let cases = [
        (
            "BRADFORD TEACHING HOSPITALS NHS FOUNDATION TRUST",
            "Bradford Teaching Hospitals NHS Foundation Trust",
        ),
        (
            "CALDERDALE AND HUDDERSFIELD NHS FOUNDATION TRUST",
            "Calderdale and Huddersfield NHS Foundation Trust",
        ),
        (
            "KING'S COLLEGE HOSPITAL NHS FOUNDATION TRUST",
            "King's College Hospital NHS Foundation Trust",
        ),
        (
            "GUY'S AND ST THOMAS' NHS FOUNDATION TRUST",
            "Guy's and St Thomas' NHS Foundation Trust",
        ),
        (
            "THE NEWCASTLE UPON TYNE HOSPITALS NHS FOUNDATION TRUST",
            "The Newcastle upon Tyne Hospitals NHS Foundation Trust",
        ),
        (
            "THE QUEEN ELIZABETH HOSPITAL, KING'S LYNN, NHS FOUNDATION TRUST",
            "The Queen Elizabeth Hospital, King's Lynn, NHS Foundation Trust",
        ),
        (
            "GREAT ORMOND STREET HOSPITAL FOR CHILDREN NHS FOUNDATION TRUST",
            "Great Ormond Street Hospital for Children NHS Foundation Trust",
        ),
        (
            "2GETHER NHS FOUNDATION TRUST",
            "2gether NHS Foundation Trust",
        ),
        (
            "STOCKTON-ON-TEES BOROUGH COUNCIL",
            "Stockton-on-Tees Borough Council",
        ),
        ("MCDONALD HOUSE CIC", "McDonald House CIC"),
        ("MACKENZIE CARE CIC", "MacKenzie Care CIC"),
        (
            "MACCLESFIELD DISTRICT GENERAL HOSPITAL",
            "Macclesfield District General Hospital",
        ),
        ("O'NEILL HEALTH", "O'Neill Health"),
        // A name with lower case is the register's own spelling, and is kept.
        (
            "NHS Hartlepool and Stockton-on-Tees CCG",
            "NHS Hartlepool and Stockton-on-Tees CCG",
        ),
    ];
    let register: Vec<&str> = cases.iter().map(|(from, _)| *from).collect();
    let written = nhs_names(&register);
    for ((from, expected), got) in cases.iter().zip(&written) {
        assert_eq!(got, expected, "from {from}");
    }
}

#[test]
fn the_committed_default_content_is_what_the_generator_writes() {
    let scratch = tempfile::tempdir().unwrap();
    let output = Command::new("python3")
        .arg(repo().join("scripts/generate_default_content.py"))
        .arg(repo().join("data"))
        .arg(scratch.path())
        .output()
        .expect("python3 runs");
    assert!(output.status.success(), "{}", stderr(&output));
    let mut compared = 0;
    for entry in walkdir::WalkDir::new(scratch.path()) {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let relative = entry.path().strip_prefix(scratch.path()).unwrap();
        let committed = std::fs::read_to_string(repo().join("content").join(relative))
            .unwrap_or_else(|e| panic!("{}: {e}", relative.display()));
        assert_eq!(
            std::fs::read_to_string(entry.path()).unwrap(),
            committed,
            "content/{} differs from what the generator writes: run `python3 scripts/generate_default_content.py data content`",
            relative.display()
        );
        compared += 1;
    }
    assert_eq!(compared, 1 + 44);
}

#[test]
fn pages_show_trusts_as_people_write_them_and_footprints_name_their_stp() {
    let site = Scratch::copy_of(&repo().join("content"));
    let output = site.ldr(&["build", "--now", "2026-11-22"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let trust = site.read("organisations/RAE/index.html");
    assert!(
        trust.contains("<h1>Bradford Teaching Hospitals NHS Foundation Trust</h1>"),
        "{trust}"
    );
    let footprint = site.read("footprints/west-yorkshire/index.html");
    assert!(
        footprint.contains("Bradford Teaching Hospitals NHS Foundation Trust</a>"),
        "{footprint}"
    );
    assert!(
        footprint.contains(
            "<dt class=\"summary-list__key\">Sustainability and Transformation Plan (STP)</dt><dd class=\"summary-list__value\">West Yorkshire <code class=\"ods-code\">E54000005</code></dd>"
        ),
        "{footprint}"
    );
    let humber = site.read("footprints/humber-coast-and-vale/index.html");
    assert!(humber.contains("Humber, Coast and Vale <code class=\"ods-code\">E54000006</code>"));
}
