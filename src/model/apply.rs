//! Edited files taken into the kept site without loading the whole site again: the one
//! way `ldr serve` changes a model. Each edited file is checked as a full build checks it,
//! against the rest of the kept site, and what it changed comes back as the graph's
//! inputs ([`super::inputs`]).
//!
//! An edit is refused (the caller then loads the whole site, which reports any problem as
//! `ldr build` does) when it has any problem or warning, or reaches what only a full load
//! checks: a file added or removed, a footprint's code, STP or merged footprints, a story's
//! tags (each makes an address), an organisation's code or kind, a capability's id.

use std::path::Path;

use rustc_hash::FxHashSet;

use super::capability::{Capability, resolve_capabilities};
use super::changes::{event_changed, footprint_changed, menu, registry_changed, story_changed};
use super::footprint::{resolve_footprint, roadmap_source};
use super::inputs::Input;
use super::organisation::Register;
use super::writing::{
    in_event_order, in_story_order, resolve_events, resolve_pages, resolve_stories,
};
use super::{
    Event, Footprint, MarkdownSource, OrganisationKind, Page, Registry, Site, Story,
    check_markdown, positions, story_links,
};
use crate::diagnostic::Diagnostics;
use crate::load::{EditedSource, FootprintSource, folder_slug};

/// An edit checked against the kept site, ready to go in.
enum Checked {
    Footprint(usize, Box<Footprint>),
    Roadmap(usize, Option<MarkdownSource>),
    Story(usize, Box<Story>),
    Event(usize, Box<Event>),
    Page(usize, Box<Page>),
    Registry(Box<Registry>),
    Capabilities(Vec<Capability>),
}

impl Site {
    /// Takes in `edits` (files of the content folder `content_root`, read again) and
    /// returns the inputs they changed; `None`, with the site as it was, when any of them
    /// must go through a full load. All are checked before any goes in.
    pub fn apply(
        &mut self,
        edits: Vec<EditedSource>,
        content_root: &Path,
    ) -> Option<FxHashSet<Input>> {
        // The register and the capabilities are what the other files are checked against.
        let alone = |e: &EditedSource| {
            matches!(
                e,
                EditedSource::Organisations { .. } | EditedSource::Capabilities(..)
            )
        };
        if edits.len() > 1 && edits.iter().any(alone) {
            return None;
        }
        let mut changed = FxHashSet::default();
        let mut checked = Vec::new();
        for edit in edits {
            checked.push(self.check(edit, content_root, &mut changed)?);
        }
        let order = |site: &Site| -> (Vec<String>, Vec<String>) {
            (
                site.stories.iter().map(|s| s.slug.clone()).collect(),
                site.events.iter().map(|e| e.slug.clone()).collect(),
            )
        };
        let before = order(self);
        for edit in checked {
            self.put(edit);
        }
        // A new date moves a story or event in every list.
        let after = order(self);
        if before.0 != after.0 {
            changed.insert(Input::StorySet);
        }
        if before.1 != after.1 {
            changed.insert(Input::EventSet);
        }
        Some(changed)
    }

    fn check(
        &self,
        edit: EditedSource,
        content_root: &Path,
        changed: &mut FxHashSet<Input>,
    ) -> Option<Checked> {
        let mut problems = Diagnostics::new();
        let checked = match edit {
            EditedSource::Footprint { folder, file, data } => {
                let index = self.footprint_of_folder(&folder)?;
                let old = &self.footprints[index];
                let source = FootprintSource {
                    slug: old.slug.clone(),
                    folder,
                    file,
                    data: *data,
                    roadmap: None,
                    attachments: old.attachments.clone(),
                };
                let mut new = resolve_footprint(
                    source,
                    &self.registry,
                    &self.config.regions,
                    &self.capabilities,
                    &mut problems,
                );
                new.roadmap.clone_from(&old.roadmap);
                let same_place = (&new.code, &new.stp, &new.merged_from)
                    == (&old.code, &old.stp, &old.merged_from);
                if !same_place {
                    return None;
                }
                let registry = &self.registry;
                footprint_changed((registry, Some(old)), (registry, Some(&new)), changed);
                Checked::Footprint(index, Box::new(new))
            }
            EditedSource::Roadmap { folder, file } => {
                let index = self.footprint_of_folder(&folder)?;
                let roadmap = file.map(|file| {
                    let mut body = roadmap_source(file);
                    check_markdown(&mut body, &self.link_targets, content_root, &mut problems);
                    body
                });
                let old = &self.footprints[index];
                if roadmap != old.roadmap {
                    changed.insert(Input::Roadmap(old.slug.clone()));
                }
                Checked::Roadmap(index, roadmap)
            }
            EditedSource::Story(document) => {
                let index = *self.story_index.get(&document.slug)?;
                let old = &self.stories[index];
                let slugs: Vec<&str> = self.footprints.iter().map(|f| f.slug.as_str()).collect();
                let mut new =
                    resolve_stories(vec![*document], &self.registry, &slugs, &mut problems)
                        .pop()?;
                self.check_body(&mut new.body, &old.body, content_root, &mut problems)?;
                if new.tags != old.tags {
                    return None;
                }
                story_changed(Some(old), Some(&new), changed);
                Checked::Story(index, Box::new(new))
            }
            EditedSource::Event(document) => {
                let index = *self.event_index.get(&document.slug)?;
                let old = &self.events[index];
                let mut new =
                    resolve_events(vec![*document], &self.config.regions, &mut problems).pop()?;
                self.check_body(&mut new.body, &old.body, content_root, &mut problems)?;
                event_changed(old, &new, changed);
                Checked::Event(index, Box::new(new))
            }
            EditedSource::Page(document) => {
                let index = self.pages.iter().position(|p| p.slug == document.slug)?;
                let old = &self.pages[index];
                let mut new = resolve_pages(vec![*document], &mut problems).pop()?;
                self.check_body(&mut new.body, &old.body, content_root, &mut problems)?;
                if new != *old {
                    changed.insert(Input::Page(new.slug.clone()));
                }
                if menu(std::slice::from_ref(old)) != menu(std::slice::from_ref(&new)) {
                    changed.insert(Input::Menu);
                }
                Checked::Page(index, Box::new(new))
            }
            EditedSource::Organisations {
                file,
                rows,
                examples,
            } => {
                let mut registers = vec![Register {
                    file: &file,
                    rows: &rows,
                    example: false,
                }];
                if let Some((file, rows)) = &examples {
                    registers.push(Register {
                        file,
                        rows,
                        example: true,
                    });
                }
                let new = Registry::from_rows(&registers, &self.config.regions, &mut problems);
                fn kinds(
                    registry: &Registry,
                ) -> impl Iterator<Item = (&str, OrganisationKind, bool)> {
                    registry
                        .iter()
                        .map(|o| (o.code.as_str(), o.kind, o.example))
                }
                if !kinds(&new).eq(kinds(&self.registry)) {
                    return None;
                }
                let footprints_of = |code: &super::OdsCode| {
                    self.footprints_of_organisation(code)
                        .map(|f| f.slug.clone())
                        .collect()
                };
                registry_changed(&self.registry, &new, &footprints_of, changed);
                Checked::Registry(Box::new(new))
            }
            EditedSource::Capabilities(file, data) => {
                let new = resolve_capabilities(Some((file, data)), &mut problems);
                let ids = |all: &[Capability]| all.iter().map(|c| c.id.clone()).collect::<Vec<_>>();
                if ids(&new) != ids(&self.capabilities) {
                    return None;
                }
                if new != self.capabilities {
                    changed.insert(Input::Capabilities);
                }
                Checked::Capabilities(new)
            }
        };
        // Warnings too: a full build reports them in their place.
        problems.iter().next().is_none().then_some(checked)
    }

    /// Checks an edited Markdown body as a full build would; `None` when it came from
    /// another file than the body it replaces (a renamed file: a full load's business).
    fn check_body(
        &self,
        body: &mut MarkdownSource,
        old: &MarkdownSource,
        content_root: &Path,
        problems: &mut Diagnostics,
    ) -> Option<()> {
        check_markdown(body, &self.link_targets, content_root, problems);
        (body.file.path == old.file.path).then_some(())
    }

    /// Whether the site was made from the file or folder at `path` (named as a full load
    /// of `content_root` names it). A file that is gone and was not among them changes
    /// nothing: an editor's temporary file, renamed into place.
    pub fn was_made_from(&self, path: &Path, content_root: &Path) -> bool {
        let at_root = path.parent() == Some(content_root);
        let of_footprint = self.footprints.iter().any(|f| {
            path.starts_with(&f.folder)
                && (path == f.folder
                    || path == f.folder.join("footprint.toml")
                    || f.roadmap.as_ref().is_some_and(|r| r.file.path == path)
                    || f.attachments.iter().any(|a| a == path))
        });
        let bodies = self
            .stories
            .iter()
            .map(|s| &s.body)
            .chain(self.events.iter().map(|e| &e.body))
            .chain(self.pages.iter().map(|p| &p.body));
        at_root
            || of_footprint
            || bodies.into_iter().any(|body| body.file.path == path)
            || self.static_files.iter().any(|(file, _)| file == path)
            || self.template_overrides.iter().any(|t| t.path == path)
    }

    /// The footprint whose folder is `folder`, as a full load names it.
    fn footprint_of_folder(&self, folder: &Path) -> Option<usize> {
        let index = *self.footprint_index.get(&folder_slug(folder))?;
        (self.footprints[index].folder == folder).then_some(index)
    }

    /// Mends the back-links after footprint `index` replaced `old`: the same as making
    /// them afresh, without going through every footprint.
    fn relink(&mut self, index: usize, old: &Footprint) {
        let new = &self.footprints[index];
        if old.organisations().eq(new.organisations()) {
            return;
        }
        for (code, _) in old.organisations() {
            if let Some(list) = self.footprints_of.get_mut(code) {
                list.retain(|&i| i != index);
                if list.is_empty() {
                    self.footprints_of.remove(code);
                }
            }
        }
        for (code, _) in new.organisations() {
            let list = self.footprints_of.entry(code.clone()).or_default();
            let at = list.partition_point(|&i| i <= index);
            list.insert(at, index);
        }
    }

    fn put(&mut self, edit: Checked) {
        match edit {
            Checked::Footprint(index, footprint) => {
                let old = std::mem::replace(&mut self.footprints[index], *footprint);
                self.relink(index, &old);
            }
            Checked::Roadmap(index, roadmap) => self.footprints[index].roadmap = roadmap,
            Checked::Story(index, story) => {
                self.stories[index] = *story;
                in_story_order(&mut self.stories);
                self.story_index = positions(self.stories.iter().map(|s| &s.slug));
                (self.stories_of_footprint, self.stories_of_organisation) =
                    story_links(&self.stories);
            }
            Checked::Event(index, event) => {
                self.events[index] = *event;
                in_event_order(&mut self.events);
                self.event_index = positions(self.events.iter().map(|e| &e.slug));
            }
            Checked::Page(index, page) => self.pages[index] = *page,
            Checked::Registry(registry) => self.registry = *registry,
            Checked::Capabilities(capabilities) => self.capabilities = capabilities,
        }
    }
}
