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

/// `html` (a Markdown body, rendered) with the first use of each glossary acronym in its
/// text spelled out as NHS.UK writes it, "clinical commissioning groups (CCGs)", unless the
/// writer spelled it out there already. An editor writes "CCG" and the page reads right;
/// code, preformatted text and tags are left as they are. Written by hand: this is a scan
/// of text between tags for whole words, which no HTML crate does without a parse and a
/// re-serialisation that would change the rest of the markup.
pub(crate) fn spell_out_first_uses(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + 64);
    let mut seen: Vec<&str> = Vec::new();
    // Depth inside <code> or <pre>, whose text is shown as written.
    let mut verbatim = 0usize;
    let mut rest = html;
    while !rest.is_empty() {
        if rest.starts_with('<') {
            let end = rest.find('>').map_or(rest.len(), |i| i + 1);
            let tag = &rest[..end];
            let name: String = tag
                .trim_start_matches(['<', '/'])
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_ascii_lowercase();
            if name == "code" || name == "pre" {
                if tag.starts_with("</") {
                    verbatim = verbatim.saturating_sub(1);
                } else {
                    verbatim += 1;
                }
            }
            out.push_str(tag);
            rest = &rest[end..];
            continue;
        }
        let end = rest.find('<').unwrap_or(rest.len());
        let text = &rest[..end];
        if verbatim == 0 {
            spell_out_in(text, &mut seen, &mut out);
        } else {
            out.push_str(text);
        }
        rest = &rest[end..];
    }
    out
}

/// One run of text, with the first use of each acronym not in `seen` spelled out.
fn spell_out_in<'g>(text: &str, seen: &mut Vec<&'g str>, out: &mut String) {
    let bytes = text.as_bytes();
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        let starts_word = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        if !(starts_word && bytes[i].is_ascii_uppercase()) {
            i += 1;
            continue;
        }
        let word_end = i + bytes[i..]
            .iter()
            .position(|b| !b.is_ascii_alphanumeric())
            .unwrap_or(bytes.len() - i);
        let word = &text[i..word_end];
        let found = glossary()
            .get_key_value(word)
            .map(|(k, t)| (k, t, false))
            .or_else(|| {
                let singular = word.strip_suffix('s')?;
                glossary()
                    .get_key_value(singular)
                    .map(|(k, t)| (k, t, true))
            });
        if let Some((key, term, plural)) = found {
            let key: &'g str = key.as_str();
            if !seen.contains(&key) {
                seen.push(key);
                let before = text[..i].trim_end().to_lowercase();
                let spelled = [&term.one, &term.other]
                    .iter()
                    .any(|w| before.ends_with(&format!("{} (", w.to_lowercase())));
                if !spelled {
                    let words = if plural { &term.other } else { &term.one };
                    let starts_sentence = text[..i]
                        .trim_end()
                        .chars()
                        .last()
                        .is_none_or(|c| matches!(c, '.' | '!' | '?' | ':'));
                    let words = if starts_sentence {
                        capitalise(words)
                    } else {
                        words.clone()
                    };
                    out.push_str(&with_article_for(&text[copied..i], &words));
                    out.push_str(&words);
                    out.push_str(" (");
                    out.push_str(word);
                    out.push(')');
                    copied = word_end;
                }
            }
        }
        i = word_end;
    }
    out.push_str(&text[copied..]);
}

/// `before` with a last word "a" or "an" made to agree with `words`, which now follow it:
/// "an STP" becomes "a Sustainability and Transformation Plan (STP)".
fn with_article_for(before: &str, words: &str) -> String {
    let trimmed = before.trim_end();
    let gap = &before[trimmed.len()..];
    let start = trimmed
        .char_indices()
        .rev()
        .find(|(_, c)| !c.is_alphabetic())
        .map_or(0, |(i, c)| i + c.len_utf8());
    let last = &trimmed[start..];
    if gap.is_empty() || !(last.eq_ignore_ascii_case("a") || last.eq_ignore_ascii_case("an")) {
        return before.to_string();
    }
    let vowel = words
        .chars()
        .next()
        .is_some_and(|c| "aeiouAEIOU".contains(c));
    let article = match (vowel, last.starts_with('A')) {
        (true, true) => "An",
        (true, false) => "an",
        (false, true) => "A",
        (false, false) => "a",
    };
    format!("{}{article}{gap}", &trimmed[..start])
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
    fn the_first_use_of_each_acronym_in_a_body_is_spelled_out_once() {
        let html = "<p>CCGs chose footprints. Each CCG had an <code>STP</code>, an STP.</p>\
                    <p>Every Local Digital Roadmap (LDR) had one LDR.</p><pre>ODS</pre>";
        assert_eq!(
            spell_out_first_uses(html),
            "<p>Clinical commissioning groups (CCGs) chose footprints. Each CCG had an \
             <code>STP</code>, a Sustainability and Transformation Plan (STP).</p>\
             <p>Every Local Digital Roadmap (LDR) had one LDR.</p><pre>ODS</pre>"
        );
        // Words that only start like an acronym are left alone.
        let other = "<p>CCGX and SCCG, then an ODS code and a LDR</p>";
        assert_eq!(
            spell_out_first_uses(other),
            "<p>CCGX and SCCG, then an Organisation Data Service (ODS) code and a Local \
             Digital Roadmap (LDR)</p>"
        );
    }

    #[test]
    fn acronyms_after_letters_of_several_bytes_are_spelled_out_without_a_panic() {
        // Curly quotes, dashes and no-break spaces, as pasted from Word.
        for (html, shown) in [
            (
                "<p>\u{201c}CCG\u{201d}</p>",
                "\u{201c}clinical commissioning group (CCG)\u{201d}",
            ),
            (
                "<p>the partners\u{2019} CCG</p>",
                "partners\u{2019} clinical commissioning group (CCG)",
            ),
            (
                "<p>plan\u{2014}CCG</p>",
                "plan\u{2014}clinical commissioning group (CCG)",
            ),
            (
                "<p>caf\u{e9}\u{a0}an STP</p>",
                "a Sustainability and Transformation Plan (STP)",
            ),
        ] {
            let spelled = spell_out_first_uses(html);
            assert!(spelled.contains(shown), "{html}: {spelled}");
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
