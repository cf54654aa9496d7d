//! `ldr init DIR`: a new site that builds at once, for a team starting its own LDR site
//! (as `zola init` and `hugo new site` do): commented settings, a register with one example
//! row, the universal capabilities, an example footprint marked as such, the pages, the
//! default theme to change, and the editor schemas.

use std::fs;
use std::path::{Path, PathBuf};

use super::footprint::{footprint_toml, roadmap_template};
use super::{io, write_new};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::editor_schemas::{editor_schemas, schema_text, taplo_config};
use crate::load::DEFAULT_THEME;
use crate::model::Overrides;
use crate::pipeline::{self, BuildOptions};

const SITE_TOML: &str = r#"# The settings of this Local Digital Roadmaps site. Every key is described in the
# schema (schemas/site.schema.json), which editors with Taplo show as you type.

title = "Local Digital Roadmaps"
description = "How local health and care systems plan to become paper-free at the point of care."
# Where the site will be published; `ldr build --base-url` overrides it.
base_url = "https://example.org"
language = "en-GB"
# The address the site's team reads: "Report a problem" links and the statements use it.
# contact_email = "team@example.org"
# The organisation that publishes the site, named in the accessibility statement.
# publisher = "NHS Example Integrated Care Board"
regions = ["North of England", "Midlands and East of England", "London", "South of England"]
# Lines of attribution for the data, shown in every page's footer.
attribution = []
# Build as if today were this date (what is upcoming, what is past).
# now = 2017-01-31

# Facts of the accessibility statement (/accessibility/) that only the publisher knows.
# [accessibility]
# tested = 2017-01-31     # when the site was last tested for accessibility
# prepared = 2017-01-31   # when the statement was prepared
"#;

const ORGANISATIONS_CSV: &str = "code,name,kind,region\n\
    X01,Example CCG (replace with your footprint's CCGs),ccg,London\n";

/// The universal capabilities A to J of the Local Digital Roadmap guidance (April 2016):
/// the same for every site.
const CAPABILITIES_TOML: &str = include_str!("../../content/capabilities.toml");

const ABOUT_MD: &str = "+++\n\
    title = \"About this site\"\n\
    description = \"What this site is, who keeps it, and where its data comes from.\"\n\
    menu_order = 1\n\
    +++\n\n\
    Say here what the site covers, who keeps it, and where its data comes from.\n";

const TEMPLATES_README: &str = "# Templates of this site\n\n\
    A template here replaces the theme's template of the same name, found in\n\
    `themes/default/templates/`: copy one here (say `footprint.html`) and change the copy.\n\
    Templates are Tera 2 `.html` files; other files in this folder are ignored.\n";

const SITE_README: &str = "# A Local Digital Roadmaps site\n\n\
    Made by `ldr init`. Preview it while you edit, with live reload:\n\n\
    ```sh\nldr serve --content content\n```\n\n\
    Build it into `output/` for any static host:\n\n\
    ```sh\nldr build --content content --base-url https://your.host/\n```\n\n\
    Start new content with `ldr new footprint|story|event|page`. The content model is in\n\
    ldr's README; `schemas/` and `.taplo.toml` let editors check TOML as you type.\n";

/// Every file of a new site, by its path inside DIR.
fn site_files() -> Vec<(String, Vec<u8>)> {
    let example = footprint_toml("Example footprint", "LDR-X01", "London", "X01", &[], true);
    let mut files: Vec<(String, Vec<u8>)> = [
        ("README.md", SITE_README.to_string()),
        ("content/site.toml", SITE_TOML.to_string()),
        ("content/organisations.csv", ORGANISATIONS_CSV.to_string()),
        ("content/capabilities.toml", CAPABILITIES_TOML.to_string()),
        (
            "content/footprints/example-footprint/footprint.toml",
            example,
        ),
        (
            "content/footprints/example-footprint/roadmap.md",
            roadmap_template("Example footprint"),
        ),
        ("content/pages/about.md", ABOUT_MD.to_string()),
        ("content/templates/README.md", TEMPLATES_README.to_string()),
        (".taplo.toml", taplo_config()),
    ]
    .into_iter()
    .map(|(path, text)| (path.to_string(), text.into_bytes()))
    .collect();
    files.extend(editor_schemas().iter().map(|schema| {
        (
            format!("schemas/{}", schema.file_name),
            schema_text(schema).into_bytes(),
        )
    }));
    files.extend(
        DEFAULT_THEME
            .iter()
            .map(|(path, bytes)| (format!("themes/default/{path}"), bytes.to_vec())),
    );
    files
}

/// Writes a new site into `dir`, which must be empty or not exist, and checks that it
/// builds; returns its content folder.
pub fn init(dir: &Path) -> Result<PathBuf, Diagnostics> {
    let had_folder = dir.exists();
    let is_empty = match fs::read_dir(dir) {
        Ok(mut entries) => entries.next().is_none(),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => true,
        // A folder that cannot be read may hold files: it is never taken as empty.
        Err(error) => {
            return Err(
                Diagnostic::error(format!("cannot read {}: {error}", dir.display()))
                    .in_file(dir)
                    .help("pass a new or empty folder that you can write to")
                    .into(),
            );
        }
    };
    if had_folder && !is_empty {
        return Err(Diagnostic::error(format!("{} is not empty", dir.display()))
            .in_file(dir)
            .help("pass a new or empty folder: ldr init never writes over files")
            .into());
    }
    let written = write_site(dir).and_then(|()| {
        let options = BuildOptions {
            content: dir.join("content"),
            themes: dir.join("themes"),
            overrides: Overrides::default(),
        };
        pipeline::build(&options, None, pipeline::Verbosity::Quiet).map(|_| options.content)
    });
    if written.is_err() {
        // Nothing half-made is left behind: the folder is as it was.
        if had_folder {
            clear(dir);
        } else {
            let _ = fs::remove_dir_all(dir);
        }
    }
    written
}

fn write_site(dir: &Path) -> Result<(), Diagnostics> {
    fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    for (path, bytes) in site_files() {
        write_new(&dir.join(&path), &bytes, &path)?;
    }
    Ok(())
}

fn clear(dir: &Path) {
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        let _ = if path.is_dir() {
            fs::remove_dir_all(path)
        } else {
            fs::remove_file(path)
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_theme_is_the_whole_default_theme() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let mut on_disk: Vec<String> = walkdir::WalkDir::new(&root)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let relative = e.path().strip_prefix(&root).unwrap();
                relative.to_string_lossy().replace('\\', "/")
            })
            .collect();
        on_disk.sort();
        let built_in: Vec<&str> = DEFAULT_THEME.iter().map(|(path, _)| *path).collect();
        assert_eq!(
            built_in, on_disk,
            "add the theme's new files to src/load/built_in_theme.rs"
        );
    }
}
