//! The build as one function from a content folder to files: load, model, render, index,
//! and (for `ldr build`) write.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diagnostic::Diagnostics;
use crate::model::{Overrides, Site};
use crate::render::{OutputFile, RenderCache, Templates};
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

/// Builds a site again and again (for `ldr serve`), re-rendering only the pages whose
/// inputs changed since the last successful build.
pub struct Builder {
    options: BuildOptions,
    /// `None` for a one-off build, which has no later build to save work for.
    cache: Option<RenderCache>,
}

impl Builder {
    /// A builder that keeps what it rendered, to rebuild only what changes.
    pub fn new(options: BuildOptions) -> Self {
        Builder {
            options,
            cache: Some(RenderCache::default()),
        }
    }

    /// A builder for one build: nothing is hashed or kept.
    pub fn once(options: BuildOptions) -> Self {
        Builder {
            options,
            cache: None,
        }
    }

    pub fn options(&self) -> &BuildOptions {
        &self.options
    }

    /// Loads, checks and renders the whole site; all problems of the run come back
    /// together, and a failed build keeps the cache of the last good one.
    pub fn build(&mut self) -> Result<Built, Diagnostics> {
        let options = &self.options;
        let content = timed("load", || load::load_content(&options.content))?;
        let (site, warnings) = timed("model", || Site::from_content(content, &options.overrides))?;
        let theme = options.themes.join(&site.config.theme);
        let templates = Templates::load(
            &theme,
            &site.template_overrides,
            &options.content.join("templates"),
        )?;
        let rendered = timed("render", || {
            render::render_site(&site, &templates, self.cache.as_ref())
        })?;
        let mut files = rendered.files;
        let site_wide = timed("index", || index::index_site(&site, &files))?;
        files.extend(site_wide);
        files.extend(theme_static_files(&theme.join("static")));
        if self.cache.is_some() {
            self.cache = Some(rendered.cache);
        }
        Ok(Built {
            site,
            files,
            warnings,
            rendered: rendered.rendered,
        })
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
    let built = Builder::once(options.clone()).build()?;
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
