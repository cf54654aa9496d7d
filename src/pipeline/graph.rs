//! The dependency graph from inputs to routes: for each input, the routes that read it.
//! An edit's changed inputs ([`inputs::changed_inputs`]) give exactly the routes to make
//! again; nothing else is rendered, written or served anew.
//!
//! Edges are only ever added between full builds: a route made again records the inputs it
//! reads now, and an edge it no longer has stays until the next full build. A stale edge
//! costs a page made for nothing; a missing one would leave a page out of date, so the
//! graph errs the first way.

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::model::Site;
use crate::model::inputs::{Input, inputs_of};
use crate::model::routes::Route;

/// Which routes read which inputs.
pub(crate) struct DependencyGraph {
    /// Every route of the site, in [`Route::every`] order.
    routes: Vec<Route>,
    /// Each input by a number, so that an edge is a pair of numbers.
    inputs: FxHashMap<Input, u32>,
    /// By input number: the routes (by their place in `routes`) that read it.
    readers: Vec<Vec<u32>>,
    /// By route: the numbers of the inputs it reads, sorted, so an edge is added once.
    read: Vec<Vec<u32>>,
}

impl DependencyGraph {
    /// The graph of every route of `site`.
    pub fn new(site: &Site) -> DependencyGraph {
        let mut graph = DependencyGraph::empty();
        graph.add_routes(site, Route::every(site));
        graph
    }

    /// A graph of nothing, for a build that is not kept.
    pub fn empty() -> DependencyGraph {
        DependencyGraph {
            routes: Vec::new(),
            inputs: FxHashMap::default(),
            readers: Vec::new(),
            read: Vec::new(),
        }
    }

    /// The routes that read any of `changed`, each once, in route order.
    pub fn readers_of(&self, changed: &FxHashSet<Input>) -> Vec<Route> {
        let mut ids: Vec<u32> = changed
            .iter()
            .filter_map(|input| self.inputs.get(input))
            .flat_map(|&input| self.readers[input as usize].iter().copied())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids.into_iter()
            .map(|id| self.routes[id as usize].clone())
            .collect()
    }

    /// The routes of `site` that the graph does not have, and the graph's routes that
    /// `site` no longer has.
    pub fn route_changes(&self, site: &Site) -> (Vec<Route>, Vec<Route>) {
        let now = Route::every(site);
        let before: FxHashSet<&Route> = self.routes.iter().collect();
        let after: FxHashSet<&Route> = now.iter().collect();
        let added = now
            .iter()
            .filter(|r| !before.contains(r))
            .cloned()
            .collect();
        let removed = self
            .routes
            .iter()
            .filter(|r| !after.contains(r))
            .cloned()
            .collect();
        (added, removed)
    }

    /// Takes in the routes [`DependencyGraph::route_changes`] found.
    pub fn change_routes(&mut self, site: &Site, added: Vec<Route>, removed: &[Route]) {
        if removed.is_empty() {
            self.add_routes(site, added);
        } else {
            // The numbers of the routes after a removed one would be wrong: start again.
            *self = DependencyGraph::new(site);
        }
    }

    /// Records what `routes` read now, after they were made again.
    pub fn record(&mut self, site: &Site, routes: &[Route]) {
        let places: FxHashMap<&Route, u32> = self
            .routes
            .iter()
            .enumerate()
            .map(|(i, r)| (r, i as u32))
            .collect();
        let edges: Vec<(u32, Vec<Input>)> = routes
            .par_iter()
            .filter_map(|route| {
                let mut inputs = Vec::new();
                inputs_of(route, site, &mut inputs);
                Some((*places.get(route)?, inputs))
            })
            .collect();
        self.add_edges(edges);
    }

    fn add_routes(&mut self, site: &Site, routes: Vec<Route>) {
        let first = self.routes.len() as u32;
        let edges: Vec<(u32, Vec<Input>)> = routes
            .par_iter()
            .enumerate()
            .map(|(i, route)| {
                let mut inputs = Vec::new();
                inputs_of(route, site, &mut inputs);
                (first + i as u32, inputs)
            })
            .collect();
        self.read.resize(self.read.len() + routes.len(), Vec::new());
        self.routes.extend(routes);
        self.add_edges(edges);
    }

    fn add_edges(&mut self, edges: Vec<(u32, Vec<Input>)>) {
        for (route, inputs) in edges {
            for input in inputs {
                let next = self.readers.len() as u32;
                let id = *self.inputs.entry(input).or_insert(next);
                if id == next {
                    self.readers.push(Vec::new());
                }
                let read = &mut self.read[route as usize];
                if let Err(at) = read.binary_search(&id) {
                    read.insert(at, id);
                    self.readers[id as usize].push(route);
                }
            }
        }
    }
}
