//! JSON Schemas (draft 2020-12) of the content files, for editors: Taplo (VS Code's "Even
//! Better TOML") checks `site.toml`, `footprint.toml` and `capabilities.toml` against them as
//! you type, and front-matter tools can use the story, event and page ones. They are made
//! from the same types the loader reads (`load::schema`), so they cannot drift from it, and
//! their descriptions are those types' doc comments.

use std::fs;
use std::path::Path;

use schemars::{JsonSchema, schema_for};

use crate::diagnostic::Diagnostic;
use crate::load::schema::{
    CapabilitiesFile, EventFront, FootprintFile, PageFront, SiteFile, StoryFront,
};

/// One schema: its file name, the content files it describes (Taplo's `include` globs; none
/// for front matter, which is not a TOML file), and the schema itself.
pub struct EditorSchema {
    /// The file it is written to, under `schemas/`.
    pub file_name: &'static str,
    /// The content files it describes, as Taplo `include` globs.
    pub applies_to: &'static [&'static str],
    /// The JSON Schema itself.
    pub schema: serde_json::Value,
}

fn schema<T: JsonSchema>(
    file_name: &'static str,
    applies_to: &'static [&'static str],
) -> EditorSchema {
    EditorSchema {
        file_name,
        applies_to,
        schema: schema_for!(T).to_value(),
    }
}

/// Every content file's schema.
pub fn editor_schemas() -> Vec<EditorSchema> {
    vec![
        schema::<SiteFile>("site.schema.json", &["content/site.toml"]),
        schema::<FootprintFile>(
            "footprint.schema.json",
            &["content/footprints/*/footprint.toml"],
        ),
        schema::<CapabilitiesFile>("capabilities.schema.json", &["content/capabilities.toml"]),
        schema::<StoryFront>("story.schema.json", &[]),
        schema::<EventFront>("event.schema.json", &[]),
        schema::<PageFront>("page.schema.json", &[]),
    ]
}

/// The text of each schema file, as `ldr schema` writes it.
pub fn schema_text(schema: &EditorSchema) -> String {
    // A `serde_json::Value` always serialises.
    serde_json::to_string_pretty(&schema.schema).unwrap_or_default() + "\n"
}

/// `.taplo.toml` for a site whose schemas are in `schemas/` beside it.
pub fn taplo_config() -> String {
    let mut text = String::from(
        "# Taplo (VS Code: \"Even Better TOML\") checks these files against ldr's schemas as\n\
         # you type. Regenerate the schemas with `ldr schema` after upgrading ldr.\n",
    );
    for schema in editor_schemas() {
        if schema.applies_to.is_empty() {
            continue;
        }
        let include: Vec<String> = schema
            .applies_to
            .iter()
            .map(|glob| format!("\"{glob}\""))
            .collect();
        text.push_str(&format!(
            "\n[[rule]]\ninclude = [{}]\n[rule.schema]\npath = \"./schemas/{}\"\n",
            include.join(", "),
            schema.file_name
        ));
    }
    text
}

/// Writes every schema into `dir`; returns how many.
pub fn write_schemas(dir: &Path) -> Result<usize, Diagnostic> {
    let failed = |error: std::io::Error| {
        Diagnostic::error(format!("cannot write the schemas: {error}"))
            .in_file(dir)
            .help("check the folder's permissions, or pass another with --output")
    };
    fs::create_dir_all(dir).map_err(failed)?;
    let schemas = editor_schemas();
    for schema in &schemas {
        fs::write(dir.join(schema.file_name), schema_text(schema)).map_err(failed)?;
    }
    Ok(schemas.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn footprint_schema_refuses_unknown_keys_and_describes_its_keys() {
        let footprint = schema::<FootprintFile>("f", &[]).schema;
        assert_eq!(footprint["additionalProperties"], false);
        assert_eq!(
            footprint["properties"]["lead"]["description"],
            "ODS code of the lead CCG; leave out where it is not recorded."
        );
        let required: Vec<&str> = footprint["required"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(required, ["name", "code", "region"]);
    }

    #[test]
    fn taplo_maps_each_toml_file_to_its_schema() {
        let config = taplo_config();
        let parsed: toml::Table = toml::from_str(&config).unwrap();
        let rules = parsed["rule"].as_array().unwrap();
        assert_eq!(rules.len(), 3);
        assert_eq!(
            rules[1]["schema"]["path"].as_str(),
            Some("./schemas/footprint.schema.json")
        );
    }
}
