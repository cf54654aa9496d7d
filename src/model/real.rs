//! What counts as real. The default content holds illustrative examples (a footprint, its
//! providers, stories and events) to show how the site displays what no real record has;
//! they are shown marked where they are shown at all, and never counted. Every total, card,
//! by-year count, map and list asks [`Illustrative::counts_as_real`], so no page can count
//! the examples while another leaves them out.

use super::{Event, Footprint, Organisation, Site, Story};

/// A record that may be an illustrative example rather than a real one.
pub trait Illustrative {
    /// Marked `example = true` (or listed in `example-organisations.csv`).
    fn is_example(&self) -> bool;

    /// Whether the record counts in totals and is listed beside real records.
    fn counts_as_real(&self) -> bool {
        !self.is_example()
    }
}

impl Illustrative for Footprint {
    fn is_example(&self) -> bool {
        self.example
    }
}

impl Illustrative for Organisation {
    fn is_example(&self) -> bool {
        self.example
    }
}

impl Illustrative for Story {
    fn is_example(&self) -> bool {
        self.example
    }
}

impl Illustrative for Event {
    fn is_example(&self) -> bool {
        self.example
    }
}

/// Whether `record` may be listed on a page about `about`: a real record's page lists only
/// real records; an example's page may list examples too, marked.
pub fn may_list_on(record: &impl Illustrative, about: &impl Illustrative) -> bool {
    record.counts_as_real() || about.is_example()
}

impl Site {
    /// The footprints that count: every footprint but the illustrative examples.
    pub fn real_footprints(&self) -> impl Iterator<Item = &Footprint> {
        self.footprints.iter().filter(|f| f.counts_as_real())
    }
}
