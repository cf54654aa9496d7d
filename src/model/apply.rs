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

use super::capability::{self, Capability, resolve_capabilities};
use super::changes::{
    event_changed, footprint_changed, menu, organisation_changed, registry_changed, story_changed,
};
use super::footprint::{resolve_footprint, roadmap_source};
use super::inputs::Input;
use super::organisation::Register;
use super::writing::{
    in_event_order, in_story_order, resolve_events, resolve_pages, resolve_stories,
};
use super::{
    Event, Footprint, MarkdownSource, OdsCode, Organisation, OrganisationKind, Page, Registry,
    Site, Story, check_markdown, positions, story_links, tag_index,
};
use crate::diagnostic::Diagnostics;
use crate::load::{
    EditedSource, FootprintSource, OrganisationRow, ROOT_FILES, SourceFile, folder_slug,
    parse_organisation_lines, parse_organisations,
};

/// Where two texts differ, in whole lines: the end of the lines they share at the start,
/// and the starts (in each) of the lines they share at the end.
fn changed_lines(old: &str, new: &str) -> (usize, usize, usize) {
    let (old_bytes, new_bytes) = (old.as_bytes(), new.as_bytes());
    let common = old_bytes
        .iter()
        .zip(new_bytes)
        .take_while(|(a, b)| a == b)
        .count();
    let start = old_bytes[..common]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let room = old.len().min(new.len()) - start;
    let shared_end = old_bytes
        .iter()
        .rev()
        .zip(new_bytes.iter().rev())
        .take(room)
        .take_while(|(a, b)| a == b)
        .count();
    // Forward to the start of a line: the shared ends are the same bytes from there on.
    let (mut old_end, mut new_end) = (old.len() - shared_end, new.len() - shared_end);
    match old_bytes[old_end..].iter().position(|&b| b == b'\n') {
        Some(i) if old_end > start && old_bytes[old_end - 1] != b'\n' => {
            old_end += i + 1;
            new_end += i + 1;
        }
        None if old_end > 0 && old_bytes[old_end - 1] != b'\n' => {
            (old_end, new_end) = (old.len(), new.len());
        }
        _ => {}
    }
    (start, old_end, new_end)
}

/// An edit checked against the kept site, ready to go in.
enum Checked {
    Footprint(usize, Box<Footprint>),
    Roadmap(usize, Option<MarkdownSource>),
    Story(usize, Box<Story>),
    Event(usize, Box<Event>),
    Page(usize, Box<Page>),
    Registry(SourceFile, Box<Registry>),
    /// Rows of the register edited in place: their places and new versions.
    Rows(SourceFile, Vec<(usize, Organisation)>),
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
            EditedSource::Organisations { file, examples } => {
                let footprints_of = |code: &OdsCode| {
                    self.footprints_of_organisation(code)
                        .map(|f| f.slug.clone())
                        .collect()
                };
                if let Some(rows) = self.edited_rows(&file) {
                    for (index, organisation) in &rows {
                        let old = Some(self.registry.at(*index));
                        organisation_changed(old, Some(organisation), &footprints_of, changed);
                    }
                    Checked::Rows(file, rows)
                } else {
                    let new = self.whole_register(&file, examples.as_ref(), &mut problems)?;
                    registry_changed(&self.registry, &new, &footprints_of, changed);
                    Checked::Registry(file, Box::new(new))
                }
            }
            EditedSource::Capabilities(file, data) => {
                let new = resolve_capabilities(Some((file, data)), &mut problems);
                // New columns for the matrix: a full load settles it.
                if capability::ids(&new) != capability::ids(&self.capabilities) {
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

    /// The rows of `file` (the edited `organisations.csv`) that differ from the kept one,
    /// read alone: the lines between what the two texts share at their start and at their
    /// end. `None` when that is not plain (a quoted field, which may span lines, or the
    /// header), or a row changed more than its name and region: the whole register is
    /// read then.
    fn edited_rows(&self, file: &SourceFile) -> Option<Vec<(usize, Organisation)>> {
        let (old, new) = (&self.register_file, file);
        let (start, old_end, new_end) = changed_lines(&old.text, &new.text);
        let plain = |text: &str, end: usize| {
            let whole_lines = end == text.len() || text.as_bytes()[end - 1] == b'\n';
            whole_lines && !text[start..end].contains('"')
        };
        if start == 0 || !plain(&old.text, old_end) || !plain(&new.text, new_end) {
            return None;
        }
        let (before, _) = parse_organisation_lines(old, start..old_end).ok()?;
        let (after, warnings) = parse_organisation_lines(new, start..new_end).ok()?;
        let same_codes =
            before.len() == after.len() && before.iter().zip(&after).all(|(b, a)| b.code == a.code);
        if !same_codes || warnings.iter().next().is_some() {
            return None;
        }
        let edited = self.registry.edited(&after, &self.config.regions)?;
        Some(
            edited
                .into_iter()
                .filter(|(index, organisation)| self.registry.at(*index) != organisation)
                .collect(),
        )
    }

    /// The edited register read whole, with the examples beside it; `None` when a code
    /// came or went or changed kind, which only a full load can check against the site.
    fn whole_register(
        &self,
        file: &SourceFile,
        examples: Option<&(SourceFile, Vec<OrganisationRow>)>,
        problems: &mut Diagnostics,
    ) -> Option<Registry> {
        let (rows, warnings) = parse_organisations(file).ok()?;
        if warnings.iter().next().is_some() {
            return None;
        }
        let mut registers = vec![Register {
            file,
            rows: &rows,
            example: false,
        }];
        if let Some((file, rows)) = examples {
            registers.push(Register {
                file,
                rows,
                example: true,
            });
        }
        let new = Registry::from_rows(&registers, &self.config.regions, problems);
        fn kinds(registry: &Registry) -> impl Iterator<Item = (&str, OrganisationKind, bool)> {
            registry
                .iter()
                .map(|o| (o.code.as_str(), o.kind, o.example))
        }
        kinds(&new).eq(kinds(&self.registry)).then_some(new)
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
        let at_root = path.parent() == Some(content_root)
            && path
                .file_name()
                .and_then(|name| name.to_str())
                .is_some_and(|name| ROOT_FILES.contains(&name));
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
                self.stories_of_tag = tag_index(&self.stories);
            }
            Checked::Event(index, event) => {
                self.events[index] = *event;
                in_event_order(&mut self.events);
                self.event_index = positions(self.events.iter().map(|e| &e.slug));
            }
            Checked::Page(index, page) => self.pages[index] = *page,
            Checked::Registry(file, registry) => {
                self.registry = *registry;
                self.register_file = file;
            }
            Checked::Rows(file, rows) => {
                for (index, organisation) in rows {
                    self.registry.replace(index, organisation);
                }
                self.register_file = file;
            }
            Checked::Capabilities(capabilities) => self.capabilities = capabilities,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::changed_lines;

    #[test]
    fn the_changed_lines_are_whole_lines() {
        let old = "code,name\nA,Alpha\nB,Beta\nC,Gamma\n";
        let (start, old_end, new_end) = changed_lines(old, "code,name\nA,Alpha\nB,Bet\nC,Gamma\n");
        assert_eq!(&old[start..old_end], "B,Beta\n");
        assert_eq!(new_end, old_end - 1);
        // A line added: nothing of the old text, the new line of the new.
        let new = "code,name\nA,Alpha\nAB,Between\nB,Beta\nC,Gamma\n";
        let (start, old_end, new_end) = changed_lines(old, new);
        assert_eq!(&old[start..old_end], "");
        assert_eq!(&new[start..new_end], "AB,Between\n");
        // The last line, without a line break.
        let (start, old_end, new_end) = changed_lines("h\nA,1", "h\nA,2");
        assert_eq!((start, old_end, new_end), (2, 5, 5));
        // The same text.
        let (start, old_end, new_end) = changed_lines(old, old);
        assert_eq!(old_end - start, 0);
        assert_eq!(new_end - start, 0);
    }
}
