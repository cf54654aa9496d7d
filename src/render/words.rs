//! The template filters for words: `count` ("1 footprint"), `region_phrase` ("the North of
//! England") and `term`, which spells an acronym out from the glossary ("clinical
//! commissioning group (CCG)") where a page first uses it.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;
use tera::{Error, Kwargs, State, Tera, TeraResult, Value};

/// One acronym in words, singular and plural.
#[derive(Deserialize)]
struct Term {
    one: String,
    other: String,
}

/// The glossary, read once from the TOML compiled in (its unit test proves it parses).
fn glossary() -> &'static BTreeMap<String, Term> {
    static GLOSSARY: OnceLock<BTreeMap<String, Term>> = OnceLock::new();
    GLOSSARY.get_or_init(|| toml::from_str(include_str!("glossary.toml")).unwrap_or_default())
}

/// Adds the filters to `tera`.
pub(crate) fn register(tera: &mut Tera) {
    tera.register_filter("count", count);
    tera.register_filter("noun", noun);
    tera.register_filter("region_phrase", region_phrase);
    tera.register_filter("term", term);
}

/// `{{ n | count(one="footprint", other="footprints") }}`: "1 footprint", "2 footprints".
fn count(value: Value, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    let n = value
        .as_i128()
        .and_then(|n| usize::try_from(n).ok())
        .ok_or_else(|| {
            Error::message(format!(
                "count needs a whole number, not `{}`: write `{{{{ n | count(one=\"footprint\", \
                 other=\"footprints\") }}}}` where n is a number or `list | length`",
                value.name()
            ))
        })?;
    let noun = |name: &str| -> TeraResult<String> {
        kwargs
            .get::<&str>(name)?
            .map(str::to_string)
            .ok_or_else(|| {
                Error::message(format!(
                    "count needs `{name}=`: give both forms, as in `count(one=\"story\", \
                 other=\"stories\")`"
                ))
            })
    };
    Ok(crate::words::count(n, &noun("one")?, &noun("other")?))
}

/// `{{ n | noun(one="footprint", other="footprints") }}`: the noun alone, for a figure whose
/// number is set apart ("footprint" after a large "1").
fn noun(value: Value, kwargs: Kwargs, state: &State) -> TeraResult<String> {
    let counted = count(value, kwargs, state)?;
    Ok(counted
        .split_once(' ')
        .map_or(counted.clone(), |(_, noun)| noun.to_string()))
}

/// `{{ region | region_phrase }}`: "the North of England", "London".
fn region_phrase(region: &str, _: Kwargs, _: &State) -> String {
    crate::words::region_phrase(region)
}

/// `{{ "CCGs" | term }}`: "clinical commissioning groups (CCGs)"; with `start=true` the
/// first letter is a capital, for the start of a sentence or heading.
fn term(acronym: &str, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    let (key, plural) = match glossary().get(acronym) {
        Some(_) => (acronym, false),
        None => (acronym.strip_suffix('s').unwrap_or(acronym), true),
    };
    let entry = glossary().get(key).ok_or_else(|| {
        let known: Vec<&str> = glossary().keys().map(String::as_str).collect();
        Error::message(format!(
            "`{acronym}` is not in the glossary; the terms are {}: write one of them, or its \
             plural with an s",
            known.join(", ")
        ))
    })?;
    let words = if plural { &entry.other } else { &entry.one };
    let words = match kwargs.get::<bool>("start")? {
        Some(true) => capitalise(words),
        _ => words.clone(),
    };
    Ok(format!("{words} ({acronym})"))
}

fn capitalise(words: &str) -> String {
    let mut chars = words.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_glossary_parses_and_spells_every_term_out() {
        let parsed: BTreeMap<String, Term> =
            toml::from_str(include_str!("glossary.toml")).expect("glossary.toml parses");
        assert!(parsed.len() >= 6);
        assert_eq!(parsed.len(), glossary().len());
        for (acronym, term) in &parsed {
            assert!(!term.one.is_empty() && !term.other.is_empty(), "{acronym}");
        }
    }

    #[test]
    fn terms_and_counts_render_in_templates() {
        let mut tera = Tera::new();
        register(&mut tera);
        tera.add_raw_template(
            "t",
            "{{ 'CCG' | term }}; {{ 'CCGs' | term(start=true) }}; {{ 1 | count(one='story', other='stories') }}; {{ 3 | count(one='story', other='stories') }}; in {{ 'North of England' | region_phrase }}",
        )
        .unwrap();
        let text = tera.render("t", &tera::Context::new()).unwrap();
        assert_eq!(
            text,
            "clinical commissioning group (CCG); Clinical commissioning groups (CCGs); 1 story; 3 stories; in the North of England"
        );
        tera.add_raw_template("bad", "{{ 'XYZ' | term }}").unwrap();
        let error = tera.render("bad", &tera::Context::new()).unwrap_err();
        assert!(
            format!("{error:?}").contains("not in the glossary"),
            "{error:?}"
        );
    }
}
