//! What each route is made from, and what an edit changed: the two halves of the
//! dependency graph. [`inputs_of`] names the inputs a route reads; [`changed_inputs`]
//! compares two versions of the site and names the inputs that differ. A route whose
//! inputs did not change is the same file as before, so `ldr serve` remakes only the
//! routes that read a changed input.
//!
//! Inputs are fine where a large page would otherwise be made again for nothing (the A to
//! Z of organisations reads each organisation's row, not "the organisations"), and coarse
//! where a page reads the whole of something anyway (the home page reads every story).
//! Reading more than a route declares is the one way to be wrong here: the incremental
//! property test (`tests/incremental_property.rs`) compares every edit with a clean build.

use rustc_hash::{FxHashMap, FxHashSet};

use super::routes::{Route, story_tags};
use super::{Footprint, OdsCode, OrganisationKind, Registry, Site, Story};
use crate::slug::slugify;

/// A piece of the content an output reads.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Input {
    /// `site.toml` and the command line: every page shows the site's title and menu.
    Site,
    /// The content pages in the menu (title, address, order), which every page shows.
    Menu,
    /// The definitions of the universal capabilities.
    Capabilities,
    /// The digital maturity self-assessments.
    Maturity,
    /// The footprints' outlines for the maps.
    Shapes,
    /// Anything of a footprint's `footprint.toml`.
    Footprint(String),
    /// A footprint's `roadmap.md`.
    Roadmap(String),
    /// A footprint's name, region and example flag: what a list of names shows.
    FootprintName(String),
    /// What a link to a footprint shows: its name, region, example flag and the number of
    /// its members of each kind.
    FootprintLink(String),
    /// A footprint's organisations and their roles.
    Members(String),
    /// A footprint's capability plans.
    Plan(String),
    /// Which footprints there are, in order.
    FootprintSet,
    /// Which footprints an organisation is in, and its role there.
    FootprintsOf(OdsCode),
    /// An organisation's row of the register.
    Organisation(OdsCode),
    /// Which organisations there are.
    OrganisationSet,
    /// Any organisation's row.
    AllOrganisations,
    /// Any organisation's kind or example flag, or which organisations there are: the
    /// national median of digital maturity counts the trusts.
    OrganisationKinds,
    /// A story.
    Story(String),
    /// Which stories there are, newest first.
    StorySet,
    /// The tags of the stories, and how many stories have each.
    StoryTags,
    /// Which stories name a footprint.
    StoriesOfFootprint(String),
    /// Which stories name an organisation.
    StoriesOfOrganisation(OdsCode),
    /// An event.
    Event(String),
    /// Which events there are, soonest first.
    EventSet,
    /// A content page.
    Page(String),
    /// A part of a larger file, made and kept on its own.
    Fragment(Fragment),
    /// Which routes the site has (the sitemap lists them).
    Routes,
}

impl Input {
    /// Whether a change of this input can change which inputs an output reads (a story
    /// that now names a footprint, a footprint added): the outputs that read it record
    /// their inputs again. [`inputs_of`] reads the site's structure only through these.
    pub fn is_structural(&self) -> bool {
        matches!(
            self,
            Input::Footprint(_)
                | Input::Story(_)
                | Input::StoriesOfFootprint(_)
                | Input::StoriesOfOrganisation(_)
                | Input::FootprintsOf(_)
                | Input::FootprintSet
                | Input::OrganisationSet
                | Input::OrganisationKinds
                | Input::StorySet
                | Input::StoryTags
                | Input::EventSet
                | Input::Routes
        )
    }
}

/// Something the build makes that an edit can make stale: a route, or a fragment of one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Output {
    /// A file of the site.
    Route(Route),
    /// A part of a large file, so that an edit remakes its part, not the whole.
    Fragment(Fragment),
}

/// The parts the largest files are assembled from: in `/data/`, and in the two pages that
/// list every footprint or organisation in full.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Fragment {
    /// One footprint's record in `/data/footprints.json`.
    FootprintRecord(String),
    /// One organisation's row of `/data/organisations.csv`.
    OrganisationRow(OdsCode),
    /// One footprint's row of the capability matrix on `/capabilities/`.
    CapabilityRow(String),
    /// One organisation's entry in the A to Z on `/organisations/`.
    OrganisationEntry(OdsCode),
}

impl Output {
    /// Every output of `site`: its routes, then its fragments.
    pub fn every(site: &Site) -> Vec<Output> {
        let mut outputs: Vec<Output> = Route::every(site).into_iter().map(Output::Route).collect();
        outputs.extend(Fragment::every(site).into_iter().map(Output::Fragment));
        outputs
    }
}

impl Fragment {
    /// Every fragment of `site`, in the order their files list them.
    pub fn every(site: &Site) -> Vec<Fragment> {
        let footprints = site
            .footprints
            .iter()
            .map(|f| Fragment::FootprintRecord(f.slug.clone()));
        let organisations = site.registry.real().flat_map(|o| {
            [
                Fragment::OrganisationRow(o.code.clone()),
                Fragment::OrganisationEntry(o.code.clone()),
            ]
        });
        let rows = site
            .footprints
            .iter()
            .map(|f| Fragment::CapabilityRow(f.slug.clone()));
        footprints.chain(organisations).chain(rows).collect()
    }
}

/// The inputs `output` reads in `site`, added to `into`.
pub fn inputs_of(output: &Output, site: &Site, into: &mut Vec<Input>) {
    match output {
        Output::Route(route) => route_inputs(route, site, into),
        Output::Fragment(fragment) => fragment_inputs(fragment, site, into),
    }
}

fn fragment_inputs(fragment: &Fragment, site: &Site, into: &mut Vec<Input>) {
    into.push(Input::Site);
    match fragment {
        Fragment::FootprintRecord(slug) => {
            into.extend([Input::Footprint(slug.clone()), Input::Maturity]);
            if let Some(footprint) = site.footprint_by_slug(slug) {
                organisations_of(footprint, into);
            }
        }
        Fragment::OrganisationRow(code) => {
            into.extend([
                Input::Organisation(code.clone()),
                Input::FootprintsOf(code.clone()),
            ]);
        }
        Fragment::CapabilityRow(slug) => {
            into.extend([
                Input::FootprintName(slug.clone()),
                Input::Plan(slug.clone()),
                Input::Capabilities,
            ]);
        }
        Fragment::OrganisationEntry(code) => into.push(Input::Organisation(code.clone())),
    }
}

/// The inputs a route reads. Every page also reads [`Input::Site`] and [`Input::Menu`]
/// (and the templates, which the caller tracks).
fn route_inputs(route: &Route, site: &Site, into: &mut Vec<Input>) {
    use Input as I;
    if route.template().is_some() {
        into.extend([I::Site, I::Menu]);
    }
    let every_link = |into: &mut Vec<Input>| {
        into.push(I::FootprintSet);
        into.extend(
            site.footprints
                .iter()
                .map(|f| I::FootprintLink(f.slug.clone())),
        );
    };
    let every_event = |into: &mut Vec<Input>| {
        into.push(I::EventSet);
        into.extend(site.events.iter().map(|e| I::Event(e.slug.clone())));
    };
    match route {
        Route::Home => {
            every_link(into);
            into.extend(site.footprints.iter().map(|f| I::Members(f.slug.clone())));
            into.extend([I::OrganisationKinds, I::StorySet, I::Shapes]);
            for story in site.stories.iter().take(3) {
                story_view_inputs(story, into);
            }
            into.push(I::EventSet);
            into.extend(events_to_third_upcoming(site).map(|e| I::Event(e.slug.clone())));
        }
        Route::Footprints => {
            every_link(into);
            into.push(I::Shapes);
        }
        Route::Footprint(slug) => {
            into.extend([
                I::Footprint(slug.clone()),
                I::Roadmap(slug.clone()),
                I::FootprintLink(slug.clone()),
                I::StoriesOfFootprint(slug.clone()),
                I::Capabilities,
                I::Maturity,
                I::OrganisationKinds,
            ]);
            if let Some(footprint) = site.footprint_by_slug(slug) {
                organisations_of(footprint, into);
                for story in site.stories_of_footprint(slug) {
                    story_view_inputs(story, into);
                }
            }
        }
        Route::MergedFootprint { into: slug, .. } => into.push(I::FootprintLink(slug.clone())),
        Route::Organisations => {
            into.push(I::OrganisationSet);
            into.extend(
                site.registry
                    .iter()
                    .map(|o| I::Organisation(o.code.clone())),
            );
        }
        Route::Organisation(code) => {
            into.extend([
                I::Organisation(code.clone()),
                I::FootprintsOf(code.clone()),
                I::StoriesOfOrganisation(code.clone()),
                I::Maturity,
            ]);
            for footprint in site.footprints_of_organisation(code) {
                into.push(I::FootprintLink(footprint.slug.clone()));
                into.push(I::Members(footprint.slug.clone()));
            }
            for story in site.stories_of_organisation(code) {
                story_view_inputs(story, into);
            }
        }
        Route::Stories => {
            into.extend([I::StorySet, I::StoryTags]);
            for story in &site.stories {
                story_view_inputs(story, into);
            }
        }
        Route::StoryTag(tag) => {
            into.extend([I::StorySet, I::StoryTags]);
            let tagged = site
                .stories
                .iter()
                .filter(|s| s.tags.iter().any(|t| slugify(t) == *tag));
            for story in tagged {
                story_view_inputs(story, into);
            }
        }
        Route::Story(slug) => {
            if let Some(story) = site.story_by_slug(slug) {
                story_view_inputs(story, into);
            }
            into.push(I::Story(slug.clone()));
        }
        Route::Events(filter) => {
            into.push(I::EventSet);
            let kept = site.events.iter().filter(|e| filter.keeps(e));
            into.extend(kept.map(|e| I::Event(e.slug.clone())));
        }
        Route::Calendar => {
            every_event(into);
            into.push(I::Site);
        }
        Route::Feed => {
            every_event(into);
            into.extend([I::StorySet, I::Site]);
            into.extend(site.stories.iter().map(|s| I::Story(s.slug.clone())));
        }
        Route::Event(slug) | Route::EventCalendar(slug) => {
            into.extend([I::Event(slug.clone()), I::Site]);
        }
        Route::Capabilities => {
            every_link(into);
            into.extend([I::Capabilities, I::Shapes]);
            into.extend(site.footprints.iter().map(|f| I::Plan(f.slug.clone())));
        }
        Route::DigitalMaturity | Route::DigitalMaturityCsv => {
            every_link(into);
            into.extend(site.footprints.iter().map(|f| I::Members(f.slug.clone())));
            into.extend([
                I::Maturity,
                I::AllOrganisations,
                I::OrganisationKinds,
                I::Site,
            ]);
        }
        Route::Page(slug) => into.push(I::Page(slug.clone())),
        Route::Accessibility => into.push(I::Shapes),
        Route::Search | Route::NotFound | Route::Privacy => {}
        Route::OpenData | Route::Robots => into.push(I::Site),
        Route::Sitemap => into.extend([I::Routes, I::Site]),
        Route::FootprintsJson => {
            into.extend([I::FootprintSet, I::Site]);
            into.extend(
                site.footprints
                    .iter()
                    .map(|f| I::Fragment(Fragment::FootprintRecord(f.slug.clone()))),
            );
        }
        Route::OrganisationsCsv => {
            into.extend([I::OrganisationSet, I::Site]);
            into.extend(
                site.registry
                    .real()
                    .map(|o| I::Fragment(Fragment::OrganisationRow(o.code.clone()))),
            );
        }
        Route::FootprintsSchema => {}
    }
}

/// The events up to the third upcoming one, in order: the home page shows the first three
/// upcoming events, and an event further on can only join them by moving (a new start,
/// which changes the order), whereas one before them can by a new end date.
fn events_to_third_upcoming(site: &Site) -> impl Iterator<Item = &super::Event> {
    let mut upcoming = 0;
    site.events.iter().take_while(move |event| {
        let before_third = upcoming < 3;
        if event.is_upcoming(site.config.now) {
            upcoming += 1;
        }
        before_third
    })
}

/// What a story's summary in a list reads: the story, and the links to its footprints
/// and organisations.
fn story_view_inputs(story: &super::Story, into: &mut Vec<Input>) {
    into.push(Input::Story(story.slug.clone()));
    into.extend(
        story
            .footprints
            .iter()
            .map(|slug| Input::FootprintLink(slug.clone())),
    );
    into.extend(
        story
            .organisations
            .iter()
            .map(|code| Input::Organisation(code.clone())),
    );
}

fn organisations_of(footprint: &Footprint, into: &mut Vec<Input>) {
    into.extend(
        footprint
            .organisations()
            .map(|(code, _)| Input::Organisation(code.clone())),
    );
}

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
pub(super) fn in_order_changed<T>(old: &[T], new: &[T], key: impl Fn(&T) -> &String) -> bool {
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
    let mut any = false;
    let mut listed = old.iter().count() != new.iter().count();
    for organisation in new.iter() {
        let before = old.resolve(organisation.code.as_str());
        if before == Some(organisation) {
            continue;
        }
        any = true;
        listed |= before.is_none();
        changed.insert(Input::Organisation(organisation.code.clone()));
        if before.is_none_or(|b| b.kind != organisation.kind || b.example != organisation.example) {
            changed.insert(Input::OrganisationKinds);
            for slug in footprints_of(&organisation.code) {
                changed.insert(Input::FootprintLink(slug));
            }
        }
    }
    for organisation in old.iter() {
        if new.resolve(organisation.code.as_str()).is_none() {
            any = true;
            listed = true;
            changed.insert(Input::Organisation(organisation.code.clone()));
            changed.insert(Input::OrganisationKinds);
        }
    }
    if any {
        changed.insert(Input::AllOrganisations);
    }
    if listed {
        changed.extend([Input::OrganisationSet, Input::Routes]);
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
