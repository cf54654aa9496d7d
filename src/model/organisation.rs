//! The organisation registry: CCGs, NHS trusts, councils and others, by ODS or GSS code.

use rustc_hash::FxHashMap;

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::{OrganisationRow, SourceFile};

/// A code that has been found in the registry. Only [`Registry::resolve`] makes one, so a
/// footprint can never hold a code that names no organisation.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct OdsCode(String);

impl OdsCode {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for OdsCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum OrganisationKind {
    Ccg,
    Trust,
    LocalAuthority,
    Other,
}

impl OrganisationKind {
    fn parse(kind: &str) -> Self {
        match kind {
            "ccg" => OrganisationKind::Ccg,
            "trust" => OrganisationKind::Trust,
            "local-authority" => OrganisationKind::LocalAuthority,
            _ => OrganisationKind::Other,
        }
    }

    /// How the site names the kind, singular.
    pub fn label(self) -> &'static str {
        match self {
            OrganisationKind::Ccg => "Clinical commissioning group",
            OrganisationKind::Trust => "NHS trust",
            OrganisationKind::LocalAuthority => "Local authority",
            OrganisationKind::Other => "Other organisation",
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            OrganisationKind::Ccg => "ccg",
            OrganisationKind::Trust => "trust",
            OrganisationKind::LocalAuthority => "local-authority",
            OrganisationKind::Other => "other",
        }
    }
}

/// What kind of council an area has, read from its GSS code: the code's first three
/// characters name the kind of area, and the City of London and the Isles of Scilly, whose
/// councils are each of a kind of their own, are named by their codes. Nothing else is
/// derived: the site names a council by its area, as the register does, and never makes up
/// a formal name ("Warwickshire: county council", not "Warwickshire County Council").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CouncilKind {
    /// E10: a non-metropolitan county.
    County,
    /// E08: a metropolitan district.
    MetropolitanDistrict,
    /// E09, but for the City of London.
    LondonBorough,
    /// E06, but for the Isles of Scilly.
    Unitary,
    /// E09000001: the City of London.
    CityOfLondon,
    /// E06000053: the Isles of Scilly.
    IslesOfScilly,
}

impl CouncilKind {
    /// The kind of council of the area with GSS code `code`, if the code says it.
    pub fn from_gss(code: &str) -> Option<CouncilKind> {
        match code {
            "E09000001" => return Some(CouncilKind::CityOfLondon),
            "E06000053" => return Some(CouncilKind::IslesOfScilly),
            _ => {}
        }
        if code.len() != 9 || !code[3..].bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        match &code[..3] {
            "E10" => Some(CouncilKind::County),
            "E08" => Some(CouncilKind::MetropolitanDistrict),
            "E09" => Some(CouncilKind::LondonBorough),
            "E06" => Some(CouncilKind::Unitary),
            _ => None,
        }
    }

    /// How the site names the kind, after the area's name ("Warwickshire: county council").
    pub fn label(self) -> &'static str {
        match self {
            CouncilKind::County => "county council",
            CouncilKind::MetropolitanDistrict => "metropolitan district council",
            CouncilKind::LondonBorough => "London borough",
            CouncilKind::Unitary => "unitary authority",
            CouncilKind::CityOfLondon => "City of London Corporation",
            CouncilKind::IslesOfScilly => "Council of the Isles of Scilly",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Organisation {
    pub code: OdsCode,
    pub name: String,
    pub kind: OrganisationKind,
    /// NHS England region; `None` where the data does not give one.
    pub region: Option<String>,
    /// An illustrative example from `example-organisations.csv`, not a real organisation:
    /// its page says so, and it is left out of the counts, the A to Z, the search index
    /// and the exported register.
    pub example: bool,
}

impl Organisation {
    /// The organisation a register's row lists.
    fn listed(row: &OrganisationRow, example: bool) -> Organisation {
        Organisation {
            code: OdsCode(row.code.clone()),
            name: row.name.clone(),
            kind: OrganisationKind::parse(&row.kind),
            region: (!row.region.is_empty()).then(|| row.region.clone()),
            example,
        }
    }

    /// Which register the code is from: a local authority's is a GSS code; another
    /// body's is a GSS code when it has that shape (a letter and eight digits, such as a
    /// combined authority's), and otherwise taken to be an ODS code.
    pub fn code_scheme(&self) -> &'static str {
        let code = self.code.as_str().as_bytes();
        let gss_shaped = code.len() == 9
            && code[0].is_ascii_uppercase()
            && code[1..].iter().all(u8::is_ascii_digit);
        match self.kind {
            OrganisationKind::LocalAuthority => "GSS code",
            OrganisationKind::Other if gss_shaped => "GSS code",
            OrganisationKind::Ccg | OrganisationKind::Trust | OrganisationKind::Other => "ODS code",
        }
    }

    /// The kind of council, for a local authority whose GSS code says it.
    pub fn council_kind(&self) -> Option<CouncilKind> {
        match self.kind {
            OrganisationKind::LocalAuthority => CouncilKind::from_gss(self.code.as_str()),
            _ => None,
        }
    }

    /// The kind as a reader sees it: "Local authority: county council" where the code says
    /// which kind of council, else the kind's label.
    pub fn kind_label(&self) -> String {
        match self.council_kind() {
            Some(council) => format!("{}: {}", self.kind.label(), council.label()),
            None => self.kind.label().to_string(),
        }
    }
}

/// Every organisation once, looked up by code.
#[derive(Debug, Default, PartialEq)]
pub struct Registry {
    organisations: Vec<Organisation>,
    /// Looked up for every member of every page: a fast non-cryptographic hash (the keys
    /// are codes from our own content, not from an attacker).
    by_code: FxHashMap<String, usize>,
}

/// One register file: its rows, and whether they are illustrative examples.
pub struct Register<'a> {
    pub file: &'a SourceFile,
    pub rows: &'a [OrganisationRow],
    pub example: bool,
}

impl Registry {
    /// Every organisation of the registers, in their order: `organisations.csv`, then
    /// `example-organisations.csv`. A code may be listed once across both.
    pub fn from_rows(
        registers: &[Register],
        regions: &[String],
        problems: &mut Diagnostics,
    ) -> Registry {
        let rows: usize = registers.iter().map(|r| r.rows.len()).sum();
        let mut registry = Registry {
            organisations: Vec::with_capacity(rows),
            by_code: FxHashMap::with_capacity_and_hasher(rows, Default::default()),
        };
        // Where each code was first listed, located only for an error: locating every row
        // counts lines from the start of the file, which made this stage quadratic. Keyed in
        // lower case: `abc1` and `ABC1` would be one folder of the site on macOS and Windows.
        let mut first_place: FxHashMap<String, (&SourceFile, &OrganisationRow)> =
            FxHashMap::with_capacity_and_hasher(rows, Default::default());
        for register in registers {
            let file = register.file;
            for row in register.rows {
                let key = row.code.to_ascii_lowercase();
                if let Some((first_file, first)) = first_place.get(&key) {
                    let (message, help) = if first.code == row.code {
                        (
                            format!("organisation `{}` is listed twice", row.code),
                            "keep one row per code".to_string(),
                        )
                    } else {
                        (
                            format!(
                                "organisation codes `{}` and `{}` differ only in case",
                                first.code, row.code
                            ),
                            format!(
                                "codes are one organisation's address, and addresses that differ only in case are one folder on macOS and Windows: keep one row, with the code written as ODS writes it (`{}`)",
                                row.code.to_ascii_uppercase()
                            ),
                        )
                    };
                    problems.push(
                        Diagnostic::error(message)
                            .at(file.locate(row.code_span.clone()))
                            .label("listed again here")
                            .note(
                                "first listed here",
                                first_file.locate(first.code_span.clone()),
                            )
                            .help(help),
                    );
                    continue;
                }
                first_place.insert(key, (file, row));
                if !row.region.is_empty() && !regions.contains(&row.region) {
                    problems.push(
                        Diagnostic::error(format!("unknown region `{}`", row.region))
                            .at(file.locate(row.region_span.clone()))
                            .help(super::region_help(&row.region, regions)),
                    );
                }
                registry
                    .by_code
                    .insert(row.code.clone(), registry.organisations.len());
                registry
                    .organisations
                    .push(Organisation::listed(row, register.example));
            }
        }
        registry
    }

    /// The real organisations: those of `organisations.csv`, not the illustrative examples.
    pub fn real(&self) -> impl Iterator<Item = &Organisation> {
        self.organisations
            .iter()
            .filter(|o| super::Illustrative::counts_as_real(*o))
    }

    /// The organisation a typed code names, if any.
    pub fn resolve(&self, typed: &str) -> Option<&Organisation> {
        self.by_code.get(typed).map(|&i| &self.organisations[i])
    }

    /// `rows` of `organisations.csv`, edited, in place of the organisations of the same
    /// codes, each as its place and new version; `None` when a row names a code that is not
    /// a real organisation of the register, another kind, or a region `regions` lacks (a
    /// full load reports that).
    pub fn edited(
        &self,
        rows: &[OrganisationRow],
        regions: &[String],
    ) -> Option<Vec<(usize, Organisation)>> {
        rows.iter()
            .map(|row| {
                let index = *self.by_code.get(&row.code)?;
                let old = &self.organisations[index];
                let new = Organisation::listed(row, false);
                let fits = !old.example
                    && new.kind == old.kind
                    && new
                        .region
                        .as_ref()
                        .is_none_or(|region| regions.contains(region));
                fits.then_some((index, new))
            })
            .collect()
    }

    /// The organisation at `index`.
    pub fn at(&self, index: usize) -> &Organisation {
        &self.organisations[index]
    }

    /// Puts `organisation` in place of the one at `index`, whose code it has.
    pub fn replace(&mut self, index: usize, organisation: Organisation) {
        self.organisations[index] = organisation;
    }

    /// Looks up a code that has already been resolved.
    pub fn get(&self, code: &OdsCode) -> &Organisation {
        &self.organisations[self.by_code[code.as_str()]]
    }

    pub fn iter(&self) -> impl Iterator<Item = &Organisation> {
        self.organisations.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_called_gss_or_ods_by_the_kind_and_its_shape() {
        let body = |code: &str, kind: OrganisationKind| Organisation {
            code: OdsCode(code.into()),
            name: "A body".into(),
            kind,
            region: None,
            example: false,
        };
        let cases = [
            ("E08000018", OrganisationKind::LocalAuthority, "GSS code"),
            ("W06000001", OrganisationKind::LocalAuthority, "GSS code"),
            ("E47000001", OrganisationKind::Other, "GSS code"),
            ("X99", OrganisationKind::Other, "ODS code"),
            ("0DF", OrganisationKind::Other, "ODS code"),
            ("RF4", OrganisationKind::Trust, "ODS code"),
            ("E4700000", OrganisationKind::Other, "ODS code"),
        ];
        for (code, kind, scheme) in cases {
            assert_eq!(body(code, kind).code_scheme(), scheme, "{code}");
        }
    }

    #[test]
    fn a_gss_code_says_what_kind_of_council_an_area_has() {
        assert_eq!(
            CouncilKind::from_gss("E10000031"),
            Some(CouncilKind::County)
        );
        assert_eq!(
            CouncilKind::from_gss("E08000001"),
            Some(CouncilKind::MetropolitanDistrict)
        );
        assert_eq!(
            CouncilKind::from_gss("E09000025"),
            Some(CouncilKind::LondonBorough)
        );
        assert_eq!(
            CouncilKind::from_gss("E06000029"),
            Some(CouncilKind::Unitary)
        );
        assert_eq!(
            CouncilKind::from_gss("E09000001"),
            Some(CouncilKind::CityOfLondon)
        );
        assert_eq!(
            CouncilKind::from_gss("E06000053"),
            Some(CouncilKind::IslesOfScilly)
        );
        // A district, a Welsh area, an ODS code: the code does not say.
        assert_eq!(CouncilKind::from_gss("E07000001"), None);
        assert_eq!(CouncilKind::from_gss("W06000001"), None);
        assert_eq!(CouncilKind::from_gss("E10"), None);
        assert_eq!(CouncilKind::from_gss("RBT"), None);
    }

    #[test]
    fn only_a_local_authority_has_a_council_kind() {
        let organisation = |code: &str, kind| Organisation {
            code: OdsCode(code.into()),
            name: "Warwickshire".into(),
            kind,
            region: None,
            example: false,
        };
        let council = organisation("E10000031", OrganisationKind::LocalAuthority);
        assert_eq!(council.kind_label(), "Local authority: county council");
        let trust = organisation("E10000031", OrganisationKind::Trust);
        assert_eq!(trust.council_kind(), None);
        assert_eq!(trust.kind_label(), "NHS trust");
    }
}
