//! Stage 5: put the finished site on disk. Everything is written to a staging folder
//! beside `output/` and swapped in only when all of it is there, so a failed build leaves
//! the previous site byte for byte as it was.

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::render::{Contents, OutputFile};

/// The file that marks a folder as made by ldr, and so safe to replace.
pub const MARKER: &str = ".ldr-output";

/// Refuses an output folder whose replacement would destroy something.
pub fn check_output_folder(output: &Path, content: &Path) -> Result<(), Diagnostic> {
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

/// What [`write_site`] did.
pub struct Written {
    pub files: usize,
    pub bytes: u64,
}

pub fn write_site(files: &[OutputFile], output: &Path) -> Result<Written, Diagnostic> {
    let staging = sibling(output, "staging");
    let failed = |what: &str, path: &Path, e: std::io::Error| {
        Diagnostic::error(format!("cannot {what} {}: {e}", path.display()))
            .in_file(path)
            .help("check the folder's permissions and free disk space; the previous output is untouched")
    };
    if staging.exists() {
        fs::remove_dir_all(&staging).map_err(|e| failed("clear", &staging, e))?;
    }
    let result = write_all(files, &staging).and_then(|written| {
        swap_into_place(&staging, output).map_err(|e| failed("replace", output, e))?;
        Ok(written)
    });
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

fn write_all(files: &[OutputFile], staging: &Path) -> Result<Written, Diagnostic> {
    let mut folders: Vec<PathBuf> = files
        .iter()
        .filter_map(|f| staging.join(&f.path).parent().map(Path::to_path_buf))
        .collect();
    folders.sort();
    folders.dedup();
    for folder in std::iter::once(staging.to_path_buf()).chain(folders) {
        fs::create_dir_all(&folder).map_err(|e| io_error(&folder, e))?;
    }
    fs::write(
        staging.join(MARKER),
        "This folder is made by `ldr build` and replaced on every build.\n",
    )
    .map_err(|e| io_error(staging, e))?;
    let bytes = files
        .par_iter()
        .map(|file| {
            let target = staging.join(&file.path);
            match &file.contents {
                Contents::Bytes(bytes) => fs::write(&target, bytes).map(|_| bytes.len() as u64),
                Contents::CopyOf(source) => fs::copy(source, &target),
            }
            .map_err(|e| io_error(&target, e))
        })
        .collect::<Result<Vec<u64>, Diagnostic>>()?;
    Ok(Written {
        files: files.len(),
        bytes: bytes.iter().sum(),
    })
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
