//! The settings of `site.toml` (and `--base-url`) that reach every page, feed, sitemap and
//! calendar: checked like content, since a line break or a `javascript:` address here would
//! be copied into all of them.

/// The site's address as every output joins it (`{base_url}{path}`): an absolute `http` or
/// `https` URL with a host and at most a path, written without its trailing slash. The
/// error says what is wrong in words for the settings file and the command line alike.
pub(crate) fn base_url(text: &str) -> Result<String, String> {
    // The URL parser drops tabs and line breaks without a word (as browsers do); here they
    // are a mistake, and the text would be published elsewhere as it was typed.
    if let Some(c) = text.chars().find(|c| c.is_control() || c.is_whitespace()) {
        return Err(format!(
            "the address holds {}; write it on one line, without spaces",
            describe(c)
        ));
    }
    let url = url::Url::parse(text).map_err(|e| match e {
        url::ParseError::RelativeUrlWithoutBase => {
            "it is not an absolute address: write it with its scheme, like https://roadmaps.example.org".to_string()
        }
        other => format!("it is not an address ({other})"),
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!(
            "a `{}:` address is not a web address: the site is published at an http or https one",
            url.scheme()
        ));
    }
    // The parser reads `https:///path` as the host `path`; a host must follow the `//`.
    let after_scheme = text.split_once("://").map_or("", |(_, rest)| rest);
    if url.host_str().is_none_or(str::is_empty)
        || after_scheme.is_empty()
        || after_scheme.starts_with('/')
    {
        return Err("the address names no host".into());
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(
            "the address holds a user name or password, which every page would publish".into(),
        );
    }
    if url.query().is_some() || text.contains('?') {
        return Err("the address holds a query (`?...`); give only the host and path".into());
    }
    if url.fragment().is_some() || text.contains('#') {
        return Err("the address holds a fragment (`#...`); give only the host and path".into());
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

/// The team's address, for `mailto:` links and the pages that name it: the plain form
/// `name@example.org` only. Written by hand because the address crates accept every form
/// RFC 5322 allows (quoted names, comments, spaces), which an HTML attribute or a link
/// would have to escape, and a publishing team never needs.
pub(crate) fn contact_email(text: &str) -> Result<(), String> {
    let help = "write a plain address such as team@example.org";
    let Some((local, domain)) = text.split_once('@') else {
        return Err(format!("it is not an email address (no `@`); {help}"));
    };
    let local_ok = !local.is_empty()
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._+-".contains(c));
    if !local_ok {
        return Err(format!(
            "`{}` before the `@` is not a plain mailbox name (letters, digits, `.`, `_`, `+` and `-`); {help}",
            local.escape_debug()
        ));
    }
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    if !domain_ok {
        return Err(format!(
            "`{}` after the `@` is not a domain such as example.org; {help}",
            domain.escape_debug()
        ));
    }
    Ok(())
}

/// The pages' language, for `lang` attributes: a BCP 47 tag such as `en-GB` or `cy`.
pub(crate) fn language(text: &str) -> Result<(), String> {
    oxilangtag::LanguageTag::parse(text)
        .map(|_| ())
        .map_err(|e| {
            format!("it is not a BCP 47 language tag ({e}); write one such as en-GB or cy")
        })
}

fn describe(c: char) -> String {
    match c {
        '\n' => "a line break".into(),
        '\r' => "a carriage return".into(),
        '\t' => "a tab".into(),
        ' ' => "a space".into(),
        other => format!("the character U+{:04X}", other as u32),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_is_an_http_address_with_at_most_a_path() {
        assert_eq!(base_url("https://a.example/").unwrap(), "https://a.example");
        assert_eq!(
            base_url("https://a.example/ldr/").unwrap(),
            "https://a.example/ldr"
        );
        assert_eq!(
            base_url("http://127.0.0.1:1111").unwrap(),
            "http://127.0.0.1:1111"
        );
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)//https://a.example",
            "data:text/html,x",
            "https://a.example\r\nDisallow: /",
            "https://a.example/\nBEGIN:VEVENT",
            " https://a.example",
            "//a.example",
            "a.example",
            "https://user:secret@a.example",
            "https://a.example/?q=1",
            "https://a.example/#top",
            "ftp://a.example",
            "https:///path",
            "",
        ] {
            assert!(base_url(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn contact_email_is_a_plain_address() {
        assert!(contact_email("team@example.org").is_ok());
        assert!(contact_email("first.last+ldr@nhs.example.uk").is_ok());
        for bad in [
            "team",
            "team@",
            "@example.org",
            "team@localhost",
            "\"><script>alert(1)</script>@example.org",
            "team@example.org\" onmouseover=\"x",
            "team@example.org\r\nBcc: x@y.z",
            "a b@example.org",
            "team@exa_mple.org",
            "javascript:alert(1)//@example.org",
        ] {
            assert!(contact_email(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn language_is_a_bcp_47_tag() {
        for good in ["en-GB", "en", "cy", "zh-Hant-HK"] {
            assert!(language(good).is_ok(), "{good}");
        }
        for bad in ["en_GB", "english!", "en\" onload=\"x", "", "en-GB\n"] {
            assert!(language(bad).is_err(), "{bad:?} was accepted");
        }
    }
}
