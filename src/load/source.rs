//! Reading one content file as text, refusing what is not UTF-8 with its line and column.

use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Location};

/// The text of one content file and the path to show the user.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
}

impl SourceFile {
    pub fn locate(&self, span: Range<usize>) -> Location {
        Location::in_source(&self.path, &self.text, span)
    }
}

/// Reads `path` as UTF-8; a stray byte is reported where an editor would show it.
pub fn read_source(path: &Path) -> Result<SourceFile, Diagnostic> {
    let bytes = std::fs::read(path).map_err(|error| {
        Diagnostic::error(format!("cannot read {}: {error}", path.display())).in_file(path)
    })?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile {
            path: path.to_path_buf(),
            text,
        }),
        Err(error) => {
            let valid = error.utf8_error().valid_up_to();
            let bytes = error.into_bytes();
            // Decode lossily only to quote the line; the file itself is left alone.
            let shown = String::from_utf8_lossy(&bytes);
            let offset = String::from_utf8_lossy(&bytes[..valid]).len();
            Err(Diagnostic::error("file is not valid UTF-8")
                .at(Location::in_source(path, &shown, offset..offset + 1))
                .label("this byte is not UTF-8")
                .help("save the file as UTF-8 (most editors: \"Save with encoding\" > UTF-8)"))
        }
    }
}
