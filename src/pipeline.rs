//! The build as one function from a content folder to files: load, model, render, index,
//! and (for `ldr build`) write.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diagnostic::Diagnostics;
use crate::model::{Footprint, MarkdownSource, Overrides, Site};
use std::collections::BTreeSet;

use rustc_hash::FxHashMap;

use crate::index::search::SearchIndex;
use crate::render::{Contents, OutputFile, RenderCache, Templates};
use crate::{index, load, render, write};

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub content: PathBuf,
    /// The folder that holds themes (`<themes>/<name>/templates/`).
    pub themes: PathBuf,
    pub overrides: Overrides,
}

/// A built site in memory, not yet written.
pub struct Built {
    pub site: Site,
    pub files: Vec<OutputFile>,
    pub warnings: Diagnostics,
    /// Pages rendered afresh; the others were reused from the previous build.
    pub rendered: usize,
}

/// What a rebuild changed.
pub struct Update {
    /// Pages rendered afresh.
    pub rendered: usize,
    pub files: Changed,
}

pub enum Changed {
    /// A full build: see [`Builder::current`] for every file.
    All,
    /// Only these files changed (their bytes differ from before) and these paths are gone.
    Some {
        changed: Vec<OutputFile>,
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
}

/// What `ldr serve` keeps from the last good build.
struct Kept {
    built: Built,
    templates: Templates,
    cache: RenderCache,
    search: Option<SearchIndex>,
    /// Where each path is in `built.files`.
    positions: FxHashMap<String, usize>,
}

impl Builder {
    /// A builder that keeps what it rendered, to rebuild only what changes.
    pub fn new(options: BuildOptions) -> Self {
        Builder {
            options,
            keeps: true,
            kept: None,
            pending: BTreeSet::new(),
        }
    }

    /// A builder for one build: nothing is hashed or kept for later.
    pub fn once(options: BuildOptions) -> Self {
        Builder {
            keeps: false,
            ..Builder::new(options)
        }
    }

    pub fn options(&self) -> &BuildOptions {
        &self.options
    }

    /// The last good build.
    pub fn current(&self) -> Option<&Built> {
        self.kept.as_ref().map(|k| &k.built)
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

    /// Loads, checks and renders the whole site; all problems of the run come back
    /// together, and a failed build keeps the last good one.
    pub fn build(&mut self) -> Result<&Built, Diagnostics> {
        let options = &self.options;
        let content = timed("load", || load::load_content(&options.content))?;
        let (site, warnings) = timed("model", || Site::from_content(content, &options.overrides))?;
        let theme = options.themes.join(&site.config.theme);
        let templates = Templates::load(
            &theme,
            &site.template_overrides,
            &options.content.join("templates"),
        )?;
        let empty = RenderCache::default();
        let previous = match (self.keeps, &self.kept) {
            (false, _) => None,
            (true, Some(kept)) => Some(&kept.cache),
            (true, None) => Some(&empty),
        };
        let rendered = timed("render", || {
            render::render_site(&site, &templates, previous)
        })?;
        let mut files = rendered.files;
        files.extend(timed("index", || index::index_site(&site, &files))?);
        let search = timed("search", || {
            let (search, search_files) = SearchIndex::new(&site);
            files.extend(search_files);
            search
        });
        files.extend(theme_static_files(&theme.join("static")));
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
        });
        Ok(&kept.built)
    }

    /// The footprint files that are all the pending changes, if that is all.
    fn edited_footprint_files(&self) -> Option<Vec<(String, FootprintFile)>> {
        if self.pending.is_empty() {
            return None;
        }
        let site = &self.kept.as_ref()?.built.site;
        let footprints = std::fs::canonicalize(self.options.content.join("footprints")).ok()?;
        let mut edits = Vec::new();
        for path in &self.pending {
            let which = match path.file_name()?.to_str()? {
                "roadmap.md" => FootprintFile::Roadmap,
                "footprint.toml" => FootprintFile::Facts,
                _ => return None,
            };
            let folder = path.parent()?;
            if std::fs::canonicalize(folder.parent()?).ok()? != footprints {
                return None;
            }
            let footprint = site.footprint_by_slug(&load::folder_slug(folder))?;
            if footprint.folder.file_name() != folder.file_name() {
                return None;
            }
            edits.push((footprint.slug.clone(), which));
        }
        // Facts first: a footprint read again keeps the roadmap it had.
        edits.sort_by_key(|(_, which)| *which);
        Some(edits)
    }

    /// Reads and checks the edited files, then patches them into the kept build. `None`
    /// asks for a full build: a problem in the files, or an edit that reaches other pages.
    fn patch_footprints(&mut self, edits: &[(String, FootprintFile)]) -> Option<Update> {
        let kept = self.kept.as_mut()?;
        let site = &kept.built.site;
        // Everything is read and checked before anything kept is changed.
        let mut patches = Vec::new();
        for (slug, which) in edits {
            let folder = &site.footprint_by_slug(slug)?.folder;
            let patch = match which {
                FootprintFile::Facts => {
                    let file = load::read_source_file(&folder.join("footprint.toml")).ok()?;
                    Patch::Facts(Box::new(site.locally_edited_footprint(slug, file)?))
                }
                FootprintFile::Roadmap => {
                    let path = folder.join("roadmap.md");
                    let roadmap = match path.is_file() {
                        true => {
                            let file = load::read_source_file(&path).ok()?;
                            Some(site.check_roadmap(file, &self.options.content).ok()?)
                        }
                        false => None,
                    };
                    Patch::Roadmap(slug, roadmap)
                }
            };
            patches.push(patch);
        }
        for patch in patches {
            match patch {
                Patch::Facts(footprint) => kept.built.site.set_footprint(*footprint),
                Patch::Roadmap(slug, roadmap) => kept.built.site.set_roadmap(slug, roadmap),
            }
        }
        let mut slugs: Vec<String> = edits.iter().map(|(slug, _)| slug.clone()).collect();
        slugs.sort();
        slugs.dedup();
        let patched = kept.patch_footprints(&slugs);
        if patched.is_none() {
            // Half changed: the next build starts afresh.
            self.kept = None;
        }
        patched
    }
}

/// The files of a footprint folder that an edit can be patched in from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum FootprintFile {
    Facts,
    Roadmap,
}

/// A checked edit, ready to go into the kept site.
enum Patch<'a> {
    Facts(Box<Footprint>),
    Roadmap(&'a str, Option<MarkdownSource>),
}

impl Kept {
    /// Renders the pages and search records of `slugs` again and puts them in the files.
    fn patch_footprints(&mut self, slugs: &[String]) -> Option<Update> {
        let site = &self.built.site;
        let (pages, rendered) =
            render::render_footprint_pages(site, &self.templates, &mut self.cache, slugs).ok()?;
        let mut files = pages;
        let mut removed = Vec::new();
        let search = self.search.as_mut()?;
        for slug in slugs {
            let change = search.replace_footprint(site.footprint_by_slug(slug)?)?;
            files.extend(change.changed);
            removed.extend(change.removed);
        }
        let changed = self.put(files);
        for path in &removed {
            self.remove(path);
        }
        Some(Update {
            rendered,
            files: Changed::Some { changed, removed },
        })
    }

    /// Puts `files` in place of those at the same paths; returns those whose bytes changed.
    fn put(&mut self, files: Vec<OutputFile>) -> Vec<OutputFile> {
        let mut changed = Vec::new();
        for file in files {
            match self.positions.get(&file.path) {
                Some(&i) if same_bytes(&self.built.files[i].contents, &file.contents) => {}
                Some(&i) => {
                    self.built.files[i] = file.clone();
                    changed.push(file);
                }
                None => {
                    self.positions
                        .insert(file.path.clone(), self.built.files.len());
                    self.built.files.push(file.clone());
                    changed.push(file);
                }
            }
        }
        changed
    }

    fn remove(&mut self, path: &str) {
        let Some(i) = self.positions.remove(path) else {
            return;
        };
        self.built.files.swap_remove(i);
        if let Some(moved) = self.built.files.get(i) {
            self.positions.insert(moved.path.clone(), i);
        }
    }
}

fn same_bytes(a: &Contents, b: &Contents) -> bool {
    match (a, b) {
        (Contents::Bytes(a), Contents::Bytes(b)) => a == b,
        _ => false,
    }
}

/// The theme's own CSS and images, under `/static/`.
fn theme_static_files(dir: &Path) -> Vec<OutputFile> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && !load::is_editor_litter(e.path()))
        .map(|e| OutputFile {
            path: format!(
                "static/{}",
                e.path()
                    .strip_prefix(dir)
                    .unwrap_or(e.path())
                    .to_string_lossy()
                    .replace('\\', "/")
            ),
            contents: render::Contents::CopyOf(e.path().to_path_buf()),
        })
        .collect()
}

/// With `LDR_TIMINGS` set, prints how long a stage took to stderr, for the benchmarks.
fn timed<T>(stage: &str, run: impl FnOnce() -> T) -> T {
    if std::env::var_os("LDR_TIMINGS").is_none() {
        return run();
    }
    let started = Instant::now();
    let value = run();
    eprintln!("timing: {stage} {} ms", started.elapsed().as_millis());
    value
}

/// What a build made, for the summary line.
pub struct BuildReport {
    pub footprints: usize,
    pub organisations: usize,
    pub stories: usize,
    pub events: usize,
    pub pages: usize,
    pub files: usize,
    pub bytes: u64,
    pub warnings: Diagnostics,
    pub elapsed: Duration,
}

/// Builds and, when `output` is given, writes the site (`ldr check` passes `None`).
pub fn build(options: &BuildOptions, output: Option<&Path>) -> Result<BuildReport, Diagnostics> {
    let started = Instant::now();
    if let Some(output) = output {
        write::check_output_folder(output, &options.content)?;
    }
    let mut builder = Builder::once(options.clone());
    builder.build()?;
    let built = builder.into_built().expect("a good build is kept");
    let written = match output {
        Some(output) => Some(timed("write", || write::write_site(&built.files, output))?),
        None => None,
    };
    let site = &built.site;
    Ok(BuildReport {
        footprints: site.footprints.len(),
        organisations: site.registry.len(),
        stories: site.stories.len(),
        events: site.events.len(),
        pages: site.pages.len(),
        files: written.as_ref().map_or(built.files.len(), |w| w.files),
        bytes: written.map_or(0, |w| w.bytes),
        warnings: built.warnings,
        elapsed: started.elapsed(),
    })
}
