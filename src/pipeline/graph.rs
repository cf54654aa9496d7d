//! The dependency graph from inputs to outputs (routes, and the fragments the largest files
//! are made of): for each input, the outputs that read it. An edit's changed inputs
//! ([`changed_inputs`](crate::model::changes::changed_inputs)) give exactly the outputs to
//! make again; nothing else is rendered, written or served anew.
//!
//! Edges are only ever added between full builds: an output made again records the inputs
//! it reads now, and an edge it no longer has stays until the next full build. A stale edge
//! costs a page made for nothing; a missing one would leave a page out of date, so the
//! graph errs the first way.

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::model::Site;
use crate::model::inputs::{Input, Output, inputs_of};

/// Which outputs read which inputs.
pub(crate) struct DependencyGraph {
    /// Every output of the site, in [`Output::every`] order.
    outputs: Vec<Output>,
    /// Each input by a number, so that an edge is a pair of numbers.
    inputs: FxHashMap<Input, u32>,
    /// By input number: the outputs (by their place in `outputs`) that read it.
    readers: Vec<Vec<u32>>,
    /// By output: the numbers of the inputs it reads, sorted, so an edge is added once.
    read: Vec<Vec<u32>>,
}

impl DependencyGraph {
    /// The graph of every output of `site`.
    pub fn new(site: &Site) -> DependencyGraph {
        let mut graph = DependencyGraph::empty();
        graph.add_outputs(site, Output::every(site));
        graph
    }

    /// A graph of nothing, for a build that is not kept.
    pub fn empty() -> DependencyGraph {
        DependencyGraph {
            outputs: Vec::new(),
            inputs: FxHashMap::default(),
            readers: Vec::new(),
            read: Vec::new(),
        }
    }

    /// The outputs that read any of `changed`, each once, in output order.
    pub fn readers_of(&self, changed: &FxHashSet<Input>) -> Vec<Output> {
        self.reader_ids(changed)
            .into_iter()
            .map(|id| self.outputs[id as usize].clone())
            .collect()
    }

    /// [`DependencyGraph::readers_of`], by the outputs' numbers.
    fn reader_ids(&self, changed: &FxHashSet<Input>) -> Vec<u32> {
        let mut ids: Vec<u32> = changed
            .iter()
            .filter_map(|input| self.inputs.get(input))
            .flat_map(|&input| self.readers[input as usize].iter().copied())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// The outputs of `site` that the graph does not have, and the graph's outputs that
    /// `site` no longer has.
    pub fn output_changes(&self, site: &Site) -> (Vec<Output>, Vec<Output>) {
        let now = Output::every(site);
        let before: FxHashSet<&Output> = self.outputs.iter().collect();
        let after: FxHashSet<&Output> = now.iter().collect();
        let added = now
            .iter()
            .filter(|r| !before.contains(r))
            .cloned()
            .collect();
        let removed = self
            .outputs
            .iter()
            .filter(|r| !after.contains(r))
            .cloned()
            .collect();
        (added, removed)
    }

    /// Takes in the outputs [`DependencyGraph::output_changes`] found.
    pub fn change_outputs(&mut self, site: &Site, added: Vec<Output>, removed: &[Output]) {
        if removed.is_empty() {
            self.add_outputs(site, added);
        } else {
            // The numbers of the outputs after a removed one would be wrong: start again.
            *self = DependencyGraph::new(site);
        }
    }

    /// Records what the outputs that read any of `changed` read now: only a change of
    /// the site's structure ([`Input::is_structural`]) can change that.
    pub fn record_readers_of(&mut self, site: &Site, changed: &FxHashSet<Input>) {
        let edges: Vec<(u32, Vec<Input>)> = self
            .reader_ids(changed)
            .into_par_iter()
            .map(|id| {
                let mut inputs = Vec::new();
                inputs_of(&self.outputs[id as usize], site, &mut inputs);
                (id, inputs)
            })
            .collect();
        self.add_edges(edges);
    }

    fn add_outputs(&mut self, site: &Site, outputs: Vec<Output>) {
        let first = self.outputs.len() as u32;
        let edges: Vec<(u32, Vec<Input>)> = outputs
            .par_iter()
            .enumerate()
            .map(|(i, output)| {
                let mut inputs = Vec::new();
                inputs_of(output, site, &mut inputs);
                (first + i as u32, inputs)
            })
            .collect();
        self.read
            .resize(self.read.len() + outputs.len(), Vec::new());
        self.outputs.extend(outputs);
        self.add_edges(edges);
    }

    fn add_edges(&mut self, edges: Vec<(u32, Vec<Input>)>) {
        for (output, inputs) in edges {
            for input in inputs {
                let next = self.readers.len() as u32;
                let id = *self.inputs.entry(input).or_insert(next);
                if id == next {
                    self.readers.push(Vec::new());
                }
                let read = &mut self.read[output as usize];
                if let Err(at) = read.binary_search(&id) {
                    read.insert(at, id);
                    self.readers[id as usize].push(output);
                }
            }
        }
    }
}
