//! The build as one function from a content folder to files: load, model, render, index,
//! and (for `ldr build`) write. `ldr serve` keeps a [`Builder`], which remakes after an
//! edit only the files whose inputs changed (`graph.rs`).

mod graph;
mod progress;

pub use progress::{Progress, Verbosity};

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::index::search::{BundleChange, SearchIndex};
use crate::model::Illustrative;
use crate::model::changes::changed_inputs;
use crate::model::inputs::{Fragment, Input, Output};
use crate::model::routes::Route;
use crate::model::{Overrides, Site};
use crate::output::{Contents, OutputFile};
use crate::render::Templates;
use crate::write::{self, Staging};
use crate::{index, load, render};
use graph::DependencyGraph;

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
    /// Pages rendered by the last build or rebuild.
    pub rendered: usize,
}

/// What a rebuild changed.
pub struct Update {
    /// Pages rendered afresh.
    pub rendered: usize,
    /// Whether the whole content folder was read again, rather than the saved files alone.
    pub read_everything: bool,
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

/// Builds a site again and again (for `ldr serve`), remaking after each edit only the
/// files that read what the edit changed.
pub struct Builder {
    options: BuildOptions,
    /// Whether to keep what a build made for the next one; a one-off build does not.
    keeps: bool,
    /// The last good build and what makes the next one cheap; a failed build keeps it.
    kept: Option<Kept>,
    /// Paths changed since the last good build.
    pending: BTreeSet<PathBuf>,
    progress: Progress,
}

/// What `ldr serve` keeps from the last good build.
struct Kept {
    built: Built,
    theme: load::Theme,
    templates: Templates,
    graph: DependencyGraph,
    search: SearchIndex,
    fragments: index::Fragments,
    parts: render::Parts,
    /// Markdown turned into HTML, kept until the next full build.
    memo: render::MarkdownMemo,
    /// Where each path is in `built.files`.
    positions: FxHashMap<String, usize>,
    /// The day the build was made: "today" is on every page unless `now` is set, so a
    /// build on a later day is made afresh.
    made_on: NaiveDate,
}

/// A site loaded and checked, with its templates, before anything is rendered.
struct Modelled {
    site: Site,
    warnings: Diagnostics,
    theme: load::Theme,
    templates: Templates,
}

impl Builder {
    /// A builder that keeps what it made, to remake only what changes.
    pub fn new(options: BuildOptions) -> Self {
        Builder {
            options,
            keeps: true,
            kept: None,
            pending: BTreeSet::new(),
            progress: Progress::hidden(),
        }
    }

    /// A builder for one build: nothing is kept for later.
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

    /// Rebuilds after the files at `changed` changed. The saved files are read again and
    /// taken into the kept site (`Site::apply`), or, when they cannot be on their own,
    /// the whole site is loaded and compared with the kept one (`changed_inputs`);
    /// either way only the outputs that read a changed input are made again. A change that
    /// every page reads (`site.toml`, a template, the menu, a new day) makes every page
    /// again. A problem is reported as `ldr build` reports it and leaves the kept build as
    /// it was, unless pages failed to render half way through: then the next rebuild
    /// starts afresh.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<Update, Diagnostics> {
        self.pending.extend(changed.iter().cloned());
        if self.only_copied_files_changed() {
            self.pending.clear();
            return Ok(Update {
                rendered: 0,
                read_everything: false,
                files: Changed::Some {
                    changed: Vec::new(),
                    removed: Vec::new(),
                },
            });
        }
        if let Some(update) = self.apply_edits() {
            self.pending.clear();
            return Ok(update);
        }
        let modelled = self.model()?;
        let same_day_and_theme = self.kept.as_ref().is_some_and(|kept| {
            kept.made_on == today()
                && kept.templates.fingerprint() == modelled.templates.fingerprint()
        });
        if same_day_and_theme && let Some(kept) = self.kept.as_mut() {
            let changed = changed_inputs(&kept.built.site, &modelled.site);
            if !changed.contains(&Input::Site) && !changed.contains(&Input::Menu) {
                kept.take_in(modelled);
                match kept.remake(&changed) {
                    Ok(Some(update)) => {
                        self.pending.clear();
                        return Ok(Update {
                            read_everything: true,
                            ..update
                        });
                    }
                    Ok(None) => return self.build_kept_afresh(),
                    Err(problems) => {
                        // Half made: the next build starts afresh.
                        self.kept = None;
                        return Err(problems);
                    }
                }
            }
        }
        let rendered = self.build_modelled(modelled, None)?.rendered;
        Ok(Update {
            rendered,
            read_everything: true,
            files: Changed::All,
        })
    }

    /// The fast way: the edited files read again and taken into the kept site
    /// ([`Site::apply`]). `None` when the edit needs a full load (or it failed, in which
    /// case the full load reports the problem as `ldr build` does).
    fn apply_edits(&mut self) -> Option<Update> {
        let content = &self.options.content;
        let kept = self.kept.as_mut()?;
        // A warning of the kept build may be gone after the edit: only a full load knows.
        if kept.made_on != today() || kept.built.warnings.iter().next().is_some() {
            return None;
        }
        let site = &kept.built.site;
        let edits = self
            .pending
            .iter()
            .filter(|path| {
                path.exists()
                    || load::as_loaded(content, path)
                        .is_none_or(|path| site.was_made_from(&path, content))
            })
            .map(|path| load::read_edited(content, path))
            .collect::<Option<Vec<_>>>()?;
        let changed = kept.built.site.apply(edits, content)?;
        if changed.contains(&Input::Menu) {
            return self.build_kept_afresh().ok();
        }
        match kept.remake(&changed) {
            Ok(Some(update)) => Some(update),
            Ok(None) => self.build_kept_afresh().ok(),
            Err(_) => {
                self.kept = None;
                None
            }
        }
    }

    /// Renders every route of the kept site again (after an edit that every page shows).
    fn build_kept_afresh(&mut self) -> Result<Update, Diagnostics> {
        let kept = self.kept.take().expect("a kept build");
        let modelled = Modelled {
            site: kept.built.site,
            warnings: kept.built.warnings,
            theme: kept.theme,
            templates: kept.templates,
        };
        let rendered = self.build_modelled(modelled, None)?.rendered;
        Ok(Update {
            rendered,
            read_everything: false,
            files: Changed::All,
        })
    }

    /// Files the site copies as they are (stylesheets, images, attachments) are served from
    /// their source, so edits to them alone change nothing in the kept build: a stylesheet
    /// saved is in the preview without a build.
    fn only_copied_files_changed(&self) -> bool {
        let Some(kept) = &self.kept else {
            return false;
        };
        // The watcher names files by absolute paths, the content folder may be relative.
        let copied: FxHashSet<PathBuf> = kept
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
                // A regular file, not a link: one swapped in for a copied file may lead out
                // of the content folder, and only a full load checks where it leads.
                std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file())
                    && std::path::absolute(path).is_ok_and(|path| copied.contains(&path))
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
        let modelled = self.model()?;
        self.build_modelled(modelled, staging)
    }

    /// Loads and checks the content, and reads and compiles the theme.
    fn model(&self) -> Result<Modelled, Diagnostics> {
        let options = &self.options;
        let progress = &self.progress;
        let content = progress.stage("load", || load::load_content(&options.content))?;
        let theme_folder = options.themes.join(&content.site.theme);
        let template_overrides = content.template_overrides.clone();
        // The theme needs nothing from the model, so it is compiled while the model is made.
        let (modelled, themed) = rayon::join(
            || progress.stage("model", || Site::from_content(content, &options.overrides)),
            || {
                progress.stage("theme", || {
                    let theme = load::load_theme(
                        &theme_folder,
                        &template_overrides,
                        &options.content.join("templates"),
                    )?;
                    let templates = Templates::compile(&theme)?;
                    Ok::<_, Diagnostics>((theme, templates))
                })
            },
        );
        let (site, warnings) = modelled?;
        let (theme, templates) = themed?;
        Ok(Modelled {
            site,
            warnings,
            theme,
            templates,
        })
    }

    /// Renders and indexes every route of a modelled site.
    fn build_modelled(
        &mut self,
        modelled: Modelled,
        staging: Option<&Staging>,
    ) -> Result<&Built, Diagnostics> {
        let Modelled {
            site,
            warnings,
            theme,
            templates,
        } = modelled;
        let progress = self.progress.clone();
        let sink = |page: OutputFile| {
            progress.made_one();
            match staging {
                Some(staging) => staging.put_and_forget(page),
                None => Ok(page),
            }
        };
        let routes = Route::every(&site);
        let parts = progress.stage("parts", || render::Parts::new(&site, &templates))?;
        // A one-off build renders each text once: nothing to remember it for.
        let memo = self.keeps.then(render::MarkdownMemo::default);
        let mut files = progress.counted_stage("render", || {
            let rendering = render::Rendering {
                templates: &templates,
                parts: &parts,
                memo: memo.as_ref(),
            };
            render::render_pages(&site, &rendering, &routes, &sink)
        })?;
        let rendered = files.len();
        // A one-off build keeps nothing for later: what it needs no more goes at once.
        let parts = if self.keeps {
            parts
        } else {
            Default::default()
        };
        // The site-wide files, like the pages, go out as they are made in a one-off build:
        // held to the end, they were the top of its memory.
        let sink_all = |made: Vec<OutputFile>| -> Result<Vec<OutputFile>, Diagnostics> {
            made.into_par_iter()
                .map(|file| sink(file).map_err(Diagnostics::from))
                .collect()
        };
        let fragments = progress.stage("fragments", || index::Fragments::new(&site))?;
        let site_wide = progress.stage("index", || index::index_site(&site, &fragments))?;
        files.extend(sink_all(site_wide)?);
        let fragments = if self.keeps {
            fragments
        } else {
            Default::default()
        };
        let (search, search_files) = progress.stage("search", || match self.keeps {
            true => SearchIndex::new(&site),
            false => (SearchIndex::default(), SearchIndex::files(&site)),
        });
        files.extend(sink_all(search_files)?);
        files.extend(copied_files(&site, &theme));
        check_unique_paths(&files)?;
        let graph = if self.keeps {
            progress.stage("graph", || DependencyGraph::new(&site))
        } else {
            DependencyGraph::empty()
        };
        let positions = if self.keeps {
            positions_of(&files)
        } else {
            FxHashMap::default()
        };
        self.pending.clear();
        let kept = self.kept.insert(Kept {
            built: Built {
                site,
                files,
                warnings,
                rendered,
            },
            theme,
            templates,
            graph,
            search,
            fragments,
            parts,
            memo: memo.unwrap_or_default(),
            positions,
            made_on: today(),
        });
        Ok(&kept.built)
    }
}

impl Kept {
    /// Puts a newly loaded site, its theme and templates in place of the kept ones.
    fn take_in(&mut self, modelled: Modelled) {
        self.built.site = modelled.site;
        self.built.warnings = modelled.warnings;
        self.theme = modelled.theme;
        self.templates = modelled.templates;
    }

    /// Makes again, from the kept site (already edited), the routes that read a `changed`
    /// input, and the search records and copied files that changed, and puts them in place
    /// of the old ones. `None`, before anything changed, when the edit added a file where
    /// another is (a new attachment named like a page): a full build reports it as `ldr
    /// build` would.
    fn remake(&mut self, changed: &FxHashSet<Input>) -> Result<Option<Update>, Diagnostics> {
        let site = &self.built.site;
        let copies = copied_files(site, &self.theme);
        // Outputs come and go with routes, and with capabilities (their headings).
        let outputs_changed = [Input::Routes, Input::CapabilityIds];
        let (added, gone) = if outputs_changed.iter().any(|input| changed.contains(input)) {
            self.graph.output_changes(site)
        } else {
            (Vec::new(), Vec::new())
        };
        let (_, added_routes) = split_outputs(added.clone());
        let (gone_fragments, gone_routes) = split_outputs(gone.clone());
        if !self.fits(&added_routes, &gone_routes, &copies) {
            return Ok(None);
        }
        let gone_set: FxHashSet<&Output> = gone.iter().collect();
        let mut outputs = self.graph.readers_of(changed);
        outputs.retain(|output| !gone_set.contains(output));
        outputs.extend(added.iter().cloned());
        // Fragments first: the files assembled from them read them as inputs.
        let (fragments, mut routes) = split_outputs(outputs);
        self.fragments.remove(&gone_fragments);
        self.parts.remove(&gone_fragments);
        let before = self.parts.kept_of(&fragments);
        let mut remade = self.fragments.remake(site, &fragments)?;
        remade.extend(self.parts.remake(site, &self.templates, &fragments)?);
        let (spliced, joined): (Vec<Fragment>, Vec<Fragment>) =
            remade.into_iter().partition(Fragment::is_spliced);
        routes.extend(split_outputs(self.graph.readers_of(&as_inputs(joined))).1);
        routes.sort_unstable();
        routes.dedup();
        let splices = self.splices(&before, spliced, &mut routes);
        let rendering = render::Rendering {
            templates: &self.templates,
            parts: &self.parts,
            memo: Some(&self.memo),
        };
        let mut files = render::render_pages(site, &rendering, &routes, &|page| Ok(page))?;
        let rendered = files.len();
        files.extend(splices);
        files.extend(index::generated_files(site, &routes, &self.fragments)?);
        let mut removed: Vec<String> = gone_routes.iter().map(Route::output_path).collect();
        removed.extend(self.copies_gone(&copies));
        files.extend(copies);
        let touched: Vec<Route> = routes.iter().chain(&gone_routes).cloned().collect();
        let search = match self.search.update(site, &touched) {
            Some(change) => change,
            None => {
                let (search, search_files) = SearchIndex::new(site);
                self.search = search;
                self.search_files_replaced(search_files)
            }
        };
        files.extend(search.changed);
        removed.extend(search.removed);
        self.graph.change_outputs(site, added, &gone);
        // What an output reads changes only with the site's structure.
        let structural: FxHashSet<Input> = changed
            .iter()
            .filter(|input| input.is_structural())
            .cloned()
            .collect();
        self.graph.record_readers_of(site, &structural);
        for path in &removed {
            self.remove(path);
        }
        let changed = self.put(files);
        self.built.rendered = rendered;
        Ok(Some(Update {
            rendered,
            read_everything: false,
            files: Changed::Some { changed, removed },
        }))
    }

    /// The pages that read the `spliced` parts, with the parts' new texts in place of the
    /// `before` ones. A page that is in `routes` (rendered again anyway), or that does not
    /// show a part exactly once, is left to `routes`.
    fn splices(
        &self,
        before: &FxHashMap<Fragment, Arc<str>>,
        spliced: Vec<Fragment>,
        routes: &mut Vec<Route>,
    ) -> Vec<OutputFile> {
        let rendered: FxHashSet<&Route> = routes.iter().collect();
        // A few parts (a capability's heading), each read by many pages.
        let mut parts_of: FxHashMap<Route, Vec<&Fragment>> = FxHashMap::default();
        for part in &spliced {
            let readers = self.graph.readers_of(&as_inputs(vec![part.clone()]));
            for route in split_outputs(readers).1 {
                if !rendered.contains(&route) {
                    parts_of.entry(route).or_default().push(part);
                }
            }
        }
        let made: Vec<(Route, Option<OutputFile>)> = parts_of
            .into_par_iter()
            .map(|(route, parts)| {
                let file = self.spliced_page(&route, &parts, before);
                (route, file)
            })
            .collect();
        let mut files = Vec::with_capacity(made.len());
        for (route, file) in made {
            match file {
                Some(file) => files.push(file),
                None => routes.push(route),
            }
        }
        files
    }

    /// The kept page of `route` with each of `parts` put in place of its `before` text.
    fn spliced_page(
        &self,
        route: &Route,
        parts: &[&Fragment],
        before: &FxHashMap<Fragment, Arc<str>>,
    ) -> Option<OutputFile> {
        let path = route.output_path();
        let Contents::Bytes(page) = &self.built.files[*self.positions.get(&path)?].contents else {
            return None;
        };
        let mut page: Arc<[u8]> = page.clone();
        for part in parts {
            page = render::splice(&page, before.get(*part)?, self.parts.get(part)?)?;
        }
        Some(OutputFile {
            path,
            contents: Contents::Bytes(page),
        })
    }

    /// Whether the routes `added` (with those `removed` gone) and the copied files `copies`
    /// can all be in the site, each at a path of its own.
    fn fits(&self, added: &[Route], removed: &[Route], copies: &[OutputFile]) -> bool {
        let freed: FxHashSet<String> = removed.iter().map(Route::output_path).collect();
        let mut copied = FxHashSet::default();
        let copies_fit = copies.iter().all(|copy| {
            let made_here = self.positions.get(&copy.path).is_some_and(|&i| {
                !matches!(self.built.files[i].contents, Contents::CopyOf(_))
                    && !freed.contains(&copy.path)
            });
            copied.insert(copy.path.as_str()) && !made_here
        });
        copies_fit
            && added.iter().map(Route::output_path).all(|path| {
                (freed.contains(&path) || !self.positions.contains_key(&path))
                    && !copied.contains(path.as_str())
            })
    }

    /// A new search index's files in place of the kept one's.
    fn search_files_replaced(&self, files: Vec<OutputFile>) -> BundleChange {
        let dir = format!("{}/", index::search::DIR);
        let now: FxHashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
        let removed = self
            .built
            .files
            .iter()
            .filter(|f| f.path.starts_with(&dir) && !now.contains(f.path.as_str()))
            .map(|f| f.path.clone())
            .collect();
        BundleChange {
            changed: files,
            removed,
        }
    }

    /// The copied files of the kept build that `copies` no longer has.
    fn copies_gone(&self, copies: &[OutputFile]) -> Vec<String> {
        let now: FxHashSet<&str> = copies.iter().map(|f| f.path.as_str()).collect();
        self.built
            .files
            .iter()
            .filter(|f| matches!(f.contents, Contents::CopyOf(_)) && !now.contains(f.path.as_str()))
            .map(|f| f.path.clone())
            .collect()
    }

    /// Puts `files` in place of those at the same paths; returns those whose bytes changed.
    fn put(&mut self, files: Vec<OutputFile>) -> Vec<OutputFile> {
        // Compared in parallel: after a capability's new title, ten thousand pages.
        let unchanged: Vec<bool> = files
            .par_iter()
            .map(|file| {
                self.positions
                    .get(&file.path)
                    .is_some_and(|&i| same_contents(&self.built.files[i].contents, &file.contents))
            })
            .collect();
        let mut changed = Vec::new();
        for (file, unchanged) in files.into_iter().zip(unchanged) {
            if unchanged {
                continue;
            }
            match self.positions.get(&file.path) {
                Some(&i) => self.built.files[i] = file.clone(),
                None => {
                    self.positions
                        .insert(file.path.clone(), self.built.files.len());
                    self.built.files.push(file.clone());
                }
            }
            changed.push(file);
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

/// Fragments as the inputs of what they are parts of.
fn as_inputs(fragments: Vec<Fragment>) -> FxHashSet<Input> {
    fragments.into_iter().map(Input::Fragment).collect()
}

/// Outputs as fragments and routes.
fn split_outputs(outputs: Vec<Output>) -> (Vec<Fragment>, Vec<Route>) {
    let mut fragments = Vec::new();
    let mut routes = Vec::new();
    for output in outputs {
        match output {
            Output::Fragment(fragment) => fragments.push(fragment),
            Output::Route(route) => routes.push(route),
        }
    }
    (fragments, routes)
}

fn same_contents(a: &Contents, b: &Contents) -> bool {
    match (a, b) {
        (Contents::Bytes(a), Contents::Bytes(b)) => a == b,
        (Contents::CopyOf(a), Contents::CopyOf(b)) => a == b,
        _ => false,
    }
}

fn positions_of(files: &[OutputFile]) -> FxHashMap<String, usize> {
    files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.path.clone(), i))
        .collect()
}

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// Refuses two files at one path (an attachment named like the page ldr makes there, a
/// static file over a generated one): which one won would depend on the order of writing.
/// Paths that differ only in case (`FEED.XML` beside `feed.xml`) are one path too: they are
/// one file on the file systems of macOS and Windows, where a site is often built or copied,
/// and so are paths whose accents are composed in one and decomposed in the other.
fn check_unique_paths(files: &[OutputFile]) -> Result<(), Diagnostics> {
    let mut seen: FxHashMap<String, &OutputFile> = FxHashMap::default();
    let mut problems = Diagnostics::new();
    for file in files {
        if let Some(first) = seen.insert(one_file_everywhere(&file.path), file) {
            let message = if first.path == file.path {
                format!("two files of the site would be written to `{}`", file.path)
            } else {
                format!(
                    "two files of the site would be written to `{}` and `{}`, which differ only in case or accents' encoding",
                    first.path, file.path
                )
            };
            let mut problem = Diagnostic::error(message)
            .help("ldr makes this file itself, or another file is copied there: rename or move the copied file (macOS and Windows do not tell names apart by case, and macOS stores accents decomposed)");
            if let Some(copied) = [first, file].into_iter().find_map(|f| match &f.contents {
                Contents::CopyOf(path) => Some(path),
                _ => None,
            }) {
                problem = problem.in_file(copied);
            }
            problems.push(problem);
        }
    }
    check_files_are_not_folders(files, &seen, &mut problems);
    if problems.has_errors() {
        Err(problems)
    } else {
        Ok(())
    }
}

/// Refuses a file at a path that is a folder of another file (a static file `footprints`
/// beside the pages under `footprints/`, or `index.html/x`): one of them cannot be
/// written, and the write would fail naming neither content file.
fn check_files_are_not_folders(
    files: &[OutputFile],
    by_path: &FxHashMap<String, &OutputFile>,
    problems: &mut Diagnostics,
) {
    let mut reported: FxHashSet<String> = FxHashSet::default();
    for file in files {
        let key = one_file_everywhere(&file.path);
        let folders = key.match_indices('/').map(|(end, _)| &key[..end]);
        for folder in folders {
            let Some(&blocking) = by_path.get(folder) else {
                continue;
            };
            if !reported.insert(folder.to_string()) {
                continue;
            }
            let mut problem = Diagnostic::error(format!(
                "`{}` would be a file of the site and the folder that holds `{}`",
                blocking.path, file.path
            ))
            .help("a copied file takes the name of a folder of the site, or a folder of copied files the name of a page: rename or move the copied file or folder");
            if let Some(copied) = [blocking, file]
                .into_iter()
                .find_map(|f| match &f.contents {
                    Contents::CopyOf(path) => Some(path),
                    _ => None,
                })
            {
                problem = problem.in_file(copied);
            }
            problems.push(problem);
        }
    }
}

/// The name that `path` has on a file system that ignores case and stores accents in one
/// form (macOS, Windows): two paths with the same one are one file there.
fn one_file_everywhere(path: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    path.nfc().collect::<String>().to_lowercase()
}

/// The files copied as they are: attachments, the content's static files and the theme's
/// own CSS and images (under `/static/`).
fn copied_files(site: &Site, theme: &load::Theme) -> Vec<OutputFile> {
    let mut files = render::copies(site);
    files.extend(theme.static_files.iter().map(|(file, name)| OutputFile {
        path: format!("{}/{name}", crate::model::routes::STATIC_DIR),
        contents: Contents::CopyOf(file.clone()),
    }));
    files
}

/// What a build made, for the summary line.
pub struct BuildReport {
    /// Real footprints built (examples are counted in `examples`).
    pub footprints: usize,
    /// Organisations in the register (examples left out).
    pub organisations: usize,
    /// Real stories built.
    pub stories: usize,
    /// Real events built.
    pub events: usize,
    /// Illustrative footprints, stories and events built, shown marked and never counted
    /// with the real ones.
    pub examples: usize,
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

fn real_count(records: &[impl Illustrative]) -> usize {
    records.iter().filter(|r| r.counts_as_real()).count()
}

/// Builds and, when `output` is given, writes the site (`ldr check` passes `None`),
/// saying as much as `verbosity` asks while it runs.
pub fn build(
    options: &BuildOptions,
    output: Option<&Path>,
    verbosity: Verbosity,
) -> Result<BuildReport, Diagnostics> {
    let started = Instant::now();
    // Held to the end of the build, so builds into one folder take turns.
    let _lock = output.map(write::OutputLock::take).transpose()?;
    if let Some(output) = output {
        write::check_output_folder(output, &options.content, &options.themes)?;
    }
    let mut staging = output.map(Staging::begin).transpose()?;
    if let Some(staging) = staging.as_mut() {
        staging.copy_only_from(&[&options.content, &options.themes]);
    }
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
    let mut written = written.transpose()?;
    let Built {
        site,
        files,
        mut warnings,
        ..
    } = built;
    if let Some(warning) = written.as_mut().and_then(|w| w.warning.take()) {
        warnings.push(warning);
    }
    let report = BuildReport {
        footprints: site.real_footprints().count(),
        organisations: site.registry.real().count(),
        stories: real_count(&site.stories),
        events: real_count(&site.events),
        examples: (site.footprints.len() - site.real_footprints().count())
            + (site.stories.len() - real_count(&site.stories))
            + (site.events.len() - real_count(&site.events)),
        pages: site.pages.len(),
        files: written.as_ref().map_or(files.len(), |w| w.files),
        bytes: written.map_or(0, |w| w.bytes),
        warnings,
        elapsed: started.elapsed(),
    };
    // Freeing a big site's model took one thread a while (tens of milliseconds at 10,000
    // footprints) at the very end, and nothing waits for it.
    rayon::spawn(move || drop((site, files)));
    Ok(report)
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
        assert!(
            unbuilt.is_empty(),
            "routes the build does not make: {unbuilt:?}"
        );
        let search = format!("{}/", crate::index::search::DIR);
        let unrouted: Vec<_> = made
            .difference(&routes)
            .filter(|path| !path.starts_with(&search))
            .collect();
        assert!(
            unrouted.is_empty(),
            "files made without a route: {unrouted:?}"
        );
        assert!(routes.len() > 100, "{} routes", routes.len());
    }
}
