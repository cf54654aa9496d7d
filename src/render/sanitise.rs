//! The second line of the HTML policy: ammonia cleans the HTML rendered from Markdown,
//! configured from the same allow-list the model's check refuses by
//! ([`crate::model::html_policy`]). The check should leave it nothing to do; if a
//! construct ever slips past the check, it is removed here and never reaches a page.
//! Texts with nothing it could remove skip it (see `render::markdown`).

use std::borrow::Cow;
use std::sync::LazyLock;

use crate::model::html_policy;

static SANITISER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| builder(None));

/// Internal addresses as written in a text's raw HTML, and the site's URL for each
/// (already under the site's path), which the sanitiser writes in their place.
pub(crate) type Rewrites = std::collections::HashMap<String, String>;

fn builder(rewrites: Option<Rewrites>) -> ammonia::Builder<'static> {
    let mut builder = ammonia::Builder::default();
    builder
        .tags(html_policy::ELEMENTS.iter().copied().collect())
        .clean_content_tags(["script", "style"].into_iter().collect())
        .generic_attributes(html_policy::GLOBAL_ATTRIBUTES.iter().copied().collect())
        .tag_attributes(
            html_policy::ELEMENT_ATTRIBUTES
                .iter()
                .map(|(element, attributes)| (*element, attributes.iter().copied().collect()))
                .collect(),
        )
        .url_schemes(html_policy::URL_SCHEMES.iter().copied().collect())
        .url_relative(ammonia::UrlRelative::PassThrough)
        // No `rel="noopener noreferrer"` on every link: content cannot set `target`, so
        // no link opens a window that could reach back, and internal links keep their
        // referrer for the site's own statistics.
        .link_rel(None)
        .attribute_filter(move |element, attribute, value| {
            if html_policy::value_problem(element, attribute, value).is_some() {
                return None;
            }
            let rewritten = html_policy::URL_ATTRIBUTES
                .contains(&attribute)
                .then(|| rewrites.as_ref()?.get(value))
                .flatten();
            Some(match rewritten {
                Some(url) => Cow::Owned(url.clone()),
                None => Cow::Borrowed(value),
            })
        });
    builder
}

/// [`sanitise`], with the internal addresses of raw HTML (`<a href="../pages/about.md">`)
/// written as the site's URLs, as Markdown links are.
pub fn sanitise_with_rewrites(html: &str, rewrites: Rewrites) -> String {
    builder(Some(rewrites)).clean(html).to_string()
}

/// `html` with everything the HTML policy does not allow taken out.
pub fn sanitise(html: &str) -> String {
    SANITISER.clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::sanitise;

    #[test]
    fn allowed_html_is_left_as_it_is() {
        for html in [
            "<table>\n<thead>\n<tr>\n<th class=\"align-right\">Year</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td colspan=\"2\">2018</td>\n</tr>\n</tbody>\n</table>\n",
            "<details><summary>More</summary><p>Text</p></details>",
            "<p><abbr title=\"Integrated Digital Care Record\">IDCR</abbr> x<sup>2</sup><br>y</p>",
            "<p><img src=\"plan.png\" alt=\"The plan\" width=\"200\"></p>",
            "<h2 id=\"vision\">Vision</h2>\n<p><a href=\"/about/\" title=\"About\">about</a> <a href=\"https://example.org/\">x</a></p>",
            "<pre><code class=\"language-toml\">a = 1\n</code></pre>",
            "<p>a<sup class=\"footnote-reference\"><a href=\"#1\">1</a></sup></p>\n<div class=\"footnote-definition\" id=\"1\"><sup class=\"footnote-definition-label\">1</sup>\n<p>note</p>\n</div>\n",
            "<ol start=\"3\">\n<li>three</li>\n</ol>",
        ] {
            assert_eq!(sanitise(html), html);
        }
    }

    #[test]
    fn what_the_policy_refuses_is_removed() {
        for (html, clean) in [
            ("<p>a<script>alert(1)</script></p>", "<p>a</p>"),
            ("<img src=\"x\" onerror=\"alert(1)\">", "<img src=\"x\">"),
            ("<a href=\"JaVaScRiPt:alert(1)\">x</a>", "<a>x</a>"),
            ("<a href=\"java&#x09;script:alert(1)\">x</a>", "<a>x</a>"),
            (
                "<p style=\"color:red\" class=\"MsoNormal\">x</p>",
                "<p>x</p>",
            ),
            ("<iframe src=\"https://example.org/\"></iframe>x", "x"),
            (
                "<img src=\"data:image/png;base64,AAAA\" alt=\"a\">",
                "<img alt=\"a\">",
            ),
            ("<img src=\"/\\host/p.png\" alt=\"a\">", "<img alt=\"a\">"),
            (
                "<img src=\"/&#9;/host/p.png\" alt=\"a\">",
                "<img alt=\"a\">",
            ),
            (
                "<img src=\"HTTPS:host/p.png\" alt=\"a\">",
                "<img alt=\"a\">",
            ),
        ] {
            assert_eq!(sanitise(html), clean, "{html}");
        }
    }
}
