//! The command line: `ldr build`, `ldr serve`, `ldr check`, `ldr new footprint`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};

use crate::diagnostic::Diagnostics;
use crate::editor_schemas::write_schemas;
use crate::message_format::{MessageFormat, Summary, github_commands, json_lines};
use crate::model::Overrides;
use crate::new::footprint::{Request, new_footprint};
use crate::new::site::init;
use crate::new::writing::{Writing, new_writing};
use crate::pipeline::{self, BuildOptions, BuildReport, Verbosity};

#[derive(Parser)]
#[command(
    name = "ldr",
    version,
    about = "Builds the Local Digital Roadmaps site from content/"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder.
    Build {
        #[command(flatten)]
        site: SiteArgs,
        #[command(flatten)]
        report: ReportArgs,
        /// Where to write the site; replaced only when the whole build succeeded.
        #[arg(long, short, default_value = "output")]
        output: PathBuf,
    },
    /// Build the site and serve it with live reload while you edit.
    Serve {
        #[command(flatten)]
        site: SiteArgs,
        /// The port to listen on.
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
        /// The address to listen on; 0.0.0.0 shows the preview to other machines.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Poll for changes instead of using the system's file events (network shares,
        /// containers).
        #[arg(long)]
        poll: bool,
        /// Also answer requests for this host name (localhost, names under .localhost, the
        /// loopback addresses and the bound address always are); `.example.org` allows
        /// example.org and every name under it. Repeatable.
        #[arg(long = "allowed-host", value_name = "NAME")]
        allowed_hosts: Vec<String>,
    },
    /// Start a new site in DIR: settings, a register, an example footprint, the pages,
    /// the default theme and the editor schemas.
    Init {
        /// A new or empty folder.
        dir: PathBuf,
    },
    /// Start new content from a template.
    New {
        #[command(subcommand)]
        what: NewContent,
    },
    /// Write JSON Schemas of the content files, for editors (Taplo, VS Code).
    Schema {
        /// The folder to write them to.
        #[arg(long, short, default_value = "schemas")]
        output: PathBuf,
    },
    /// Check the content and templates, and write nothing.
    Check {
        #[command(flatten)]
        site: SiteArgs,
        #[command(flatten)]
        report: ReportArgs,
    },
}

#[derive(Subcommand)]
enum NewContent {
    /// An IDCR success story: content/stories/SLUG.md.
    Story(WritingArgs),
    /// An event: content/events/SLUG.md.
    Event(WritingArgs),
    /// A page such as about or contact: content/pages/SLUG.md, served at /SLUG/.
    Page(WritingArgs),
    /// A footprint folder from the lead-CCG template, or (with --partner-of) partner CCGs
    /// added to an existing footprint.
    Footprint(FootprintArgs),
}

#[derive(Args)]
struct FootprintArgs {
    /// The new footprint's slug (its folder name); with --partner-of, the partner's code.
    #[arg(required_unless_present = "partner_of")]
    slug: Option<String>,
    /// ODS code of the lead CCG.
    #[arg(long, required_unless_present = "partner_of")]
    lead: Option<String>,
    /// ODS code of a partner CCG (repeat for more).
    #[arg(long = "partner")]
    partners: Vec<String>,
    /// Add the partners to this existing footprint instead of creating one.
    #[arg(long, conflicts_with_all = ["lead", "name", "code", "region"])]
    partner_of: Option<String>,
    /// The footprint's name [default: from the slug].
    #[arg(long)]
    name: Option<String>,
    /// The footprint's code [default: LDR-<lead>].
    #[arg(long)]
    code: Option<String>,
    /// NHS England region [default: the lead CCG's].
    #[arg(long)]
    region: Option<String>,
    #[command(flatten)]
    site: SiteArgs,
}

#[derive(Args)]
struct WritingArgs {
    /// The file's name without `.md`: lowercase words joined by hyphens.
    slug: String,
    /// Its title [default: from the slug].
    #[arg(long)]
    title: Option<String>,
    #[command(flatten)]
    site: SiteArgs,
}

#[derive(Args)]
struct SiteArgs {
    /// The content folder.
    #[arg(long, short, default_value = "content")]
    content: PathBuf,
    /// The folder that holds themes [default: `themes` beside the content folder].
    #[arg(long)]
    themes: Option<PathBuf>,
    /// The address the site is published at, overriding site.toml's base_url.
    #[arg(long, value_parser = parse_base_url)]
    base_url: Option<String>,
    /// Build as if today were this date (YYYY-MM-DD), for reproducible builds.
    #[arg(long, value_parser = parse_date)]
    now: Option<NaiveDate>,
}

#[derive(Args)]
struct ReportArgs {
    /// How to print errors and warnings: for people (on stderr), or for tools (on stdout).
    #[arg(long, value_enum, default_value_t)]
    message_format: MessageFormat,
    /// Print errors and warnings only: no progress line and no summary.
    #[arg(long, short, conflicts_with = "verbose")]
    quiet: bool,
    /// Also print how long each stage took.
    #[arg(long, short)]
    verbose: bool,
}

impl ReportArgs {
    fn verbosity(&self) -> Verbosity {
        match (self.quiet, self.verbose) {
            (true, _) => Verbosity::Quiet,
            (_, true) => Verbosity::Verbose,
            _ => Verbosity::Normal,
        }
    }
}

fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("`{text}` is not a date like 2017-01-31"))
}

fn parse_base_url(text: &str) -> Result<String, String> {
    crate::model::settings::base_url(text)
}

impl SiteArgs {
    fn options(&self) -> BuildOptions {
        let themes = self.themes.clone().unwrap_or_else(|| {
            self.content
                .parent()
                .unwrap_or(Path::new(""))
                .join("themes")
        });
        BuildOptions {
            content: self.content.clone(),
            themes,
            overrides: Overrides {
                base_url: self.base_url.clone(),
                now: self.now,
            },
        }
    }
}

/// Runs the command line; usage errors exit with 2 (clap's), content errors with 1.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Build {
            site,
            output,
            report,
        } => {
            let built = pipeline::build(&site.options(), Some(output), report.verbosity());
            return finish_build("Built", built, Some(output), report);
        }
        Command::Serve {
            site,
            port,
            bind,
            open,
            poll,
            allowed_hosts,
        } => crate::serve::serve(crate::serve::ServeOptions {
            build: site.options(),
            address: std::net::SocketAddr::new(*bind, *port),
            open: *open,
            poll: *poll,
            allowed_hosts: allowed_hosts.clone(),
        }),
        Command::New { what } => new_content(what),
        Command::Init { dir } => init(dir).map(|content| {
            eprintln!(
                "Created a new site in {}. Preview it with:\n  ldr serve --content {}",
                dir.display(),
                content.display()
            );
        }),
        Command::Schema { output } => write_schemas(output)
            .map(|count| eprintln!("Wrote {count} schemas to {}", output.display()))
            .map_err(Diagnostics::from),
        Command::Check { site, report } => {
            let checked = pipeline::build(&site.options(), None, report.verbosity());
            return finish_build("Checked", checked, None, report);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(problems) => {
            let outcome = match cli.command {
                Command::New { .. } | Command::Init { .. } => "nothing was changed",
                Command::Schema { .. } => "the schemas were not all written",
                _ => "the preview did not start",
            };
            print_problems(&problems, outcome);
            ExitCode::from(1)
        }
    }
}

/// Prints what a build or check found, in the format asked for, and gives its exit code.
fn finish_build(
    verb: &str,
    result: Result<BuildReport, Diagnostics>,
    output: Option<&PathBuf>,
    report_args: &ReportArgs,
) -> ExitCode {
    let format = report_args.message_format;
    let (problems, summary) = match &result {
        Ok(report) => (
            &report.warnings,
            Summary {
                success: true,
                errors: 0,
                warnings: report.warnings.warning_count(),
                files: report.files,
            },
        ),
        Err(problems) => (
            problems,
            Summary {
                success: false,
                errors: problems.error_count(),
                warnings: problems.warning_count(),
                files: 0,
            },
        ),
    };
    let mut out = std::io::stdout().lock();
    match format {
        MessageFormat::Json => {
            let _ = out.write_all(json_lines(problems, &summary).as_bytes());
        }
        MessageFormat::Github => {
            let _ = out.write_all(github_commands(problems).as_bytes());
        }
        MessageFormat::Human => {}
    }
    let human = format != MessageFormat::Json;
    match result {
        Ok(report) => {
            if human && !report_args.quiet {
                print_report(verb, &report, output);
            } else if human {
                eprint!("{}", report.warnings);
            }
            ExitCode::SUCCESS
        }
        Err(problems) => {
            if human {
                print_problems(&problems, "the build failed and nothing was written");
            }
            ExitCode::from(1)
        }
    }
}

fn new_content(what: &NewContent) -> Result<(), Diagnostics> {
    let (kind, args) = match what {
        NewContent::Story(args) => (Writing::Story, args),
        NewContent::Event(args) => (Writing::Event, args),
        NewContent::Page(args) => (Writing::Page, args),
        NewContent::Footprint(args) => return new_footprint_content(args),
    };
    let options = args.site.options();
    let today = options
        .overrides
        .now
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let written = new_writing(&options, kind, &args.slug, args.title.as_deref(), today)?;
    eprintln!("Wrote {}; the site still builds.", written.display());
    Ok(())
}

fn new_footprint_content(args: &FootprintArgs) -> Result<(), Diagnostics> {
    let FootprintArgs {
        slug,
        lead,
        partners,
        partner_of,
        name,
        code,
        region,
        site,
    } = args;
    let request = match (partner_of, lead) {
        (Some(footprint), _) => Request::AddPartners {
            footprint: footprint.clone(),
            partners: slug.iter().chain(partners).cloned().collect(),
        },
        (None, Some(lead)) => Request::Create {
            slug: slug.clone().unwrap_or_default(),
            lead: lead.clone(),
            partners: partners.clone(),
            name: name.clone(),
            code: code.clone(),
            region: region.clone(),
        },
        (None, None) => unreachable!("clap requires --lead unless --partner-of is given"),
    };
    let written = new_footprint(&site.options(), request)?;
    eprintln!("Wrote {}; the site still builds.", written.display());
    Ok(())
}

fn print_problems(problems: &Diagnostics, outcome: &str) {
    let mut err = std::io::stderr().lock();
    let _ = write!(err, "{problems}");
    let errors = problems.error_count();
    let errors = crate::words::count(errors, "error", "errors");
    let _ = writeln!(err, "error: {errors}; {outcome}");
}

fn print_report(verb: &str, report: &BuildReport, output: Option<&PathBuf>) {
    let mut err = std::io::stderr().lock();
    let _ = write!(err, "{}", report.warnings);
    let target = output
        .map(|o| format!(" into {}", o.display()))
        .unwrap_or_default();
    use crate::words::count;
    let examples = match report.examples {
        0 => String::new(),
        n => format!(" and {}", count(n, "example", "examples")),
    };
    let _ = writeln!(
        err,
        "{verb} {}, {}, {}, {}, {}{examples}{target}",
        count(report.footprints, "footprint", "footprints"),
        count(report.organisations, "organisation", "organisations"),
        count(report.stories, "story", "stories"),
        count(report.events, "event", "events"),
        count(report.pages, "page", "pages"),
    );
    let size = if report.bytes > 0 {
        format!(", {:.1} MB", report.bytes as f64 / 1e6)
    } else {
        String::new()
    };
    let _ = writeln!(
        err,
        "  {}{size}, {}, in {} ms",
        count(report.files, "file", "files"),
        count(report.warnings.warning_count(), "warning", "warnings"),
        report.elapsed.as_millis()
    );
}
