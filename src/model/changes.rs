//! What an edit changed, as the inputs of [`super::inputs`]: the other half of the
//! dependency graph. [`changed_inputs`] compares two versions of the whole site (after a
//! full load); [`super::apply`] uses the per-record functions here for one edited file.

use rustc_hash::{FxHashMap, FxHashSet};

use super::capability;
use super::inputs::Input;
use super::routes::story_tags;
use super::{Footprint, OdsCode, Organisation, OrganisationKind, Registry, Site, Story};

/// The inputs that differ between two versions of a site.
pub fn changed_inputs(old: &Site, new: &Site) -> FxHashSet<Input> {
    let mut changed = FxHashSet::default();
    if old.config != new.config {
        changed.insert(Input::Site);
    }
    if menu(&old.pages) != menu(&new.pages) {
        changed.insert(Input::Menu);
    }
    if old.capabilities != new.capabilities {
        changed.insert(Input::Capabilities);
        if capability::ids(&old.capabilities) != capability::ids(&new.capabilities) {
            changed.insert(Input::CapabilityIds);
        }
    }
    if old.maturity != new.maturity {
        changed.insert(Input::Maturity);
    }
    if old.shapes != new.shapes {
        changed.insert(Input::Shapes);
    }
    organisations_changed(old, new, &mut changed);
    footprints_changed(old, new, &mut changed);
    stories_changed(old, new, &mut changed);
    keyed_changed(
        (&old.events, &new.events),
        |e| &e.slug,
        |slug| Input::Event(slug.clone()),
        Input::EventSet,
        &mut changed,
    );
    let before: FxHashMap<&String, &super::Event> =
        old.events.iter().map(|e| (&e.slug, e)).collect();
    for event in &new.events {
        if let Some(old) = before.get(&event.slug) {
            event_changed(old, event, &mut changed);
        }
    }
    keyed_changed(
        (&old.pages, &new.pages),
        |p| &p.slug,
        |slug| Input::Page(slug.clone()),
        Input::Routes,
        &mut changed,
    );
    if routes_of(old) != routes_of(new) {
        changed.insert(Input::Routes);
    }
    changed
}

/// What decides the set of routes, cheaper to compare than the routes themselves.
fn routes_of(site: &Site) -> impl PartialEq + '_ {
    (
        site.footprints
            .iter()
            .map(|f| (&f.slug, &f.merged_from))
            .collect::<Vec<_>>(),
        site.stories.iter().map(|s| &s.slug).collect::<Vec<_>>(),
        story_tags(site),
        site.events.iter().map(|e| &e.slug).collect::<Vec<_>>(),
        site.pages.iter().map(|p| &p.slug).collect::<Vec<_>>(),
        &site.config.regions,
    )
}

/// What the menu shows of the content pages.
pub(super) fn menu(pages: &[super::Page]) -> Vec<(&str, &str, Option<u32>)> {
    pages
        .iter()
        .filter(|p| p.menu_order.is_some())
        .map(|p| (p.slug.as_str(), p.title.as_str(), p.menu_order))
        .collect()
}

/// Items of two lists compared by key: each one added, removed or changed marks its own
/// input, and a change of which items there are or of their order marks `set`.
fn keyed_changed<T: PartialEq>(
    (old, new): (&[T], &[T]),
    key: impl Fn(&T) -> &String,
    input: impl Fn(&String) -> Input,
    set: Input,
    changed: &mut FxHashSet<Input>,
) {
    let before: FxHashMap<&String, &T> = old.iter().map(|item| (key(item), item)).collect();
    let after: FxHashSet<&String> = new.iter().map(&key).collect();
    for item in new {
        if before.get(key(item)) != Some(&item) {
            changed.insert(input(key(item)));
        }
    }
    for item in old {
        if !after.contains(key(item)) {
            changed.insert(input(key(item)));
        }
    }
    if in_order_changed(old, new, key) {
        changed.insert(set);
    }
}

/// The inputs an edit of an event changes besides the event: a new kind or region moves
/// it from one filtered list to another.
pub(super) fn event_changed(
    old: &super::Event,
    new: &super::Event,
    changed: &mut FxHashSet<Input>,
) {
    if old != new {
        changed.insert(Input::Event(new.slug.clone()));
    }
    if (old.kind, &old.region) != (new.kind, &new.region) {
        changed.insert(Input::EventSet);
    }
}

/// Whether two lists differ in which items (by key) they hold, or in their order.
fn in_order_changed<T>(old: &[T], new: &[T], key: impl Fn(&T) -> &String) -> bool {
    old.len() != new.len() || old.iter().map(&key).ne(new.iter().map(&key))
}

fn organisations_changed(old: &Site, new: &Site, changed: &mut FxHashSet<Input>) {
    let footprints_of = |code: &OdsCode| {
        [old, new]
            .iter()
            .flat_map(|site| site.footprints_of_organisation(code))
            .map(|f| f.slug.clone())
            .collect()
    };
    registry_changed(&old.registry, &new.registry, &footprints_of, changed);
}

/// The inputs an edit of the register changes; `footprints_of` gives the footprints an
/// organisation is in, whose links count their members by kind.
pub(super) fn registry_changed(
    old: &Registry,
    new: &Registry,
    footprints_of: &dyn Fn(&OdsCode) -> Vec<String>,
    changed: &mut FxHashSet<Input>,
) {
    let mut listed = old.iter().count() != new.iter().count();
    for organisation in new.iter() {
        let before = old.resolve(organisation.code.as_str());
        listed |= before.is_none();
        organisation_changed(before, Some(organisation), footprints_of, changed);
    }
    for organisation in old.iter() {
        if new.resolve(organisation.code.as_str()).is_none() {
            listed = true;
            organisation_changed(Some(organisation), None, footprints_of, changed);
        }
    }
    if listed {
        changed.extend([Input::OrganisationSet, Input::Routes]);
    }
}

/// The inputs one organisation's edit changes (`None`: it is new, or gone).
pub(super) fn organisation_changed(
    old: Option<&Organisation>,
    new: Option<&Organisation>,
    footprints_of: &dyn Fn(&OdsCode) -> Vec<String>,
    changed: &mut FxHashSet<Input>,
) {
    if old == new {
        return;
    }
    let Some(code) = old.or(new).map(|o| o.code.clone()) else {
        return;
    };
    changed.extend([Input::Organisation(code.clone()), Input::AllOrganisations]);
    // A footprint's link counts its members by kind.
    if old.map(|o| (o.kind, o.example)) != new.map(|o| (o.kind, o.example)) {
        changed.insert(Input::OrganisationKinds);
        for slug in footprints_of(&code) {
            changed.insert(Input::FootprintLink(slug));
        }
    }
}

fn footprints_changed(old: &Site, new: &Site, changed: &mut FxHashSet<Input>) {
    let order = |site: &Site| {
        site.footprints
            .iter()
            .map(|f| f.slug.clone())
            .collect::<Vec<_>>()
    };
    if order(old) != order(new) {
        changed.extend([Input::FootprintSet, Input::Shapes]);
    }
    for footprint in &new.footprints {
        let before = old.footprint_by_slug(&footprint.slug);
        footprint_changed(
            (&old.registry, before),
            (&new.registry, Some(footprint)),
            changed,
        );
    }
    for footprint in &old.footprints {
        if new.footprint_by_slug(&footprint.slug).is_none() {
            footprint_changed(
                (&old.registry, Some(footprint)),
                (&new.registry, None),
                changed,
            );
        }
    }
}

/// The inputs one footprint's edit changes (`None`: it is new, or gone), each version with
/// the register it was resolved against.
pub(super) fn footprint_changed(
    (old_registry, old): (&Registry, Option<&Footprint>),
    (new_registry, new): (&Registry, Option<&Footprint>),
    changed: &mut FxHashSet<Input>,
) {
    let slug = old.or(new).map(|f| f.slug.clone()).unwrap_or_default();
    let same_facts = match (old, new) {
        (Some(old), Some(new)) => same_facts(old, new),
        _ => false,
    };
    if !same_facts {
        changed.insert(Input::Footprint(slug.clone()));
    }
    if old.map(|f| &f.roadmap) != new.map(|f| &f.roadmap) {
        changed.insert(Input::Roadmap(slug.clone()));
    }
    let name = |f: &Footprint| (f.slug.clone(), f.name.clone(), f.region.clone(), f.example);
    if old.map(name) != new.map(name) {
        changed.insert(Input::FootprintName(slug.clone()));
    }
    if old.map(|f| link_facts(old_registry, f)) != new.map(|f| link_facts(new_registry, f)) {
        changed.insert(Input::FootprintLink(slug.clone()));
    }
    if old.map(|f| &f.capabilities) != new.map(|f| &f.capabilities) {
        changed.insert(Input::Plan(slug.clone()));
    }
    let roles = |f: Option<&Footprint>| -> FxHashSet<(OdsCode, super::Role)> {
        f.map(|f| f.organisations().map(|(c, r)| (c.clone(), r)).collect())
            .unwrap_or_default()
    };
    let listed =
        |f: Option<&Footprint>| f.map(|f| (f.lead.clone(), f.partners.clone(), f.members.clone()));
    if listed(old) != listed(new) {
        changed.insert(Input::Members(slug.clone()));
        let (before, after) = (roles(old), roles(new));
        for (code, _) in before.symmetric_difference(&after) {
            changed.insert(Input::FootprintsOf(code.clone()));
        }
    }
}

/// Whether two versions of a footprint have the same `footprint.toml` (the roadmap aside).
fn same_facts(a: &Footprint, b: &Footprint) -> bool {
    // No `..`: a new field must be compared.
    let Footprint {
        slug,
        name,
        code,
        region,
        stp,
        stp_name,
        lead,
        partners,
        members,
        merged_from,
        governance,
        published,
        capabilities,
        milestones,
        roadmap: _,
        example,
        folder,
        attachments,
        review,
    } = a;
    (slug, name, code, region, stp, stp_name)
        == (&b.slug, &b.name, &b.code, &b.region, &b.stp, &b.stp_name)
        && (lead, partners, members, merged_from)
            == (&b.lead, &b.partners, &b.members, &b.merged_from)
        && (governance, published, capabilities, milestones)
            == (&b.governance, &b.published, &b.capabilities, &b.milestones)
        && (example, folder, attachments, review)
            == (&b.example, &b.folder, &b.attachments, &b.review)
}

/// What a link to a footprint shows ([`Input::FootprintLink`]).
fn link_facts(
    registry: &Registry,
    footprint: &Footprint,
) -> (String, String, String, bool, [usize; 3]) {
    let count = |kind: OrganisationKind| {
        footprint
            .organisations()
            .filter(|(code, _)| {
                registry
                    .resolve(code.as_str())
                    .is_some_and(|o| o.kind == kind)
            })
            .count()
    };
    (
        footprint.slug.clone(),
        footprint.name.clone(),
        footprint.region.clone(),
        footprint.example,
        [
            count(OrganisationKind::Ccg),
            count(OrganisationKind::Trust),
            count(OrganisationKind::LocalAuthority),
        ],
    )
}

fn stories_changed(old: &Site, new: &Site, changed: &mut FxHashSet<Input>) {
    let before: FxHashMap<&String, &Story> = old.stories.iter().map(|s| (&s.slug, s)).collect();
    let after: FxHashMap<&String, &Story> = new.stories.iter().map(|s| (&s.slug, s)).collect();
    for story in &new.stories {
        let old = before.get(&story.slug).copied();
        if old != Some(story) {
            story_changed(old, Some(story), changed);
        }
    }
    for story in &old.stories {
        if !after.contains_key(&story.slug) {
            story_changed(Some(story), None, changed);
        }
    }
    if in_order_changed(&old.stories, &new.stories, |s| &s.slug) {
        changed.insert(Input::StorySet);
    }
}

/// The inputs one story's edit changes (`None`: it is new, or gone): the story, the lists
/// of stories of the footprints and organisations it names before and after, and the tags
/// when they changed.
pub(super) fn story_changed(
    old: Option<&Story>,
    new: Option<&Story>,
    changed: &mut FxHashSet<Input>,
) {
    for story in old.into_iter().chain(new) {
        changed.insert(Input::Story(story.slug.clone()));
        for slug in &story.footprints {
            changed.insert(Input::StoriesOfFootprint(slug.clone()));
        }
        for code in &story.organisations {
            changed.insert(Input::StoriesOfOrganisation(code.clone()));
        }
    }
    if old.map(|s| &s.tags) != new.map(|s| &s.tags) {
        changed.insert(Input::StoryTags);
    }
}
