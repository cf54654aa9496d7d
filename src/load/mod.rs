//! Stage 1: walk the content folder and parse every file into raw, unvalidated values.
//!
//! Nothing here knows what a footprint means; `model` resolves and checks the references.

mod attachment;
mod boundaries;
mod built_in_theme;
mod content_folder;
mod control_chars;
mod csv_rows;
mod digital_maturity_csv;
mod edited;
mod front_matter;
mod organisations_csv;
pub mod schema;
mod source;
mod theme;
mod toml_file;

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

pub use boundaries::Boundary;
pub use built_in_theme::{DEFAULT_THEME, built_in_template};
pub(crate) use content_folder::{ContentFolder, Entry};
pub use digital_maturity_csv::{FIRST_YEAR as FIRST_MATURITY_YEAR, MaturityRow};
pub use edited::{EditedSource, as_loaded, read_edited};
pub use organisations_csv::{OrganisationRow, parse_organisation_lines, parse_organisations};
pub use source::{SourceFile, read_source_file};
pub use theme::{Theme, load_theme};

use crate::diagnostic::{Diagnostic, Diagnostics};
use schema::{CapabilitiesFile, EventFront, FootprintFile, PageFront, SiteFile, StoryFront};

/// A Markdown file with TOML front matter, parsed.
#[derive(Debug)]
pub struct Document<F> {
    pub slug: String,
    pub file: SourceFile,
    pub front: F,
    /// Where the front matter starts in `file.text`, to locate spans inside it.
    pub front_offset: usize,
    /// Where the Markdown body starts in `file.text`.
    pub body_offset: usize,
}

impl<F> Document<F> {
    pub fn locate(&self, span: std::ops::Range<usize>) -> crate::diagnostic::Location {
        self.file
            .locate(self.front_offset + span.start..self.front_offset + span.end)
    }
}

/// One footprint folder.
#[derive(Debug)]
pub struct FootprintSource {
    pub slug: String,
    pub folder: PathBuf,
    pub file: SourceFile,
    pub data: FootprintFile,
    pub roadmap: Option<SourceFile>,
    /// Other files in the folder (the published PDF, images), copied as they are.
    pub attachments: Vec<PathBuf>,
}

/// Everything read from a content folder.
#[derive(Debug)]
pub struct Content {
    pub root: PathBuf,
    pub site_file: SourceFile,
    pub site: SiteFile,
    pub organisations_file: SourceFile,
    pub organisations: Vec<OrganisationRow>,
    /// `example-organisations.csv`, where the site has one: illustrative organisations,
    /// never real ones, in the same columns as `organisations.csv`.
    pub example_organisations: Option<(SourceFile, Vec<OrganisationRow>)>,
    /// `digital-maturity.csv`, where the site has one: providers' self-assessment scores.
    pub digital_maturity: Option<(SourceFile, Vec<MaturityRow>)>,
    /// Footprint outlines from `boundaries.geojson`, where the site has one.
    pub boundaries: Vec<Boundary>,
    /// `capabilities.toml`, where the site has one.
    pub capabilities: Option<(SourceFile, CapabilitiesFile)>,
    pub footprints: Vec<FootprintSource>,
    pub stories: Vec<Document<StoryFront>>,
    pub events: Vec<Document<EventFront>>,
    pub pages: Vec<Document<PageFront>>,
    /// Templates in `content/templates/` that override the theme's of the same name.
    pub template_overrides: Vec<SourceFile>,
    /// Files under `content/static/`, as (absolute path, path relative to the site root).
    pub static_files: Vec<(PathBuf, PathBuf)>,
    /// Problems that do not stop the build.
    pub warnings: Diagnostics,
}

/// The files of the content folder's root that a build reads; any other file there is not
/// content (`ldr serve` passes over an editor's temporary file saved beside them).
pub const ROOT_FILES: [&str; 6] = [
    SITE,
    REGISTER,
    EXAMPLE_REGISTER,
    DIGITAL_MATURITY,
    CAPABILITIES,
    BOUNDARIES,
];
pub(super) const SITE: &str = "site.toml";
pub(super) const REGISTER: &str = "organisations.csv";
pub(super) const EXAMPLE_REGISTER: &str = "example-organisations.csv";
const DIGITAL_MATURITY: &str = "digital-maturity.csv";
pub(super) const CAPABILITIES: &str = "capabilities.toml";
const BOUNDARIES: &str = "boundaries.geojson";

/// Reads `root`; every file's problems are collected before giving up.
pub fn load_content(root: &Path) -> Result<Content, Diagnostics> {
    if !root.is_dir() {
        return Err(
            Diagnostic::error(format!("content folder {} not found", root.display()))
                .help("run ldr in a site folder that has `content/`, or pass --content DIR")
                .into(),
        );
    }
    let folder = ContentFolder::new(root).map_err(|error| {
        Diagnostic::error(format!("cannot read {}: {error}", root.display())).in_file(root)
    })?;
    // The files at the root and the folders of documents do not depend on each other:
    // they are read side by side, and their problems still come in this order.
    let (root_files, documents) = rayon::join(
        || {
            let mut problems = Diagnostics::new();
            (load_root_files(&folder, root, &mut problems), problems)
        },
        || {
            let mut problems = Diagnostics::new();
            (load_documents_of(&folder, root, &mut problems), problems)
        },
    );
    let (found, mut problems) = root_files;
    let (documents, document_problems) = documents;
    problems.extend(document_problems);
    match (
        found.site_file,
        found.site,
        found.organisations_file,
        found.organisations,
    ) {
        (Some(site_file), Some(site), Some(organisations_file), Some(organisations))
            if !problems.has_errors() =>
        {
            Ok(Content {
                root: root.to_path_buf(),
                site_file,
                site,
                organisations_file,
                organisations,
                example_organisations: found.example_organisations,
                digital_maturity: found.digital_maturity,
                boundaries: found.boundaries,
                capabilities: found.capabilities,
                footprints: documents.footprints,
                stories: documents.stories,
                events: documents.events,
                pages: documents.pages,
                template_overrides: documents.template_overrides,
                static_files: documents.static_files,
                warnings: problems,
            })
        }
        _ => Err(problems),
    }
}

/// What the files at the content folder's root hold, each if it could be read.
struct RootFiles {
    site_file: Option<SourceFile>,
    site: Option<SiteFile>,
    organisations_file: Option<SourceFile>,
    organisations: Option<Vec<OrganisationRow>>,
    example_organisations: Option<(SourceFile, Vec<OrganisationRow>)>,
    digital_maturity: Option<(SourceFile, Vec<MaturityRow>)>,
    capabilities: Option<(SourceFile, CapabilitiesFile)>,
    boundaries: Vec<Boundary>,
}

fn load_root_files(folder: &ContentFolder, root: &Path, problems: &mut Diagnostics) -> RootFiles {
    let site_file = read_required(folder, root, SITE, problems);
    let site = site_file
        .as_ref()
        .and_then(|f| keep(toml_file::parse_toml::<SiteFile>(f, &f.text, 0), problems));
    let organisations_file = read_required(folder, root, REGISTER, problems);
    let organisations =
        organisations_file
            .as_ref()
            .and_then(|f| match organisations_csv::parse_organisations(f) {
                Ok((rows, warnings)) => {
                    problems.extend(warnings);
                    Some(rows)
                }
                Err(errors) => {
                    problems.extend(errors);
                    None
                }
            });
    let example_organisations = load_optional(
        folder,
        root,
        EXAMPLE_REGISTER,
        organisations_csv::parse_organisations,
        problems,
    );
    let digital_maturity = load_optional(
        folder,
        root,
        DIGITAL_MATURITY,
        |f| digital_maturity_csv::parse_digital_maturity(f).map(|rows| (rows, Diagnostics::new())),
        problems,
    );
    let capabilities = load_optional(folder, root, CAPABILITIES, whole_toml, problems);
    let boundaries = site.as_ref().map_or_else(Vec::new, |site| {
        load_boundaries(folder, root, &site.boundary_code, problems)
    });
    RootFiles {
        site_file,
        site,
        organisations_file,
        organisations,
        example_organisations,
        digital_maturity,
        capabilities,
        boundaries,
    }
}

/// The folders of footprints, stories, events, pages, templates and static files.
struct Documents {
    footprints: Vec<FootprintSource>,
    stories: Vec<Document<StoryFront>>,
    events: Vec<Document<EventFront>>,
    pages: Vec<Document<PageFront>>,
    template_overrides: Vec<SourceFile>,
    static_files: Vec<(PathBuf, PathBuf)>,
}

fn load_documents_of(folder: &ContentFolder, root: &Path, problems: &mut Diagnostics) -> Documents {
    Documents {
        footprints: load_footprints(folder, &root.join("footprints"), problems),
        stories: load_documents(folder, &root.join("stories"), problems),
        events: load_documents(folder, &root.join("events"), problems),
        pages: load_documents(folder, &root.join("pages"), problems),
        template_overrides: load_templates(folder, &root.join("templates"), problems),
        static_files: files_under(folder, &root.join("static"), problems),
    }
}

fn keep<T>(result: Result<T, Diagnostic>, problems: &mut Diagnostics) -> Option<T> {
    result.map_err(|d| problems.push(d)).ok()
}

fn load_boundaries(
    folder: &ContentFolder,
    root: &Path,
    code_key: &str,
    problems: &mut Diagnostics,
) -> Vec<Boundary> {
    let path = root.join(BOUNDARIES);
    if keep(folder.admit(&path), problems) != Some(Entry::File) {
        return Vec::new();
    }
    keep(folder.read_source(&path), problems)
        .map(|file| boundaries::parse_boundaries(&file, code_key, problems))
        .unwrap_or_default()
}

/// An optional file of `root`, parsed by `parse` (whose warnings are kept).
fn load_optional<T>(
    folder: &ContentFolder,
    root: &Path,
    name: &str,
    parse: impl Fn(&SourceFile) -> Result<(T, Diagnostics), Diagnostics>,
    problems: &mut Diagnostics,
) -> Option<(SourceFile, T)> {
    let path = root.join(name);
    if keep(folder.admit(&path), problems)? != Entry::File {
        return None;
    }
    let file = keep(folder.read_source(&path), problems)?;
    match parse(&file) {
        Ok((parsed, warnings)) => {
            problems.extend(warnings);
            Some((file, parsed))
        }
        Err(errors) => {
            problems.extend(errors);
            None
        }
    }
}

/// A whole TOML file as `T`, for [`load_optional`].
fn whole_toml<T: serde::de::DeserializeOwned>(
    file: &SourceFile,
) -> Result<(T, Diagnostics), Diagnostics> {
    toml_file::parse_toml(file, &file.text, 0)
        .map(|parsed| (parsed, Diagnostics::new()))
        .map_err(Diagnostics::from)
}

fn read_required(
    folder: &ContentFolder,
    root: &Path,
    name: &str,
    problems: &mut Diagnostics,
) -> Option<SourceFile> {
    let path = root.join(name);
    if keep(folder.admit(&path), problems)? != Entry::File {
        problems.push(
            Diagnostic::error(format!("{name} is missing"))
                .in_file(&path)
                .help(format!("every site needs content/{name}; see README.md")),
        );
        return None;
    }
    keep(folder.read_source(&path), problems)
}

/// Editors leave swap, backup and hidden files beside the real ones; they are not content.
pub fn is_editor_litter(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
        // vim checks that it may write to a folder by creating and deleting a file "4913".
        || name == "4913"
        // JetBrains editors save through "name___jb_tmp___", keeping "name___jb_old___".
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
        // Word and LibreOffice lock an open file with "~$name".
        || name.starts_with("~$")
        || is_sed_temporary(name)
}

/// `sed -i` writes the edited file to "sed" and six random letters and digits (mkstemp's
/// "sedXXXXXX") beside the original, then renames it over the original: read in between,
/// it is gone. A word such as "sedgefi" has no capital or digit, so it is not taken for one.
fn is_sed_temporary(name: &str) -> bool {
    name.strip_prefix("sed").is_some_and(|random| {
        random.len() == 6
            && random.bytes().all(|b| b.is_ascii_alphanumeric())
            && random
                .bytes()
                .any(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    })
}

/// A hidden folder (`.git`, `.svn`, `.idea`), whose files are not the site's: a
/// repository's history or an editor's settings would be published with it. `.well-known`
/// is the one hidden folder a site publishes (RFC 8615: `security.txt` and the like).
fn is_hidden_folder(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|name| name.starts_with('.') && name != ".well-known")
}

/// Files below `dir` in a stable order, without editor litter. Links inside the content
/// folder are followed; a link out of it, a loop or a special file is refused.
fn files_under(
    folder: &ContentFolder,
    dir: &Path,
    problems: &mut Diagnostics,
) -> Vec<(PathBuf, PathBuf)> {
    if keep(folder.admit(dir), problems) != Some(Entry::Folder) {
        return Vec::new();
    }
    let mut files = Vec::new();
    let mut walk = WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = walk.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let path = error.path().unwrap_or(dir).to_path_buf();
                problems.push(match error.loop_ancestor() {
                    // walkdir finds a loop of folders before it follows it.
                    Some(ancestor) => Diagnostic::error(format!(
                        "{} is a symlink back to {}, a folder it is in",
                        path.display(),
                        ancestor.display()
                    ))
                    .in_file(&path)
                    .help("a loop of links is never followed: remove the link"),
                    None => folder.admit(&path).err().unwrap_or_else(|| {
                        Diagnostic::error(format!("cannot read {}: {error}", path.display()))
                            .in_file(&path)
                            .help("check that the folder exists and that you may read it")
                    }),
                });
                walk.skip_current_dir();
                continue;
            }
        };
        if entry.depth() > 0 && entry.file_type().is_dir() && is_hidden_folder(entry.path()) {
            walk.skip_current_dir();
            continue;
        }
        let named = if entry.depth() == 0 || is_editor_litter(entry.path()) {
            Ok(())
        } else {
            control_chars::refuse_in_name(entry.path())
        };
        if let Err(problem) = named {
            problems.push(problem);
            if entry.file_type().is_dir() {
                walk.skip_current_dir();
            }
            continue;
        }
        match folder.admit(entry.path()) {
            Ok(Entry::File) if !is_editor_litter(entry.path()) => {
                let relative = entry.path().strip_prefix(dir).unwrap_or(entry.path());
                files.push((entry.path().to_path_buf(), relative.to_path_buf()));
            }
            Ok(_) => {}
            Err(problem) => {
                problems.push(problem);
                if entry.file_type().is_dir() {
                    walk.skip_current_dir();
                }
            }
        }
    }
    files
}

/// The entries of `dir` in a stable order, without editor litter, each with what it is;
/// those that may not be read are reported and left out.
fn sorted_entries(
    folder: &ContentFolder,
    dir: &Path,
    problems: &mut Diagnostics,
) -> Vec<(PathBuf, Entry)> {
    if keep(folder.admit(dir), problems) != Some(Entry::Folder) {
        return Vec::new();
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|read| read.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    entries.retain(|path| !is_editor_litter(path));
    entries.sort();
    entries
        .into_iter()
        .filter_map(|path| {
            keep(control_chars::refuse_in_name(&path), problems)?;
            let entry = keep(folder.admit(&path), problems)?;
            Some((path, entry))
        })
        .collect()
}

/// Runs `load_one` on every path in parallel, keeping the paths' order for the results and
/// for the problems.
fn load_each<T: Send>(
    paths: Vec<PathBuf>,
    problems: &mut Diagnostics,
    load_one: impl Fn(PathBuf, &mut Diagnostics) -> Option<T> + Sync,
) -> Vec<T> {
    let results: Vec<(Option<T>, Diagnostics)> = paths
        .into_par_iter()
        .map(|path| {
            let mut found = Diagnostics::new();
            (load_one(path, &mut found), found)
        })
        .collect();
    results
        .into_iter()
        .filter_map(|(loaded, found)| {
            problems.extend(found);
            loaded
        })
        .collect()
}

fn load_footprints(
    content: &ContentFolder,
    dir: &Path,
    problems: &mut Diagnostics,
) -> Vec<FootprintSource> {
    let folders = sorted_entries(content, dir, problems)
        .into_iter()
        .filter(|(_, entry)| *entry == Entry::Folder)
        .map(|(path, _)| path)
        .collect();
    load_each(folders, problems, |folder, problems| {
        load_footprint(content, folder, problems)
    })
}

fn load_footprint(
    content: &ContentFolder,
    folder: PathBuf,
    problems: &mut Diagnostics,
) -> Option<FootprintSource> {
    let entries = sorted_entries(content, &folder, problems);
    let file_path = folder.join("footprint.toml");
    let is_file = |path: &Path| entries.iter().any(|(p, e)| p == path && *e == Entry::File);
    if !is_file(&file_path) {
        problems.push(
            Diagnostic::error("footprint folder has no footprint.toml")
                .in_file(&folder)
                .help("add footprint.toml (see README.md), or run `ldr new footprint`"),
        );
        return None;
    }
    let file = keep(content.read_source(&file_path), problems)?;
    let data = keep(toml_file::parse_toml(&file, &file.text, 0), problems);
    let roadmap_path = folder.join("roadmap.md");
    let roadmap = is_file(&roadmap_path)
        .then(|| keep(content.read_source(&roadmap_path), problems))
        .flatten();
    let attachments = entries
        .into_iter()
        .filter(|(p, e)| *e == Entry::File && p != &file_path && p != &roadmap_path)
        .map(|(p, _)| p)
        .filter(|path| {
            // 1,445 bytes: the most that the MIME Sniffing standard's "resource header"
            // holds, in which leading whitespace is skipped (512 is only its least).
            let problem = match content.read_up_to(path, 1445) {
                Ok(head) => attachment::attachment_problem(path, &head),
                Err(problem) => Some(problem),
            };
            problem.map(|problem| problems.push(problem)).is_none()
        })
        .collect();
    Some(FootprintSource {
        slug: folder_slug(&folder),
        folder,
        file,
        data: data?,
        roadmap,
        attachments,
    })
}

pub fn folder_slug(path: &Path) -> String {
    let stem = path
        .file_stem()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    crate::slug::slugify(stem)
}

fn load_documents<F: serde::de::DeserializeOwned + Send>(
    content: &ContentFolder,
    dir: &Path,
    problems: &mut Diagnostics,
) -> Vec<Document<F>> {
    let files = sorted_entries(content, dir, problems)
        .into_iter()
        .filter(|(_, entry)| *entry == Entry::File)
        .map(|(path, _)| path)
        .collect();
    load_each(files, problems, |path, problems| {
        load_document(content, path, problems)
    })
}

fn load_document<F: serde::de::DeserializeOwned>(
    folder: &ContentFolder,
    path: PathBuf,
    problems: &mut Diagnostics,
) -> Option<Document<F>> {
    if path.extension().is_none_or(|e| e != "md") {
        problems.push(
            Diagnostic::warning("ignored a file that is not Markdown")
                .in_file(&path)
                .help("stories, events and pages are `.md` files; move other files to content/static/"),
        );
        return None;
    }
    let file = keep(folder.read_source(&path), problems)?;
    let split = keep(front_matter::split_front_matter(&file), problems)?;
    let front_text = &file.text[split.front_start..split.front_end];
    let front = keep(
        toml_file::parse_toml(&file, front_text, split.front_start),
        problems,
    )?;
    Some(Document {
        slug: folder_slug(&path),
        front,
        front_offset: split.front_start,
        body_offset: split.body_start,
        file,
    })
}

/// Templates are `.html` files: a README or notes kept beside them are not templates.
fn load_templates(
    content: &ContentFolder,
    dir: &Path,
    problems: &mut Diagnostics,
) -> Vec<SourceFile> {
    files_under(content, dir, problems)
        .into_iter()
        .filter(|(path, _)| path.extension().is_some_and(|e| e == "html"))
        .filter_map(|(path, relative)| {
            keep(content.read_source(&path), problems).map(|mut file| {
                // Templates are known by their name relative to the templates folder.
                file.path = path;
                let _ = relative;
                file
            })
        })
        .collect()
}
