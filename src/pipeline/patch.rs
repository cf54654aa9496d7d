//! `ldr serve`'s fast path: an edit that only a footprint's own page and search record
//! read is patched into the kept build instead of building the whole site again.
//!
//! A full build of `ldr serve` reuses the kept search index too, where every record kept
//! its place ([`SearchIndex::refresh`]).
//!
//! Which edits qualify is decided by the model ([`Site::check_roadmap`],
//! [`Site::locally_edited_footprint`]); anything else, and any problem in the edited
//! files, falls back to a full build, so errors read exactly as `ldr build` prints them.

use std::collections::BTreeMap;

use super::{Builder, Changed, Kept, Update};
use crate::index::search::{self, BundleChange, SearchIndex};
use crate::load;
use crate::model::{Footprint, MarkdownSource, Site};
use crate::output::{Contents, OutputFile};
use crate::render;

impl Builder {
    /// The search index of `site`, its files added to `files`: the kept index refreshed
    /// where it can be, else a new one. A build that fails after this has lost the kept
    /// index, and a later patch then falls back to a full build.
    pub(super) fn search_index(&mut self, site: &Site, files: &mut Vec<OutputFile>) -> SearchIndex {
        if let Some(kept) = self.kept.as_mut()
            && let Some(mut search) = kept.search.take()
            && let Some(change) = search.refresh(site)
        {
            files.extend(refreshed_search_files(&kept.built.files, change));
            return search;
        }
        let (search, search_files) = SearchIndex::new(site);
        files.extend(search_files);
        search
    }

    /// The footprint files that are all the pending changes, if that is all.
    pub(super) fn edited_footprint_files(&self) -> Option<Vec<Edit>> {
        if self.pending.is_empty() {
            return None;
        }
        let kept = self.kept.as_ref()?;
        if kept.made_on != super::today() {
            return None;
        }
        let site = &kept.built.site;
        let footprints = std::fs::canonicalize(self.options.content.join("footprints")).ok()?;
        let mut edits = Vec::new();
        for path in &self.pending {
            let which = match path.file_name()?.to_str()? {
                "roadmap.md" => EditedFile::Roadmap,
                "footprint.toml" => EditedFile::Facts,
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
    pub(super) fn patch_footprints(&mut self, edits: &[Edit]) -> Option<Update> {
        let kept = self.kept.as_mut()?;
        let site = &kept.built.site;
        // Everything is read and checked before anything kept is changed.
        let mut patches = Vec::new();
        for (slug, which) in edits {
            let folder = &site.footprint_by_slug(slug)?.folder;
            let patch = match which {
                EditedFile::Facts => {
                    let file = load::read_source_file(&folder.join("footprint.toml")).ok()?;
                    Patch::Facts(Box::new(site.locally_edited_footprint(slug, file)?))
                }
                EditedFile::Roadmap => {
                    let path = folder.join("roadmap.md");
                    let roadmap = if path.is_file() {
                        let file = load::read_source_file(&path).ok()?;
                        Some(site.check_roadmap(file, &self.options.content).ok()?)
                    } else {
                        None
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

/// An edited file: the slug of its footprint, and which of its files it is.
pub(super) type Edit = (String, EditedFile);

/// The files of a footprint folder that an edit can be patched in from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum EditedFile {
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
        let footprints: Vec<_> = slugs
            .iter()
            .map(|slug| site.footprint_by_slug(slug))
            .collect::<Option<_>>()?;
        // One change for the whole batch: no path is both made and removed.
        let search = self.search.as_mut()?.replace_footprints(&footprints)?;
        let mut files = pages;
        files.extend(search.changed);
        for path in &search.removed {
            self.remove(path);
        }
        let changed = self.put(files);
        self.built.rendered = rendered;
        Some(Update {
            rendered,
            files: Changed::Some {
                changed,
                removed: search.removed,
            },
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

/// The kept build's search files with `change` applied.
fn refreshed_search_files(kept: &[OutputFile], change: BundleChange) -> Vec<OutputFile> {
    let dir = format!("{}/", search::DIR);
    let mut files: BTreeMap<String, OutputFile> = kept
        .iter()
        .filter(|f| f.path.starts_with(&dir))
        .map(|f| (f.path.clone(), f.clone()))
        .collect();
    for path in &change.removed {
        files.remove(path);
    }
    files.extend(change.changed.into_iter().map(|f| (f.path.clone(), f)));
    files.into_values().collect()
}

fn same_bytes(a: &Contents, b: &Contents) -> bool {
    match (a, b) {
        (Contents::Bytes(a), Contents::Bytes(b)) => a == b,
        _ => false,
    }
}
