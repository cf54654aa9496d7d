//! What each output (a route, or a fragment of one) is made from: one half of the
//! dependency graph. [`inputs_of`] names the inputs an output reads; [`super::changes`]
//! names the inputs an edit changed. An output whose inputs did not change is the same
//! file as before, so `ldr serve` remakes only the outputs that read a changed input.
//!
//! Inputs are fine where a large page would otherwise be made again for nothing (the A to
//! Z of organisations reads each organisation's row, not "the organisations"), and coarse
//! where a page reads the whole of something anyway (the home page reads every story).
//! Reading more than a route declares is the one way to be wrong here: the incremental
//! property test (`tests/incremental_property.rs`) compares every edit with a clean build.

use super::routes::Route;
use super::{Footprint, OdsCode, Site};

/// A piece of the content an output reads.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Input {
    /// `site.toml` and the command line: every page shows the site's title and menu.
    Site,
    /// The content pages in the menu (title, address, order), which every page shows.
    Menu,
    /// The definitions of the universal capabilities: their ids and titles.
    Capabilities,
    /// Which universal capabilities there are, in order: the columns of the matrix.
    CapabilityIds,
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
                | Input::CapabilityIds
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
    /// A capability's heading (its id and title) in the table of every footprint page
    /// with plans: the one place a footprint's page shows a capability's title.
    CapabilityHeading(String),
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
        let headings = site
            .capabilities
            .iter()
            .map(|c| Fragment::CapabilityHeading(c.id.clone()));
        footprints
            .chain(organisations)
            .chain(rows)
            .chain(headings)
            .collect()
    }

    /// Whether the pages that read this fragment show it as it is, so that when such
    /// fragments are all that changed of a page, the page is mended in place rather than
    /// rendered again: a capability's new title is on every footprint's page, and
    /// rendering ten thousand pages again for it took 0.7 s.
    pub fn is_spliced(&self) -> bool {
        matches!(self, Fragment::CapabilityHeading(_))
    }
}

/// The fragments a file is assembled from, in the order it lists them (none for a file
/// made whole): the graph's edges to the file and the index stage's assembly of it both
/// come from here.
pub fn assembled_from(route: &Route, site: &Site) -> Vec<Fragment> {
    match route {
        Route::FootprintsJson => site
            .footprints
            .iter()
            .map(|f| Fragment::FootprintRecord(f.slug.clone()))
            .collect(),
        Route::OrganisationsCsv => site
            .registry
            .real()
            .map(|o| Fragment::OrganisationRow(o.code.clone()))
            .collect(),
        _ => Vec::new(),
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
                Input::CapabilityIds,
            ]);
        }
        Fragment::OrganisationEntry(code) => into.push(Input::Organisation(code.clone())),
        Fragment::CapabilityHeading(_) => into.push(Input::Capabilities),
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
                I::Maturity,
                I::OrganisationKinds,
                // Its locator map.
                I::Shapes,
            ]);
            if let Some(footprint) = site.footprint_by_slug(slug) {
                if !footprint.capabilities.is_empty() {
                    into.push(I::CapabilityIds);
                    into.extend(
                        site.capabilities
                            .iter()
                            .map(|c| I::Fragment(Fragment::CapabilityHeading(c.id.clone()))),
                    );
                }
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
            for story in site.stories_of_tag(tag) {
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
        Route::FootprintsJson | Route::OrganisationsCsv => {
            let set = match route {
                Route::FootprintsJson => I::FootprintSet,
                _ => I::OrganisationSet,
            };
            into.extend([set, I::Site]);
            into.extend(assembled_from(route, site).into_iter().map(I::Fragment));
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
