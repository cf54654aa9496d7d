//! The organisation registry: CCGs, NHS trusts, councils and others, by ODS or GSS code.

use std::collections::HashMap;

use rustc_hash::FxHashMap;

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Diagnostics, Location};
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

#[derive(Debug, Clone)]
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

/// Every organisation once, looked up by code.
#[derive(Debug, Default)]
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
        let mut registry = Registry::default();
        let mut first_place: HashMap<&str, Location> = HashMap::new();
        for register in registers {
            let file = register.file;
            for row in register.rows {
                let here = file.locate(row.code_span.clone());
                if let Some(first) = first_place.get(row.code.as_str()) {
                    problems.push(
                        Diagnostic::error(format!("organisation `{}` is listed twice", row.code))
                            .at(here)
                            .label("listed again here")
                            .note("first listed here", first.clone())
                            .help("keep one row per code"),
                    );
                    continue;
                }
                first_place.insert(&row.code, here);
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
                registry.organisations.push(Organisation {
                    code: OdsCode(row.code.clone()),
                    name: row.name.clone(),
                    kind: OrganisationKind::parse(&row.kind),
                    region: (!row.region.is_empty()).then(|| row.region.clone()),
                    example: register.example,
                });
            }
        }
        registry
    }

    /// The real organisations: those of `organisations.csv`, not the illustrative examples.
    pub fn real(&self) -> impl Iterator<Item = &Organisation> {
        self.organisations.iter().filter(|o| !o.example)
    }

    /// The organisation a typed code names, if any.
    pub fn resolve(&self, typed: &str) -> Option<&Organisation> {
        self.by_code.get(typed).map(|&i| &self.organisations[i])
    }

    /// Looks up a code that has already been resolved.
    pub fn get(&self, code: &OdsCode) -> &Organisation {
        &self.organisations[self.by_code[code.as_str()]]
    }

    pub fn iter(&self) -> impl Iterator<Item = &Organisation> {
        self.organisations.iter()
    }

    pub fn len(&self) -> usize {
        self.organisations.len()
    }

    pub fn is_empty(&self) -> bool {
        self.organisations.is_empty()
    }
}
