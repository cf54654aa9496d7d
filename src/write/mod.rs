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

/// Held while one build writes into an output folder: a second build of the same folder
/// waits for it, so two swaps never interleave and no build clears another's staging
/// folder. The lock file lives beside the folder (inside, the swap would replace it) and
/// is removed when the build is done.
pub struct OutputLock {
    file: fs::File,
    path: PathBuf,
}

impl OutputLock {
    /// Takes the lock on `output`, waiting (and saying so) while another build holds it.
    pub fn take(output: &Path) -> Result<OutputLock, Diagnostic> {
        let path = sibling_named(output, "lock".to_string());
        let failed = |e: std::io::Error| {
            Diagnostic::error(format!("cannot lock {}: {e}", output.display()))
                .in_file(&path)
                .help("check that the folder beside the output folder can be written to")
        };
        // `--output new/folder/site` makes its parents, as the staging folder would.
        if let Some(parent) = path.parent().filter(|p| !p.exists()) {
            fs::create_dir_all(parent).map_err(failed)?;
        }
        let mut said = false;
        loop {
            let file = fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)
                .map_err(failed)?;
            match file.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => {
                    if !said {
                        eprintln!(
                            "Waiting for another build writing to {} to finish",
                            crate::diagnostic::printable(&output.display().to_string())
                        );
                        said = true;
                    }
                    file.lock().map_err(failed)?;
                }
                Err(fs::TryLockError::Error(e)) => return Err(failed(e)),
            }
            // The build before may have removed the file as it finished, after this one
            // opened it: a lock on a file no one else can find is no lock, so start again.
            if is_same_file(&file, &path) {
                return Ok(OutputLock { file, path });
            }
        }
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        // Removed while still held, so that a build waiting on it finds it gone and takes
        // a new one (see `take`), and none is left beside the output.
        if cfg!(unix) {
            let _ = fs::remove_file(&self.path);
        }
        let _ = self.file.unlock();
    }
}

#[cfg(unix)]
fn is_same_file(file: &fs::File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(held), Ok(named)) => held.dev() == named.dev() && held.ino() == named.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn is_same_file(_: &fs::File, _: &Path) -> bool {
    // The file is never removed there (see `Drop`), so the one opened is the one named.
    true
}

/// What a finished [`Staging`] holds.
pub struct Written {
    pub files: usize,
    pub bytes: u64,
    /// Said when the new site is in place but the previous one could not all be removed.
    pub warning: Option<Diagnostic>,
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
    /// The folders that copied files may come from, as the file system sees them (the
    /// content folder and the themes); empty until [`Staging::copy_only_from`] is called.
    sources: Vec<PathBuf>,
    finished: bool,
}

impl Staging {
    pub fn begin(output: &Path) -> Result<Staging, Diagnostic> {
        let dir = sibling(output, "staging");
        // Safe under the output's lock: no other build is using them.
        remove_abandoned(&dir);
        remove_abandoned(&sibling(output, "previous"));
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
            sources: Vec::new(),
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

    /// Copies files only from inside `folders` (those that exist): a file that was checked
    /// when the content was read may have been swapped for a link out of the folder since.
    pub fn copy_only_from(&mut self, folders: &[&Path]) {
        self.sources = folders
            .iter()
            .filter_map(|folder| fs::canonicalize(folder).ok())
            .collect();
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
            Contents::CopyOf(source) => {
                let file = self.open_copied(source)?;
                self.in_folder(relative)
                    .and_then(|()| copy_open_file(file, &target))
            }
            Contents::Written(_) => return Ok(()),
        }
        .map_err(|e| io_error(&target, e))?;
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(bytes, Ordering::Relaxed);
        Ok(())
    }

    /// The file at `source`, opened to be copied, if it is still a file inside the folders
    /// copies come from. The check is made on the opened file, so a link put in its place
    /// (or in a folder's place on its way) after the content was read is refused, and a
    /// FIFO is never waited on.
    fn open_copied(&self, source: &Path) -> Result<fs::File, Diagnostic> {
        let failed = |error: std::io::Error| {
            Diagnostic::error(format!("cannot read {}: {error}", source.display()))
                .in_file(source)
                .help("the file changed while the site was built: build again; the previous output is untouched")
        };
        let mut options = fs::OpenOptions::new();
        options.read(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
        let file = options.open(source).map_err(failed)?;
        if !file.metadata().map_err(failed)?.is_file() {
            return Err(failed(std::io::Error::other("it is no longer a file")));
        }
        if self.sources.is_empty() {
            return Ok(file);
        }
        let real = crate::output::opened_at(&file, source).map_err(failed)?;
        if !self.sources.iter().any(|folder| real.starts_with(folder)) {
            return Err(Diagnostic::error(format!(
                "{} became a link to {}, outside the content folder, while the site was built",
                source.display(),
                real.display()
            ))
            .in_file(source)
            .help(
                "ldr publishes nothing from outside the content folder: check what changes the \
                 content folder during a build; the previous output is untouched",
            ));
        }
        Ok(file)
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
        let output = self.output.display().to_string();
        let existed = self.output.exists();
        let warning = match swap_into_place(&self.dir, &self.output) {
            Ok(()) => None,
            Err(Swap::Untouched(error)) => {
                let state = if existed {
                    format!("the previous site in {output} is as it was")
                } else {
                    format!("{output} was not made")
                };
                return Err(Diagnostic::error(format!("cannot replace {output}: {error}"))
                    .in_file(&self.output)
                    .help(format!(
                        "{state}, and nothing was left behind; check the folder's permissions \
                         (its folders must be writable) and free disk space, then build \
                         again"
                    )));
            }
            Err(Swap::Stranded { previous, error }) => {
                return Err(Diagnostic::error(format!(
                    "cannot replace {output}, and could not put the previous site back: {error}"
                ))
                .in_file(&self.output)
                .help(format!(
                    "the previous site is in {}: rename it to {output} to have it back",
                    previous.display()
                )));
            }
            Err(Swap::OldLeft { previous, error }) => Some(
                Diagnostic::warning(format!(
                    "the new site is in {output}, but the previous one could not all be removed: {error}"
                ))
                .in_file(&previous)
                .help(format!(
                    "remove {} by hand; the next build into {output} tries again",
                    previous.display()
                )),
            ),
        };
        self.finished = true;
        Ok(Written {
            files: self.files.load(Ordering::Relaxed),
            bytes: self.bytes.load(Ordering::Relaxed),
            warning,
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

/// Copies the open `file` to `target`, returning the bytes copied.
fn copy_open_file(mut file: fs::File, target: &Path) -> std::io::Result<u64> {
    let mut out = fs::File::create(target)?;
    std::io::copy(&mut file, &mut out)
}

fn io_error(path: &Path, error: std::io::Error) -> Diagnostic {
    Diagnostic::error(format!("cannot write {}: {error}", path.display()))
        .in_file(path)
        .help(
            "check the folder's permissions and free disk space; the previous output is untouched",
        )
}

/// How a swap went wrong, by what it left.
enum Swap {
    /// `output/` is as it was, and the staging folder is still to be removed.
    Untouched(std::io::Error),
    /// The previous site was moved aside and could not be moved back.
    Stranded {
        previous: PathBuf,
        error: std::io::Error,
    },
    /// The new site is in place; the previous one, moved aside, could not all be removed.
    OldLeft {
        previous: PathBuf,
        error: std::io::Error,
    },
}

/// The steps of a swap, by the names a test gives `LDR_TEST_FAIL_SWAP` to make one fail.
#[derive(Clone, Copy)]
enum Step {
    /// Checking that the previous site can be removed, before anything moves.
    Check,
    /// The previous site stepping aside.
    Aside,
    /// The new site taking its name.
    MoveIn,
    /// The previous site being removed.
    Remove,
}

/// Fails `step` when a test asks for it. A failed swap is hard to cause for real in a test
/// (the tests run as root, whom permissions do not stop), so debug builds, which the tests
/// run, honour `LDR_TEST_FAIL_SWAP=check|step-aside|move-in|remove`; release builds do not
/// look at it.
fn injected(step: Step) -> std::io::Result<()> {
    if cfg!(debug_assertions) {
        let name = match step {
            Step::Check => "check",
            Step::Aside => "step-aside",
            Step::MoveIn => "move-in",
            Step::Remove => "remove",
        };
        if std::env::var("LDR_TEST_FAIL_SWAP").is_ok_and(|v| v == name) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                format!("permission denied (the test's failure at the {name} step)"),
            ));
        }
    }
    Ok(())
}

/// Two renames: the old site steps aside, the new one takes its name, the old one goes.
/// What could stop the old one going (a folder at its top that is not writable, as after
/// `chmod 555 output`) is checked first, so the site is not half removed when the swap
/// fails; a failed rename puts the old site back.
fn swap_into_place(staging: &Path, output: &Path) -> Result<(), Swap> {
    if !output.exists() {
        return injected(Step::MoveIn)
            .and_then(|()| fs::rename(staging, output))
            .map_err(Swap::Untouched);
    }
    injected(Step::Check)
        .and_then(|()| removable(output))
        .map_err(Swap::Untouched)?;
    let old = sibling(output, "previous");
    if old.exists() {
        fs::remove_dir_all(&old).map_err(Swap::Untouched)?;
    }
    injected(Step::Aside)
        .and_then(|()| fs::rename(output, &old))
        .map_err(Swap::Untouched)?;
    if let Err(error) = injected(Step::MoveIn).and_then(|()| fs::rename(staging, output)) {
        return match fs::rename(&old, output) {
            Ok(()) => Err(Swap::Untouched(error)),
            Err(_) => Err(Swap::Stranded {
                previous: old,
                error,
            }),
        };
    }
    if let Err(error) = injected(Step::Remove) {
        // Nothing of the old site is removed yet: it can still go back whole.
        return match fs::rename(output, staging).and_then(|()| fs::rename(&old, output)) {
            Ok(()) => Err(Swap::Untouched(error)),
            Err(_) => Err(Swap::OldLeft {
                previous: old,
                error,
            }),
        };
    }
    fs::remove_dir_all(&old).map_err(|error| Swap::OldLeft {
        previous: old,
        error,
    })
}

/// Fails, naming the folder, when `output` or a folder just inside it cannot have its files
/// removed (`chmod 555 output`, a folder made by another user). Deeper folders are not
/// looked at: that would read every folder of the old site before each build (a tenth of a
/// build at 1,000 footprints), and a deeper one that cannot go leaves the new site in place
/// and the old one named in a warning for the next build to remove.
fn removable(output: &Path) -> std::io::Result<()> {
    for entry in walkdir::WalkDir::new(output).max_depth(1) {
        let entry = entry.map_err(std::io::Error::other)?;
        if entry.file_type().is_dir() && !writable(entry.path()) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                format!(
                    "{} is not writable, so the previous site could not be removed",
                    entry.path().display()
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(unix)]
fn writable(folder: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(path) = std::ffi::CString::new(folder.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: `path` is a NUL-terminated string that outlives the call, which only reads it.
    unsafe { libc::access(path.as_ptr(), libc::W_OK | libc::X_OK) == 0 }
}

#[cfg(not(unix))]
fn writable(folder: &Path) -> bool {
    fs::metadata(folder).is_ok_and(|m| !m.permissions().readonly())
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
    sibling_named(output, format!("{role}-{}", std::process::id()))
}

/// `.<output's name>.ldr-<role>` beside `output`.
fn sibling_named(output: &Path, role: String) -> PathBuf {
    let name = output
        .file_name()
        .map_or("output".into(), |n| n.to_string_lossy().into_owned());
    let parent = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    parent.join(format!(".{name}.ldr-{role}"))
}

#[cfg(test)]
mod tests {
    use super::{OutputLock, Staging};

    /// A second build of one folder waits for the first, then has the lock to itself, and
    /// none is left beside the folder after.
    #[test]
    fn a_second_lock_on_one_output_waits_for_the_first() {
        let root = tempfile::tempdir().unwrap();
        let output = root.path().join("output");
        let first = OutputLock::take(&output).unwrap();
        let (sender, receiver) = std::sync::mpsc::channel();
        let waiter = {
            let output = output.clone();
            std::thread::spawn(move || {
                let second = OutputLock::take(&output).unwrap();
                sender.send(()).unwrap();
                drop(second);
            })
        };
        // Still held: the second cannot have it (if it had, it would have said so).
        assert!(receiver.try_recv().is_err());
        drop(first);
        receiver.recv().unwrap();
        waiter.join().unwrap();
        let left: Vec<_> = std::fs::read_dir(root.path()).unwrap().collect();
        assert!(left.is_empty(), "{left:?}");
    }
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
