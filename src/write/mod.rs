//! Stage 5: put the finished site on disk. Everything is written to a staging folder
//! beside `output/` and swapped in only when all of it is there, so a failed build leaves
//! the previous site byte for byte as it was.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use rustc_hash::FxHashSet;

use crate::diagnostic::Diagnostic;
use crate::output::{Contents, OutputFile};

/// The file that marks a folder as made by ldr, and so safe to replace.
pub const MARKER: &str = ".ldr-output";

/// Refuses an output folder whose replacement would destroy something: the content or the
/// themes it is built from, compared as the file system sees them (through symlinks and
/// `..`).
pub fn check_output_folder(output: &Path, content: &Path, themes: &Path) -> Result<(), Diagnostic> {
    let refuse = |why: String| {
        Err(Diagnostic::error(format!(
            "refusing to write the site to {}",
            output.display()
        ))
        .in_file(output)
        .help(why))
    };
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let (output_abs, content_abs) = (absolute(output), absolute(content));
    let cwd = std::env::current_dir()
        .map(|d| absolute(&d))
        .unwrap_or_default();
    if output_abs.parent().is_none() || cwd.starts_with(&output_abs) {
        return refuse(
            "it holds the folder you are working in; choose a new folder such as `output`".into(),
        );
    }
    if content_abs.starts_with(&output_abs) || output_abs.starts_with(&content_abs) {
        return refuse("it overlaps the content folder; write the site outside content/".into());
    }
    let (output_real, content_real, themes_real) =
        (resolved(output), resolved(content), resolved(themes));
    if content_real.starts_with(&output_real) || output_real.starts_with(&content_real) {
        return refuse(format!(
            "it overlaps the content folder ({}); write the site outside it",
            content_real.display()
        ));
    }
    if themes_real.starts_with(&output_real) || output_real.starts_with(&themes_real) {
        return refuse(format!(
            "it overlaps the themes folder ({}), which replacing the site would delete; write the site outside it",
            themes_real.display()
        ));
    }
    let has_files = fs::read_dir(output)
        .map(|mut d| d.next().is_some())
        .unwrap_or(false);
    if has_files && !output.join(MARKER).is_file() {
        return refuse(format!(
            "the folder is not empty and ldr did not make it (no {MARKER} file); empty it or choose another folder"
        ));
    }
    if output.exists() && !output.is_dir() {
        return refuse("it is a file, not a folder".into());
    }
    Ok(())
}

/// `path` as the file system sees it: absolute, its symlinks and `..` resolved as far as
/// it exists (an output folder not made yet is placed by its nearest existing parent), and
/// the rest of it taken as written.
fn resolved(path: &Path) -> PathBuf {
    use std::path::Component;
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    let mut real = loop {
        if let Ok(real) = fs::canonicalize(existing) {
            break real;
        }
        match (existing.parent(), existing.components().next_back()) {
            (Some(parent), Some(last)) => {
                rest.push(last);
                existing = parent;
            }
            _ => break existing.to_path_buf(),
        }
    };
    for part in rest.into_iter().rev() {
        match part {
            Component::ParentDir => {
                real.pop();
            }
            Component::Normal(name) => real.push(name),
            _ => {}
        }
    }
    real
}

/// What a finished [`Staging`] holds.
pub struct Written {
    pub files: usize,
    pub bytes: u64,
}

/// The folder a build writes into, beside `output/`: files go in as soon as they are made
/// (so a big site's pages need not all be held in memory), and the folder takes the place
/// of `output/` only in [`Staging::finish`]. Dropped unfinished, it is removed, and
/// `output/` stays as it was.
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
    files: AtomicUsize,
    bytes: AtomicU64,
    /// The folders made so far, inside the staging folder. `create_dir_all` on a folder
    /// that exists costs a failed `mkdir` and a `stat`; most pages share their folder's
    /// parent and the search files share one folder, so without this a build made two
    /// calls for nothing for nearly every file.
    folders: Mutex<FxHashSet<PathBuf>>,
    finished: bool,
}

impl Staging {
    pub fn begin(output: &Path) -> Result<Staging, Diagnostic> {
        let dir = sibling(output, "staging");
        remove_abandoned(&dir);
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(|e| io_error(&dir, e))?;
        }
        fs::create_dir_all(&dir).map_err(|e| io_error(&dir, e))?;
        let staging = Staging {
            dir,
            output: output.to_path_buf(),
            files: AtomicUsize::new(0),
            bytes: AtomicU64::new(0),
            folders: Mutex::default(),
            finished: false,
        };
        let marker = staging.dir.join(MARKER);
        fs::write(
            &marker,
            "This folder is made by `ldr build` and replaced on every build.\n",
        )
        .map_err(|e| io_error(&marker, e))?;
        Ok(staging)
    }

    /// Writes one file, unless it is [`Contents::Written`] already; callable from many
    /// threads at once.
    pub fn put(&self, file: &OutputFile) -> Result<(), Diagnostic> {
        let relative = Path::new(&file.path);
        // The model checks every code and slug that becomes a path; this is the last guard
        // that nothing from content writes outside the site.
        if !relative
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
        {
            return Err(Diagnostic::error(format!(
                "ldr refused to write `{}`, which is not a path inside the site",
                file.path
            ))
            .help("this is a bug in ldr: please report it with the content that made it"));
        }
        let target = self.dir.join(relative);
        let bytes = match &file.contents {
            Contents::Bytes(bytes) => self
                .in_folder(relative)
                .and_then(|()| fs::write(&target, bytes))
                .map(|()| bytes.len() as u64),
            Contents::CopyOf(source) => self
                .in_folder(relative)
                .and_then(|()| fs::copy(source, &target)),
            Contents::Written(_) => return Ok(()),
        }
        .map_err(|e| io_error(&target, e))?;
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(bytes, Ordering::Relaxed);
        Ok(())
    }

    /// Makes the folder that `file` (relative to the staging folder) goes in, and its
    /// parents, unless they were made before.
    fn in_folder(&self, file: &Path) -> std::io::Result<()> {
        let Some(folder) = file.parent().filter(|f| !f.as_os_str().is_empty()) else {
            return Ok(());
        };
        let made = |folder: &Path| {
            self.folders
                .lock()
                .is_ok_and(|folders| folders.contains(folder))
        };
        if made(folder) {
            return Ok(());
        }
        fs::create_dir_all(self.dir.join(folder))?;
        if let Ok(mut folders) = self.folders.lock() {
            for folder in folder.ancestors() {
                if folder.as_os_str().is_empty() || !folders.insert(folder.to_path_buf()) {
                    break;
                }
            }
        }
        Ok(())
    }

    /// Writes `file` and keeps only its path and size.
    pub fn put_and_forget(&self, file: OutputFile) -> Result<OutputFile, Diagnostic> {
        self.put(&file)?;
        let size = match &file.contents {
            Contents::Bytes(bytes) => bytes.len() as u64,
            Contents::CopyOf(_) | Contents::Written(_) => return Ok(file),
        };
        Ok(OutputFile {
            path: file.path,
            contents: Contents::Written(size),
        })
    }

    /// Swaps the staging folder into place as `output/`.
    pub fn finish(mut self) -> Result<Written, Diagnostic> {
        swap_into_place(&self.dir, &self.output).map_err(|e| {
            Diagnostic::error(format!("cannot replace {}: {e}", self.output.display()))
                .in_file(&self.output)
                .help("check the folder's permissions and free disk space; the previous output is untouched")
        })?;
        self.finished = true;
        Ok(Written {
            files: self.files.load(Ordering::Relaxed),
            bytes: self.bytes.load(Ordering::Relaxed),
        })
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.finished {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

fn io_error(path: &Path, error: std::io::Error) -> Diagnostic {
    Diagnostic::error(format!("cannot write {}: {error}", path.display()))
        .in_file(path)
        .help(
            "check the folder's permissions and free disk space; the previous output is untouched",
        )
}

/// Two renames: the old site steps aside, the new one takes its name, the old one goes.
fn swap_into_place(staging: &Path, output: &Path) -> std::io::Result<()> {
    if !output.exists() {
        return fs::rename(staging, output);
    }
    let old = sibling(output, "previous");
    if old.exists() {
        fs::remove_dir_all(&old)?;
    }
    fs::rename(output, &old)?;
    if let Err(error) = fs::rename(staging, output) {
        fs::rename(&old, output)?;
        return Err(error);
    }
    fs::remove_dir_all(&old)
}

/// Removes staging folders that earlier builds into the same output left behind when they
/// were stopped (Ctrl-C) before they could clean up. Their names differ only by process id.
fn remove_abandoned(staging: &Path) {
    let (Some(parent), Some(name)) = (staging.parent(), staging.file_name()) else {
        return;
    };
    let name = name.to_string_lossy();
    let Some(prefix) = name
        .rsplit_once('-')
        .map(|(prefix, _)| format!("{prefix}-"))
    else {
        return;
    };
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

fn sibling(output: &Path, role: &str) -> PathBuf {
    let name = output
        .file_name()
        .map_or("output".into(), |n| n.to_string_lossy().into_owned());
    let parent = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    parent.join(format!(".{name}.ldr-{role}-{}", std::process::id()))
}

#[cfg(test)]
mod tests {
    use super::Staging;
    use crate::output::OutputFile;

    /// Folders are made once however the files arrive: deep first, shallow after, several
    /// in one folder, at the top, and from many threads at once.
    #[test]
    fn every_file_lands_in_its_folder_whatever_the_order() {
        use rayon::prelude::*;
        let root = tempfile::tempdir().unwrap();
        let output = root.path().join("output");
        let staging = Staging::begin(&output).unwrap();
        let mut paths = vec![
            "a/b/c/index.html".to_string(),
            "a/index.html".into(),
            "a/b/index.html".into(),
            "top.txt".into(),
            "a/b/c/other.json".into(),
        ];
        paths.extend((0..200).map(|i| format!("search/index/d/{}/{i}.json.gz", i % 7)));
        paths
            .par_iter()
            .try_for_each(|path| staging.put(&OutputFile::bytes(path.as_str(), path.as_bytes())))
            .unwrap();
        let written = staging.finish().unwrap();
        assert_eq!(written.files, paths.len());
        for path in &paths {
            assert_eq!(std::fs::read(output.join(path)).unwrap(), path.as_bytes());
        }
    }
}
