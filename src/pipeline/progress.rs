//! What a build tells a person while it runs: a progress line on a terminal (the stage and
//! how many pages are done), each stage's time with `--verbose`, nothing with `--quiet`.
//! indicatif draws the line only when stderr is a terminal, so logs and pipes get none.

use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How much a one-off build says while it runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Verbosity {
    /// Errors and warnings only: no progress line, no summary.
    Quiet,
    /// A progress line on a terminal, then the summary.
    #[default]
    Normal,
    /// Also each stage's wall and CPU time (`timing: render 120 ms (CPU 230 ms)`), as
    /// `LDR_TIMINGS=1` always did for the benchmarks.
    Verbose,
}

/// The running build's progress line and stage times (a handle: clones share the line).
#[derive(Clone)]
pub struct Progress {
    line: ProgressBar,
    times: bool,
}

impl Progress {
    /// A progress line that says as much as `verbosity` asks, drawn only on a terminal.
    pub fn new(verbosity: Verbosity) -> Progress {
        let line = if verbosity == Verbosity::Quiet {
            ProgressBar::hidden()
        } else {
            let line = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            line.enable_steady_tick(Duration::from_millis(120));
            line
        };
        let times = verbosity == Verbosity::Verbose || std::env::var_os("LDR_TIMINGS").is_some();
        Progress { line, times }
    }

    /// For builds nobody watches line by line (the preview, `ldr new`).
    pub fn hidden() -> Progress {
        Progress {
            line: ProgressBar::hidden(),
            times: std::env::var_os("LDR_TIMINGS").is_some(),
        }
    }

    /// Runs one stage of the build under its name.
    pub fn stage<T>(&self, name: &str, run: impl FnOnce() -> T) -> T {
        self.run_stage(name, "{spinner} {msg}", run)
    }

    /// Runs a stage that makes files one by one, counting them with [`Progress::made_one`].
    pub fn counted_stage<T>(&self, name: &str, run: impl FnOnce() -> T) -> T {
        self.run_stage(name, "{spinner} {msg}: {human_pos} files", run)
    }

    fn run_stage<T>(&self, name: &str, template: &str, run: impl FnOnce() -> T) -> T {
        if let Ok(style) = ProgressStyle::with_template(template) {
            self.line.set_style(style);
        }
        self.line.set_message(name.to_string());
        self.line.set_position(0);
        let started = Instant::now();
        let cpu_before = self.times.then(cpu_time).flatten();
        let value = run();
        if self.times {
            let ms = started.elapsed().as_millis();
            let cpu = cpu_before
                .zip(cpu_time())
                .map(|(before, after)| format!(" (CPU {} ms)", (after - before).as_millis()))
                .unwrap_or_default();
            self.line
                .suspend(|| eprintln!("timing: {name} {ms} ms{cpu}"));
        }
        value
    }

    /// One more file made in the current stage.
    pub fn made_one(&self) {
        self.line.inc(1);
    }

    /// Clears the line before the summary is printed.
    pub fn finish(&self) {
        self.line.finish_and_clear();
    }
}

/// The CPU time the process has used so far, on every thread: a stage that took more
/// CPU than wall time ran in parallel. std has no such call; `getrusage` is POSIX.
#[cfg(unix)]
fn cpu_time() -> Option<Duration> {
    // SAFETY: `getrusage` only writes the struct it is given, which is plain data.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } != 0 {
        return None;
    }
    let seconds = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    Some(seconds(usage.ru_utime) + seconds(usage.ru_stime))
}

#[cfg(not(unix))]
fn cpu_time() -> Option<Duration> {
    None
}
