//! One content file read again after an edit, for `ldr serve`: what the model can take in
//! without loading the whole site ([`crate::model::Site::apply`]).

use std::path::{Path, PathBuf};

use super::schema::{CapabilitiesFile, EventFront, FootprintFile, PageFront, StoryFront};
use super::{
    CAPABILITIES, ContentFolder, Document, EXAMPLE_REGISTER, OrganisationRow, REGISTER, SourceFile,
    load_document, organisations_csv,
};
use crate::diagnostic::Diagnostics;

/// An edited content file, read and parsed.
pub enum EditedSource {
    /// A footprint's `footprint.toml`.
    Footprint {
        /// The footprint's folder.
        folder: PathBuf,
        /// The file as read.
        file: SourceFile,
        /// The file parsed.
        data: Box<FootprintFile>,
    },
    /// A footprint's `roadmap.md` (`None`: it was deleted).
    Roadmap {
        /// The footprint's folder.
        folder: PathBuf,
        /// The file as read.
        file: Option<SourceFile>,
    },
    /// A story.
    Story(Box<Document<StoryFront>>),
    /// An event.
    Event(Box<Document<EventFront>>),
    /// A content page.
    Page(Box<Document<PageFront>>),
    /// `organisations.csv`, with `example-organisations.csv` where the site has one. The
    /// register is read but not parsed: a long register edited in a few rows is parsed in
    /// those rows alone ([`super::parse_organisation_lines`]).
    Organisations {
        /// The real register.
        file: SourceFile,
        /// The illustrative register, parsed.
        examples: Option<(SourceFile, Vec<OrganisationRow>)>,
    },
    /// `capabilities.toml`.
    Capabilities(SourceFile, CapabilitiesFile),
}

/// `path`, a file of the content folder `root`, read again, when it is a kind of file the
/// model can take in alone and it reads without a problem (not even a warning: a full load
/// reports those in their place). `None` sends the edit to a full load.
pub fn read_edited(root: &Path, path: &Path) -> Option<EditedSource> {
    let original = as_loaded(root, path)?;
    // A file that may not be read (a link out of the folder, a FIFO) goes to a full load,
    // which says why.
    let folder = super::ContentFolder::new(root).ok()?;
    let readable = |path: &Path| {
        folder
            .admit(path)
            .is_ok_and(|entry| entry != super::Entry::Folder)
    };
    if !readable(&original) {
        return None;
    }
    let relative = original.parent()?.strip_prefix(root).ok()?;
    let name = path.file_name()?.to_str()?;
    let parts: Vec<&str> = relative.iter().filter_map(|p| p.to_str()).collect();
    match (parts.as_slice(), name) {
        (["footprints", _], "footprint.toml") => {
            let file = read(&folder, &original)?;
            let data = Box::new(super::toml_file::parse_toml(&file, &file.text, 0).ok()?);
            Some(EditedSource::Footprint {
                folder: original.parent()?.to_path_buf(),
                file,
                data,
            })
        }
        (["footprints", _], "roadmap.md") => Some(EditedSource::Roadmap {
            folder: original.parent()?.to_path_buf(),
            file: if original.exists() {
                Some(read(&folder, &original)?)
            } else {
                None
            },
        }),
        (["stories"], _) => document(&folder, &original).map(|d| EditedSource::Story(Box::new(d))),
        (["events"], _) => document(&folder, &original).map(|d| EditedSource::Event(Box::new(d))),
        (["pages"], _) => document(&folder, &original).map(|d| EditedSource::Page(Box::new(d))),
        ([], REGISTER) => {
            let file = read(&folder, &original)?;
            // Past its limits the register is refused by a full load, which says so.
            if super::csv_rows::beyond_limits(&file).is_some() {
                return None;
            }
            let examples_path = original.with_file_name(EXAMPLE_REGISTER);
            if !readable(&examples_path) {
                return None;
            }
            let examples = if examples_path.exists() {
                let file = read(&folder, &examples_path)?;
                let (rows, warnings) = organisations_csv::parse_organisations(&file).ok()?;
                (warnings.iter().next().is_none())
                    .then_some((file, rows))?
                    .into()
            } else {
                None
            };
            Some(EditedSource::Organisations { file, examples })
        }
        ([], CAPABILITIES) => {
            let file = read(&folder, &original)?;
            let data = super::toml_file::parse_toml(&file, &file.text, 0).ok()?;
            Some(EditedSource::Capabilities(file, data))
        }
        _ => None,
    }
}

/// `path` (of a file that may be gone) as a full load of the content folder `root` names
/// it: the watcher names files by absolute paths, the model by paths under `root` as it
/// was given, and the two must agree. `None` outside `root`.
pub fn as_loaded(root: &Path, path: &Path) -> Option<PathBuf> {
    let folder = std::fs::canonicalize(path.parent()?).ok()?;
    let relative = folder
        .strip_prefix(std::fs::canonicalize(root).ok()?)
        .ok()?;
    Some(root.join(relative).join(path.file_name()?))
}

fn read(folder: &ContentFolder, path: &Path) -> Option<SourceFile> {
    folder.read_source(path).ok()
}

fn document<F: serde::de::DeserializeOwned>(
    folder: &ContentFolder,
    path: &Path,
) -> Option<Document<F>> {
    let mut problems = Diagnostics::new();
    let document = load_document(folder, path.to_path_buf(), &mut problems);
    problems.iter().next().is_none().then_some(document?)
}
