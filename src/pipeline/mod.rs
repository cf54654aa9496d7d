//! The build as one function from a content folder to files: load, model, render, index,
//! and (for `ldr build`) write.

mod patch;
mod progress;

pub use progress::{Progress, Verbosity};

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::index::search::SearchIndex;
use crate::model::{Overrides, Site};
use crate::output::{Contents, OutputFile};
use crate::render::{RenderCache, Templates};
use crate::write::{self, Staging};
use crate::{index, load, render};

/// Where a build reads from, and what the command line sets.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The content folder (`content/`).
    pub content: PathBuf,
    /// The folder that holds themes (`<themes>/<name>/templates/`).
    pub themes: PathBuf,
    /// What the command line sets over `site.toml`.
    pub overrides: Overrides,
}

/// A built site in memory, not yet written.
pub struct Built {
    /// The checked model the files were made from.
    pub(crate) site: Site,
    /// Every file of the site.
    pub files: Vec<OutputFile>,
    /// Problems that did not stop the build.
    pub warnings: Diagnostics,
    /// Pages rendered afresh; the others were reused from the previous build.
    pub rendered: usize,
}

/// What a rebuild changed.
pub struct Update {
    /// Pages rendered afresh.
    pub rendered: usize,
    /// Which files changed.
    pub files: Changed,
}

/// Which files of the served site a rebuild changed.
pub enum Changed {
    /// A full build: see [`Builder::current`] for every file.
    All,
    /// Only these files changed (their bytes differ from before) and these paths are gone.
    Some {
        /// Files made or changed.
        changed: Vec<OutputFile>,
        /// Paths that are gone.
        removed: Vec<String>,
    },
}

/// Builds a site again and again (for `ldr serve`), re-rendering only the pages whose
/// inputs changed since the last successful build.
pub struct Builder {
    options: BuildOptions,
    /// Whether to keep what a build made for the next one; a one-off build does not.
    keeps: bool,
    /// The last good build and what makes the next one cheap; a failed build keeps it.
    kept: Option<Kept>,
    /// Paths changed since the last good build: the next build reads them again.
    pending: BTreeSet<PathBuf>,
    progress: Progress,
}

/// What `ldr serve` keeps from the last good build.
struct Kept {
    built: Built,
    templates: Templates,
    cache: RenderCache,
    search: Option<SearchIndex>,
    /// Where each path is in `built.files`.
    positions: FxHashMap<String, usize>,
    /// The day the build was made: "today" is on every page unless `now` is set, so a
    /// patch on a later day would mix two dates.
    made_on: NaiveDate,
}

impl Builder {
    /// A builder that keeps what it rendered, to rebuild only what changes.
    pub fn new(options: BuildOptions) -> Self {
        Builder {
            options,
            keeps: true,
            kept: None,
            pending: BTreeSet::new(),
            progress: Progress::hidden(),
        }
    }

    /// A builder for one build: nothing is hashed or kept for later.
    pub fn once(options: BuildOptions, progress: Progress) -> Self {
        Builder {
            keeps: false,
            progress,
            ..Builder::new(options)
        }
    }

    /// What the builder builds from.
    pub fn options(&self) -> &BuildOptions {
        &self.options
    }

    /// The last good build.
    pub fn current(&self) -> Option<&Built> {
        self.kept.as_ref().map(|k| &k.built)
    }

    /// Drops what the last good build kept, so the next build is made afresh.
    pub fn forget(&mut self) {
        self.kept = None;
    }

    /// The last good build, given up.
    pub fn into_built(self) -> Option<Built> {
        self.kept.map(|k| k.built)
    }

    /// Rebuilds after the files at `changed` changed. An edit to footprints' roadmaps, or
    /// to what only their own pages show, is patched in: those pages are rendered again and
    /// their search records replaced, at a cost that does not grow with the site. Anything
    /// else (and any error, so that it is reported exactly as a full build reports it) is a
    /// full build.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<Update, Diagnostics> {
        self.pending.extend(changed.iter().cloned());
        if self.only_copied_files_changed() {
            self.pending.clear();
            return Ok(Update {
                rendered: 0,
                files: Changed::Some {
                    changed: Vec::new(),
                    removed: Vec::new(),
                },
            });
        }
        if let Some(update) = self
            .edited_footprint_files()
            .and_then(|edits| self.patch_footprints(&edits))
        {
            self.pending.clear();
            return Ok(update);
        }
        let rendered = self.build()?.rendered;
        Ok(Update {
            rendered,
            files: Changed::All,
        })
    }

    /// Files the site copies as they are (stylesheets, images, attachments) are served from
    /// their source, so edits to them alone change nothing in the kept build: a stylesheet
    /// saved is in the preview without a build (a full build took 0.4 s at 1,000 footprints).
    fn only_copied_files_changed(&self) -> bool {
        let Some(kept) = &self.kept else {
            return false;
        };
        // The watcher names files by absolute paths, the content folder may be relative.
        let copied: Vec<PathBuf> = kept
            .built
            .files
            .iter()
            .filter_map(|file| match &file.contents {
                Contents::CopyOf(source) => std::path::absolute(source).ok(),
                _ => None,
            })
            .collect();
        !self.pending.is_empty()
            && self.pending.iter().all(|path| {
                path.is_file() && std::path::absolute(path).is_ok_and(|path| copied.contains(&path))
            })
    }

    /// Loads, checks and renders the whole site; all problems of the run come back
    /// together, and a failed build keeps the last good one.
    pub fn build(&mut self) -> Result<&Built, Diagnostics> {
        self.build_into(None)
    }

    /// [`Builder::build`], writing each page into `staging` as soon as it is rendered
    /// (the other files are left for the caller to write).
    fn build_into(&mut self, staging: Option<&Staging>) -> Result<&Built, Diagnostics> {
        let options = &self.options;
        let progress = self.progress.clone();
        let content = progress.stage("load", || load::load_content(&options.content))?;
        let (site, warnings) =
            progress.stage("model", || Site::from_content(content, &options.overrides))?;
        let theme = options.themes.join(&site.config.theme);
        let theme = load::load_theme(
            &theme,
            &site.template_overrides,
            &options.content.join("templates"),
        )?;
        let templates = Templates::compile(&theme)?;
        let empty = RenderCache::default();
        let previous = match (self.keeps, &self.kept) {
            (false, _) => None,
            (true, Some(kept)) => Some(&kept.cache),
            (true, None) => Some(&empty),
        };
        let sink = |page: OutputFile| {
            progress.made_one();
            match staging {
                Some(staging) => staging.put_and_forget(page),
                None => Ok(page),
            }
        };
        let rendered = progress.counted_stage("render", || {
            render::render_site(&site, &templates, previous, &sink)
        })?;
        let mut files = rendered.files;
        files.extend(progress.stage("index", || index::index_site(&site))?);
        let search = progress.stage("search", || self.search_index(&site, &mut files));
        files.extend(theme_static_files(&theme));
        check_unique_paths(&files)?;
        let positions = if self.keeps {
            files
                .iter()
                .enumerate()
                .map(|(i, f)| (f.path.clone(), i))
                .collect()
        } else {
            FxHashMap::default()
        };
        self.pending.clear();
        let kept = self.kept.insert(Kept {
            built: Built {
                site,
                files,
                warnings,
                rendered: rendered.rendered,
            },
            templates,
            cache: rendered.cache,
            search: self.keeps.then_some(search),
            positions,
            made_on: today(),
        });
        Ok(&kept.built)
    }
}

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// Refuses two files at one path (an attachment named like the page ldr makes there, a
/// static file over a generated one): which one won would depend on the order of writing.
fn check_unique_paths(files: &[OutputFile]) -> Result<(), Diagnostics> {
    let mut seen: FxHashMap<&str, &OutputFile> = FxHashMap::default();
    let mut problems = Diagnostics::new();
    for file in files {
        if let Some(first) = seen.insert(&file.path, file) {
            let mut problem = Diagnostic::error(format!(
                "two files of the site would be written to `{}`",
                file.path
            ))
            .help("ldr makes this file itself, or another file is copied there: rename or move the copied file");
            if let Some(copied) = [first, file].into_iter().find_map(|f| match &f.contents {
                Contents::CopyOf(path) => Some(path),
                _ => None,
            }) {
                problem = problem.in_file(copied);
            }
            problems.push(problem);
        }
    }
    if problems.has_errors() {
        Err(problems)
    } else {
        Ok(())
    }
}

/// The theme's own CSS and images, under `/static/`.
fn theme_static_files(theme: &load::Theme) -> Vec<OutputFile> {
    theme
        .static_files
        .iter()
        .map(|(file, name)| OutputFile {
            path: format!("static/{name}"),
            contents: Contents::CopyOf(file.clone()),
        })
        .collect()
}

/// What a build made, for the summary line.
pub struct BuildReport {
    /// Footprints built.
    pub footprints: usize,
    /// Organisations in the register (examples left out).
    pub organisations: usize,
    /// Stories built.
    pub stories: usize,
    /// Events built.
    pub events: usize,
    /// Plain pages built.
    pub pages: usize,
    /// Files made.
    pub files: usize,
    /// Bytes written (0 when nothing was written).
    pub bytes: u64,
    /// Problems that did not stop the build.
    pub warnings: Diagnostics,
    /// How long the build took.
    pub elapsed: Duration,
}

/// Builds and, when `output` is given, writes the site (`ldr check` passes `None`),
/// saying as much as `verbosity` asks while it runs.
pub fn build(
    options: &BuildOptions,
    output: Option<&Path>,
    verbosity: Verbosity,
) -> Result<BuildReport, Diagnostics> {
    let started = Instant::now();
    if let Some(output) = output {
        write::check_output_folder(output, &options.content)?;
    }
    let staging = output.map(Staging::begin).transpose()?;
    let progress = Progress::new(verbosity);
    let mut builder = Builder::once(options.clone(), progress.clone());
    let built = builder.build_into(staging.as_ref());
    if built.is_err() {
        progress.finish();
    }
    built?;
    let built = builder.into_built().expect("a good build is kept");
    let written = staging.map(|staging| {
        progress.stage("write", || {
            // The pages are written already; the rest goes in before the swap.
            built
                .files
                .par_iter()
                .try_for_each(|file| staging.put(file))?;
            staging.finish()
        })
    });
    progress.finish();
    let written = written.transpose()?;
    let site = &built.site;
    Ok(BuildReport {
        footprints: site.footprints.len(),
        organisations: site.registry.real().count(),
        stories: site.stories.len(),
        events: site.events.len(),
        pages: site.pages.len(),
        files: written.as_ref().map_or(built.files.len(), |w| w.files),
        bytes: written.map_or(0, |w| w.bytes),
        warnings: built.warnings,
        elapsed: started.elapsed(),
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::Path;

    use super::{BuildOptions, Builder};
    use crate::model::Overrides;
    use crate::model::routes::Route;
    use crate::output::Contents;

    /// The route table and the build cannot drift apart: every route is a file the build
    /// makes, and every page the build makes (not a copied file) has a route.
    #[test]
    fn every_route_is_built_and_every_page_has_a_route() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let options = BuildOptions {
            content: root.join("content"),
            themes: root.join("themes"),
            overrides: Overrides::default(),
        };
        let mut builder = Builder::new(options);
        let built = builder.build().expect("the default site builds");
        let routes: BTreeSet<String> = Route::every(&built.site)
            .iter()
            .map(Route::output_path)
            .collect();
        let made: BTreeSet<String> = built
            .files
            .iter()
            .filter(|f| !matches!(f.contents, Contents::CopyOf(_)))
            .map(|f| f.path.clone())
            .collect();
        let unbuilt: Vec<_> = routes.difference(&made).collect();
        assert!(unbuilt.is_empty(), "routes the build does not make: {unbuilt:?}");
        let search = format!("{}/", crate::index::search::DIR);
        let unrouted: Vec<_> = made
            .difference(&routes)
            .filter(|path| !path.starts_with(&search))
            .collect();
        assert!(unrouted.is_empty(), "files made without a route: {unrouted:?}");
        assert!(routes.len() > 100, "{} routes", routes.len());
    }
}
