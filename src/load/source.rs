//! Reading one content file as text: a UTF-8 byte-order mark is dropped, and a file that is
//! not UTF-8 is refused with its line, its column and how to save it as UTF-8.

use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Location};

/// The text of one content file and the path to show the user.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceFile {
    pub path: PathBuf,
    /// The file's text, without a byte-order mark: offsets and columns count from the first
    /// character an editor shows.
    pub text: String,
}

impl SourceFile {
    pub fn locate(&self, span: Range<usize>) -> Location {
        Location::in_source(&self.path, &self.text, span)
    }
}

/// Windows editors and Excel's "CSV UTF-8" start a file with one; it is not content.
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The largest content file ldr reads as text, in bytes: 32 MiB, thousands of times a long
/// roadmap and six times a register of every organisation ldr could list. The cost of a
/// file grows with its size, and a register's memory with each row's pages (about 8 KB a
/// row), so a limit says plainly what an endless build would not.
pub(crate) const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;

/// Reads `path` as UTF-8; a stray byte is reported where an editor would show it. The file
/// must be inside the folder `inside` (a real path), when one is given, once it is open: see
/// [`read_up_to`].
pub(crate) fn read_source(path: &Path, inside: Option<&Path>) -> Result<SourceFile, Diagnostic> {
    let bytes = read_up_to(path, MAX_FILE_BYTES + 1, inside)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Diagnostic::error(format!(
            "{} is larger than {} MB, the most ldr reads from one content file",
            path.display(),
            MAX_FILE_BYTES / (1024 * 1024)
        ))
        .in_file(path)
        .help("split the file, or check that it is the file you meant: a roadmap, a register or a boundary file is far smaller"));
    }
    decode(path, bytes)
}

/// A file the site's owner names outside the content (a theme's template, the files `ldr
/// new` edits before the site is checked): read as [`read_source`], wherever it is.
pub fn read_source_file(path: &Path) -> Result<SourceFile, Diagnostic> {
    read_source(path, None)
}

/// The first `limit` bytes of the regular file at `path`. It is opened without waiting and
/// checked to be a file, inside the folder `inside`, before it is read: a FIFO put in a
/// file's place after the content folder was listed would otherwise hang the build, and a
/// link swapped in would be followed out of the folder.
pub(crate) fn read_up_to(
    path: &Path,
    limit: u64,
    inside: Option<&Path>,
) -> Result<Vec<u8>, Diagnostic> {
    use std::io::Read;
    let failed = |error: std::io::Error| {
        Diagnostic::error(format!("cannot read {}: {error}", path.display())).in_file(path)
    };
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file = options.open(path).map_err(failed)?;
    let metadata = file.metadata().map_err(failed)?;
    if !metadata.is_file() {
        return Err(Diagnostic::error(format!("{} is not a file", path.display()))
            .in_file(path)
            .help("the content folder holds only files and folders: remove it, or put a file in its place"));
    }
    if let Some(inside) = inside {
        // Where it is cannot be told (a link swapped for a broken one): not read either.
        let real = crate::output::opened_at(&file, path).map_err(failed)?;
        if !real.starts_with(inside) {
            return Err(Diagnostic::error(format!(
                "{} became a link to {}, outside the content folder, while the site was read",
                path.display(),
                real.display()
            ))
        .in_file(path)
        .help("nothing outside the content folder is published: put the file itself in the content folder"));
        }
    }
    let mut bytes = Vec::with_capacity(metadata.len().min(limit) as usize);
    file.take(limit).read_to_end(&mut bytes).map_err(failed)?;
    Ok(bytes)
}

/// The text of `bytes`, read from `path`.
pub fn decode(path: &Path, mut bytes: Vec<u8>) -> Result<SourceFile, Diagnostic> {
    if bytes.starts_with(UTF8_BOM) {
        bytes.drain(..UTF8_BOM.len());
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") || looks_like_utf16(&bytes)
    {
        return Err(Diagnostic::error("file is saved as UTF-16, not UTF-8")
            .in_file(path)
            .help(save_as_utf8(path)));
    }
    match String::from_utf8(bytes) {
        Ok(text) => {
            let file = SourceFile {
                path: path.to_path_buf(),
                text,
            };
            super::control_chars::refuse_in_text(&file)?;
            Ok(file)
        }
        Err(error) => {
            let valid = error.utf8_error().valid_up_to();
            let bytes = error.into_bytes();
            // Decode lossily only to quote the line; the file itself is left alone.
            let shown = String::from_utf8_lossy(&bytes);
            let offset = String::from_utf8_lossy(&bytes[..valid]).len();
            let byte = bytes[valid];
            Err(Diagnostic::error("file is not valid UTF-8")
                .at(Location::in_source(path, &shown, offset..offset + 1))
                .label(format!(
                    "byte 0x{byte:02X} is not UTF-8{}",
                    in_windows_1252(byte)
                ))
                .help(save_as_utf8(path)))
        }
    }
}

/// UTF-16 without a byte-order mark: text whose every other byte is NUL at the start (as
/// ASCII letters are in UTF-16), which UTF-8 text never is.
fn looks_like_utf16(bytes: &[u8]) -> bool {
    let start = &bytes[..bytes.len().min(64) & !1];
    let nul_in = |offset: usize| start.iter().skip(offset).step_by(2).all(|&b| b == 0);
    start.len() >= 4 && (nul_in(0) != nul_in(1))
}

/// What to do, in the words of the program that most likely saved the file.
fn save_as_utf8(path: &Path) -> String {
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
    {
        "Excel saves \"CSV (Comma delimited)\" in the Windows character set: use File > \
         Save As > \"CSV UTF-8 (Comma delimited) (*.csv)\" instead"
            .into()
    } else {
        "save the file as UTF-8 (most editors: \"Save with encoding\" > UTF-8)".into()
    }
}

/// Names the character a byte stands for in Windows-1252, the encoding Excel and Word use
/// on Windows, for the bytes people meet most (curly quotes, dashes, the pound sign).
fn in_windows_1252(byte: u8) -> String {
    let character = match byte {
        0x80 => '€',
        0x91 => '‘',
        0x92 => '’',
        0x93 => '“',
        0x94 => '”',
        0x96 => '–',
        0x97 => '—',
        0xA3 => '£',
        0xE9 => 'é',
        _ => return String::new(),
    };
    format!(" (in Windows-1252, `{character}`)")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(name: &str, bytes: &[u8]) -> Result<SourceFile, Diagnostic> {
        decode(Path::new(name), bytes.to_vec())
    }

    #[test]
    fn byte_order_mark_is_not_part_of_the_text() {
        let file = read("site.toml", b"\xEF\xBB\xBFtitle = \"x\"\r\n").unwrap();
        assert_eq!(file.text, "title = \"x\"\r\n");
    }

    #[test]
    fn windows_1252_csv_is_refused_with_excel_help() {
        let error = read(
            "organisations.csv",
            b"code,name\nRXF,Mid Yorkshire\x92s Trust\n",
        )
        .unwrap_err();
        let at = error.location.clone().unwrap();
        assert_eq!((at.line, at.column), (2, 18));
        assert_eq!(
            error.label.as_deref(),
            Some("byte 0x92 is not UTF-8 (in Windows-1252, `’`)")
        );
        assert!(error.help.as_deref().unwrap().contains("CSV UTF-8"));
    }

    #[test]
    fn utf16_without_a_byte_order_mark_is_named_too() {
        let error = read("site.toml", b"t\0i\0t\0l\0e\0").unwrap_err();
        assert_eq!(error.message, "file is saved as UTF-16, not UTF-8");
        assert!(read("site.toml", b"title = 1\n").is_ok());
    }

    #[test]
    fn utf16_is_named() {
        let error = read("roadmap.md", b"\xFF\xFEh\0i\0").unwrap_err();
        assert_eq!(error.message, "file is saved as UTF-16, not UTF-8");
    }
}
