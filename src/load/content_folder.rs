//! What may be read from the content folder: files and folders that are inside it as the
//! file system sees it. A symlink that leads out of it (`environ.txt -> /proc/self/environ`,
//! a footprint folder linked elsewhere) is refused with where it points, as is a loop of
//! links, and so is a special file (a FIFO, a device, a socket), which is never read: a
//! FIFO named `roadmap.md` would hang the build. Links that stay inside are followed. Hard
//! links cannot be told from the file they share, and are read as files.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap;

use crate::diagnostic::Diagnostic;

/// What a checked path of the content folder is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Entry {
    /// Nothing is there.
    Missing,
    /// A file (or a link to one inside the folder).
    File,
    /// A folder (or a link to one inside the folder).
    Folder,
}

/// The content folder as the file system sees it. A content folder that is itself a link
/// is the folder it leads to: that is the one the command line chose.
#[derive(Debug, Clone)]
pub(crate) struct ContentFolder {
    real: PathBuf,
    /// Each folder's place as the file system sees it, by the path it was reached by:
    /// a file that is no link is where its folder is, so resolving each folder once spares
    /// a `canonicalize` (a system call per part of the path) for every file.
    folders: Arc<Mutex<FxHashMap<PathBuf, Option<PathBuf>>>>,
}

impl ContentFolder {
    /// The folder `root`, which must exist.
    pub(crate) fn new(root: &Path) -> io::Result<ContentFolder> {
        Ok(ContentFolder {
            real: fs::canonicalize(root)?,
            folders: Arc::default(),
        })
    }

    /// Reads the file `path` of the folder as text, refusing it if, once open, it is not
    /// inside (a link swapped in since it was admitted).
    pub(crate) fn read_source(&self, path: &Path) -> Result<super::SourceFile, Diagnostic> {
        super::source::read_source(path, Some(&self.real))
    }

    /// The first `limit` bytes of the file `path` of the folder, as [`Self::read_source`].
    pub(crate) fn read_up_to(&self, path: &Path, limit: u64) -> Result<Vec<u8>, Diagnostic> {
        super::source::read_up_to(path, limit, Some(&self.real))
    }

    /// Where the folder `folder` really is, resolved once.
    fn real_folder(&self, folder: &Path) -> Option<PathBuf> {
        let mut folders = self.folders.lock().unwrap_or_else(|e| e.into_inner());
        folders
            .entry(folder.to_path_buf())
            .or_insert_with(|| fs::canonicalize(folder).ok())
            .clone()
    }

    /// What `path` (a path under the content folder) is, or why it may not be read.
    pub(crate) fn admit(&self, path: &Path) -> Result<Entry, Diagnostic> {
        let metadata = match fs::symlink_metadata(path) {
            Ok(metadata) => metadata,
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(Entry::Missing),
            Err(error) => return Err(cannot_read(path, &error)),
        };
        let link = metadata.file_type().is_symlink();
        // Not a link itself: it is inside exactly when its folder is.
        let in_folder = (!link)
            .then(|| path.parent().zip(path.file_name()))
            .flatten()
            .and_then(|(folder, name)| Some((self.real_folder(folder)?, name)));
        if let Some((folder, name)) = in_folder {
            if !folder.starts_with(&self.real) {
                return Err(outside(path, &folder.join(name)));
            }
            return kind_of(path, metadata.file_type());
        }
        let real = match fs::canonicalize(path) {
            Ok(real) => real,
            Err(error) if link => return Err(broken_link(path, &error)),
            Err(error) => return Err(cannot_read(path, &error)),
        };
        if !real.starts_with(&self.real) {
            return Err(outside(path, &real));
        }
        let metadata = fs::metadata(&real).map_err(|error| cannot_read(path, &error))?;
        kind_of(path, metadata.file_type())
    }
}

fn kind_of(path: &Path, kind: fs::FileType) -> Result<Entry, Diagnostic> {
    if kind.is_file() {
        Ok(Entry::File)
    } else if kind.is_dir() {
        Ok(Entry::Folder)
    } else {
        Err(special_file(path, kind))
    }
}

fn cannot_read(path: &Path, error: &io::Error) -> Diagnostic {
    Diagnostic::error(format!("cannot read {}: {error}", path.display()))
        .in_file(path)
        .help("check that the file exists and that you may read it")
}

/// The link nearest to `path` among it and its folders: the one that leads elsewhere.
fn nearest_link(path: &Path) -> Option<(&Path, PathBuf)> {
    path.ancestors().find_map(|at| {
        let metadata = fs::symlink_metadata(at).ok()?;
        metadata
            .file_type()
            .is_symlink()
            .then(|| Some((at, fs::read_link(at).ok()?)))
            .flatten()
    })
}

fn outside(path: &Path, real: &Path) -> Diagnostic {
    let (link, target) = nearest_link(path).unwrap_or((path, real.to_path_buf()));
    let resolved = if target == real {
        String::new()
    } else {
        format!(" (which is {})", real.display())
    };
    let what = if link == path {
        String::new()
    } else {
        format!(", and {} is inside it", path.display())
    };
    Diagnostic::error(format!(
        "{} is a symlink to {}{resolved}, outside the content folder{what}",
        link.display(),
        target.display()
    ))
    .in_file(link)
    .help(
        "ldr publishes nothing from outside the content folder: copy the file or folder into \
         content/ instead of linking to it, or remove the link",
    )
}

fn broken_link(path: &Path, error: &io::Error) -> Diagnostic {
    let (link, target) = nearest_link(path).unwrap_or((path, PathBuf::new()));
    #[cfg(unix)]
    let is_loop = error.raw_os_error() == Some(libc::ELOOP);
    #[cfg(not(unix))]
    let is_loop = false;
    let (why, help) = if is_loop {
        (
            "a loop of links".to_string(),
            "a link that leads back to itself is never followed: point it at a file, or remove it",
        )
    } else if error.kind() == io::ErrorKind::NotFound {
        (
            "nothing".to_string(),
            "the file it pointed to is gone: remove the link, or put the file in its place",
        )
    } else {
        (
            error.to_string(),
            "remove the link, or put the file in its place",
        )
    };
    Diagnostic::error(format!(
        "{} is a symlink to {}, which leads to {why}",
        link.display(),
        target.display()
    ))
    .in_file(link)
    .help(help)
}

fn special_file(path: &Path, kind: fs::FileType) -> Diagnostic {
    #[cfg(unix)]
    let what = {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            "a named pipe (FIFO)"
        } else if kind.is_socket() {
            "a socket"
        } else if kind.is_char_device() || kind.is_block_device() {
            "a device"
        } else {
            "something other than a folder"
        }
    };
    #[cfg(not(unix))]
    let what = {
        let _ = kind;
        "something other than a folder"
    };
    Diagnostic::error(format!("{} is {what}, not a file", path.display()))
        .in_file(path)
        .help("the content folder holds only files and folders: remove it, or put a file in its place")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file admitted while it was a file, then swapped for a link out of the folder before
    /// it is read: the read itself refuses it, whatever the listing saw.
    #[cfg(unix)]
    #[test]
    fn a_link_swapped_in_after_the_listing_is_refused_when_read() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        fs::create_dir(&content).unwrap();
        let secret = dir.path().join("secret.txt");
        fs::write(&secret, "SECRET\n").unwrap();
        let roadmap = content.join("roadmap.md");
        fs::write(&roadmap, "## Vision\n").unwrap();
        let folder = ContentFolder::new(&content).unwrap();
        assert_eq!(folder.admit(&roadmap).unwrap(), Entry::File);
        assert_eq!(folder.read_source(&roadmap).unwrap().text, "## Vision\n");

        fs::remove_file(&roadmap).unwrap();
        std::os::unix::fs::symlink(&secret, &roadmap).unwrap();
        for read in [
            folder.read_source(&roadmap).map(|f| f.text.into_bytes()),
            folder.read_up_to(&roadmap, 1445),
        ] {
            let refused = read.unwrap_err().to_string();
            assert!(refused.contains("outside the content folder"), "{refused}");
            assert!(!refused.contains("SECRET"), "{refused}");
        }
    }
}
