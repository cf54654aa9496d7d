#!/usr/bin/env python3
"""Generate a benchmark corpus: the same fictional LDR site for ldr and for Hugo.

    python3 bench/generate_corpus.py N OUT_DIR [--seed S]

writes

    OUT_DIR/ldr/content/   ldr's content format (site.toml, organisations.csv,
                           capabilities.toml, footprints/, stories/, events/, pages/)
    OUT_DIR/hugo/          a Hugo site with the same content: hugo.toml, content/,
                           data/ (organisations, capabilities), layouts/ (copied from
                           bench/hugo-layouts/), static/ (the ldr theme's stylesheet and the
                           footprints.json schema)

N footprints, each with 5-15 member organisations (a lead CCG, 0-3 partner CCGs, the rest
trusts, councils and other bodies); N/4 stories and N/4 events; two plain pages.
`--stories S` makes S stories instead, and `--tags-per-story T` gives each story T tags
of its own ("topic 17"), for the tags benchmark (bench/tags.sh). Every name
is made up. The output depends only on N and the seed (Python 3.11 standard library only).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HUGO_LAYOUTS = REPO / "bench" / "hugo-layouts"
STYLESHEET = REPO / "themes" / "default" / "static" / "style.css"
SCHEMA = REPO / "src" / "index" / "footprints.schema.json"

REGIONS = [
    "North of England",
    "Midlands and East of England",
    "London",
    "South of England",
]
NOW = "2017-01-31"
SITE_TITLE = "Local Digital Roadmaps (benchmark corpus)"
SITE_DESCRIPTION = (
    "A generated, fictional set of Local Digital Roadmap footprints used to benchmark ldr."
)
BASE_URL = "https://ldr.example.org"
ATTRIBUTION = ["Every name in this corpus is made up; no real organisation is described."]
TIMELINE = [
    ("September 2015", "A process began for local health and care systems to produce roadmaps."),
    ("June 2016", "Footprints submitted their Local Digital Roadmaps."),
    ("January 2017", "Local Digital Roadmaps were published locally."),
]

# Fictional place names: a syllable, an ending, sometimes a compass point.
FIRST = [
    "Al", "Bran", "Cor", "Dun", "El", "Fen", "Gar", "Hal", "Ing", "Kel", "Lor", "Mar",
    "Nor", "Ost", "Pen", "Quen", "Ros", "Sel", "Tor", "Ul", "Ven", "Wen", "Yar", "Zel",
]
ENDING = [
    "bek", "brook", "combe", "dale", "den", "field", "garth", "holm", "ley", "mere",
    "moor", "stead", "thorpe", "vale", "wick", "worth", "shaw", "hythe",
]
PREFIX = ["North ", "South ", "East ", "West ", "Upper ", "Lower ", "Great ", "Little "]

TRUST_FORMS = [
    "{p} Hospitals NHS Trust",
    "{p} and District NHS Foundation Trust",
    "{p} Community Healthcare NHS Trust",
    "{p} Partnership NHS Foundation Trust",
    "{p} Mental Health NHS Trust",
]
COUNCIL_FORMS = ["{p} Council", "{p} Borough Council", "{p} County Council", "{p} City Council"]
OTHER_FORMS = ["{p} Hospice", "{p} GP Federation", "{p} Health and Care Alliance"]
GSS_PREFIXES = ["E06", "E07", "E08", "E09", "E10"]
CAPABILITIES = "ABCDEFGHIJ"
# Paraphrases of the ten universal capabilities of the LDR guidance (content/capabilities.toml).
CAPABILITY_TITLES = [
    "Professionals across care settings see GP-held medications and allergies.",
    "Urgent and emergency care sees key GP-held information.",
    "Patients can read their GP record.",
    "GPs refer electronically to secondary care.",
    "GPs receive electronic discharge summaries.",
    "Social care receives electronic assessment and discharge notices.",
    "Unscheduled care sees child protection information.",
    "Professionals see end-of-life preferences.",
    "GPs and community pharmacists use electronic prescriptions.",
    "Patients book appointments and order repeat prescriptions online.",
]
STATUSES = ["not-started", "planned", "in-progress", "live"]
TAGS = [
    "shared care record", "e-prescribing", "discharge summaries", "GP record access",
    "electronic referrals", "end of life care", "child health", "interoperability",
    "patient online", "mental health", "social care", "infrastructure",
]
SYSTEMS = [
    "the shared care record", "electronic prescribing", "the integrated digital care record",
    "the care co-ordination portal", "the child health information service",
    "electronic discharge summaries", "the patient portal", "the bed management system",
    "the end of life care register", "the regional data warehouse",
]
GROUPS = [
    "clinicians", "care home staff", "social workers", "GP practices", "community nurses",
    "ambulance crews", "pharmacists", "patients and carers", "mental health teams",
    "out-of-hours services",
]
VERBS = [
    "extend", "roll out", "replace", "connect", "procure", "pilot", "standardise",
    "consolidate", "evaluate", "integrate",
]
BENEFITS = [
    "fewer repeated tests", "safer transfers of care", "less time spent chasing results",
    "shorter stays in hospital", "fewer paper records", "quicker referrals",
    "better informed decisions at the point of care", "less duplicated data entry",
]
ROADMAP_SECTIONS = [
    "Vision", "Where we are now", "Universal capabilities", "Information sharing",
    "Infrastructure", "Workforce and skills", "Risks and mitigations", "Benefits",
    "Partnerships", "Next steps",
]


def place(rng: random.Random) -> str:
    name = rng.choice(FIRST) + rng.choice(ENDING)
    if rng.random() < 0.2:
        name = rng.choice(PREFIX) + name
    return name


@dataclass
class Organisation:
    code: str
    name: str
    kind: str
    region: str


@dataclass
class Footprint:
    index: int
    slug: str
    name: str
    code: str
    region: str
    lead: str
    partners: list[str]
    members: list[str]
    links: list[int] = field(default_factory=list)
    governance: dict[str, str] = field(default_factory=dict)
    published: tuple[str, str] | None = None
    capabilities: list[tuple[str, str, str]] = field(default_factory=list)
    milestones: list[tuple[str, str]] = field(default_factory=list)
    roadmap: str = ""


class Registry:
    """Organisations, made as the footprints need them, so every one is in a footprint."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.all: list[Organisation] = []
        self.by_region_kind: dict[tuple[str, str], list[Organisation]] = {}
        self.counters = {"ccg": 0, "trust": 0, "local-authority": 0, "other": 0}

    def _code(self, kind: str) -> str:
        i = self.counters[kind]
        self.counters[kind] += 1
        if kind == "ccg":  # ODS CCG codes look like 02W
            return f"{i // 26:02d}{chr(65 + i % 26)}"
        if kind == "trust":  # ODS trust codes look like RXF
            return "R" + base36(i, 3)
        if kind == "local-authority":  # GSS codes look like E08000032
            return f"{GSS_PREFIXES[i % 5]}{i:06d}"
        return "X" + base36(i, 3)

    def _new(self, kind: str, region: str) -> Organisation:
        p = place(self.rng)
        if kind == "ccg":
            name = f"NHS {p} CCG"
        elif kind == "trust":
            name = self.rng.choice(TRUST_FORMS).format(p=p)
        elif kind == "local-authority":
            name = self.rng.choice(COUNCIL_FORMS).format(p=p)
        else:
            name = self.rng.choice(OTHER_FORMS).format(p=p)
        org = Organisation(self._code(kind), name, kind, region)
        self.all.append(org)
        self.by_region_kind.setdefault((region, kind), []).append(org)
        return org

    def pick(self, kind: str, region: str, taken: set[str], reuse: float) -> Organisation:
        """An organisation of this kind and region not in `taken`: often an existing one."""
        pool = self.by_region_kind.get((region, kind), [])
        if pool and self.rng.random() < reuse:
            for _ in range(4):
                org = self.rng.choice(pool)
                if org.code not in taken:
                    return org
        return self._new(kind, region)


def base36(i: int, width: int) -> str:
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out = ""
    while True:
        i, r = divmod(i, 36)
        out = digits[r] + out
        if i == 0:
            break
    return out.rjust(width, "0")


def day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def person(rng: random.Random) -> str:
    initials = "ABCDEGHJKLMNPRST"
    return f"{rng.choice(initials)}. {place(rng).split()[-1]}"


# --- Text -----------------------------------------------------------------------------------


def sentence(rng: random.Random, fp: Footprint) -> str:
    forms = [
        lambda: f"By {rng.randint(2017, 2020)} we will {rng.choice(VERBS)} "
        f"{rng.choice(SYSTEMS)} so that {rng.choice(GROUPS)} see the same record.",
        lambda: f"Partners across {fp.name} agreed to {rng.choice(VERBS)} "
        f"{rng.choice(SYSTEMS)} in {rng.randint(2, 9)} phases.",
        lambda: f"The expected benefits are {rng.choice(BENEFITS)} and {rng.choice(BENEFITS)}.",
        lambda: f"{rng.randint(12, 95)} per cent of {rng.choice(GROUPS)} already use "
        f"{rng.choice(SYSTEMS)} every week.",
        lambda: f"Work with {rng.choice(GROUPS)} showed that {rng.choice(SYSTEMS)} must be "
        f"available on mobile devices as well as on desktops.",
        lambda: f"The programme board reviews progress on {rng.choice(SYSTEMS)} every "
        f"{rng.choice(['month', 'quarter', 'six weeks'])}.",
        lambda: f"Funding of £{rng.randint(1, 40)}.{rng.randint(0, 9)} million is needed to "
        f"{rng.choice(VERBS)} {rng.choice(SYSTEMS)}.",
        lambda: f"Information governance leads from each partner signed a single data "
        f"sharing agreement covering {rng.choice(SYSTEMS)}.",
        lambda: f"We will measure success by {rng.choice(BENEFITS)}, reported to the "
        f"programme board.",
    ]
    return rng.choice(forms)()


def paragraph(rng: random.Random, fp: Footprint) -> str:
    return " ".join(sentence(rng, fp) for _ in range(rng.randint(3, 6)))


def link_sentence(rng: random.Random, other: Footprint) -> str:
    return (
        f"We share a border and several providers with [{other.name}]"
        f"(/footprints/{other.slug}/), and will {rng.choice(VERBS)} "
        f"{rng.choice(SYSTEMS)} together with them."
    )


def roadmap_text(rng: random.Random, fp: Footprint, footprints: list[Footprint]) -> str:
    # Sections are added whole, so the text can pass the target by one section (~200
    # words): aim at most 1,300 to stay within 600-1,500.
    target = rng.randint(600, 1300)
    sections = rng.sample(ROADMAP_SECTIONS[1:], 6)
    blocks: list[str] = []
    words = 0

    def add(block: str) -> None:
        nonlocal words
        blocks.append(block)
        words += len(block.split())

    add("## " + ROADMAP_SECTIONS[0])
    add(paragraph(rng, fp))
    links = [footprints[i] for i in fp.links]
    if links:
        add(" ".join(link_sentence(rng, other) for other in links))
    add("## Universal capabilities")
    rows = ["| Capability | Status | Target |", "|---|---|---|"]
    for cid, status, when in fp.capabilities:
        rows.append(f"| {cid} | {status.replace('-', ' ')} | {when} |")
    add("\n".join(rows))
    add(paragraph(rng, fp))
    for i, heading in enumerate(sections):
        add("## " + heading)
        add(paragraph(rng, fp))
        if i % 2 == 0:
            add(
                "\n".join(
                    f"- {rng.choice(VERBS).capitalize()} {rng.choice(SYSTEMS)} for "
                    f"{rng.choice(GROUPS)}"
                    for _ in range(rng.randint(3, 6))
                )
            )
        if words >= target:
            break
    while words < target:
        add(paragraph(rng, fp))
    return "\n\n".join(blocks) + "\n"


# --- The corpus -----------------------------------------------------------------------------


@dataclass
class Story:
    slug: str
    title: str
    date: str
    footprints: list[str]
    organisations: list[str]
    tags: list[str]
    body: str


@dataclass
class Event:
    slug: str
    title: str
    start: str
    end: str
    kind: str
    region: str
    location: str
    body: str


PAGES = [
    (
        "about",
        "About",
        "What this site is and where its data comes from.",
        1,
        "## What this corpus is\n\n"
        "A generated set of fictional footprints, organisations, stories and events, used "
        "to compare static site generators on the same content. Every name is made up.\n\n"
        "## Where to start\n\n"
        "- [Every footprint by region](/footprints/)\n"
        "- [Every organisation from A to Z](/organisations/)\n"
        "- [Success stories](/stories/) and [events](/events/)\n",
    ),
    (
        "how-to-take-part",
        "How to take part",
        "How a local health and care system joins the programme.",
        2,
        "## Join a footprint\n\n"
        "Speak to the lead CCG of your footprint. The [about page](/about/) explains the "
        "data.\n\n"
        "## Come to an event\n\n"
        "National, regional and virtual events are listed on the [events page](/events/).\n",
    ),
]


def build_corpus(n: int, seed: int, stories_n: int | None = None, tags_per_story: int | None = None):
    rng = random.Random(seed)
    registry = Registry(rng)
    width = max(4, len(str(n - 1)))
    footprints: list[Footprint] = []
    for i in range(n):
        p = place(rng)
        slug = f"{i:0{width}d}-{p.lower().replace(' ', '-')}"
        region = REGIONS[rng.randrange(len(REGIONS))]
        total = rng.randint(5, 15)
        ccgs = min(rng.randint(1, 4), total - 1)
        taken: set[str] = set()
        chosen: list[Organisation] = []
        for k in range(ccgs):
            org = registry.pick("ccg", region, taken, 0.2 if k == 0 else 0.3)
            taken.add(org.code)
            chosen.append(org)
        members: list[str] = []
        for _ in range(total - ccgs):
            kind = rng.choices(["trust", "local-authority", "other"], [5, 4, 1])[0]
            org = registry.pick(kind, region, taken, 0.35)
            taken.add(org.code)
            members.append(org.code)
        fp = Footprint(
            index=i,
            slug=slug,
            name=f"Footprint {i:0{width}d} {p}",
            code=f"E54{i:06d}",
            region=region,
            lead=chosen[0].code,
            partners=[o.code for o in chosen[1:]],
            members=members,
        )
        if n > 1:
            others = [j for j in range(n) if j != i] if n <= 4 else None
            count = rng.randint(1, min(3, n - 1))
            if others is not None:
                fp.links = rng.sample(others, count)
            else:
                links: list[int] = []
                while len(links) < count:
                    j = rng.randrange(n)
                    if j != i and j not in links:
                        links.append(j)
                fp.links = links
        fp.governance = {
            "senior_responsible_owner": person(rng),
            "ccio": person(rng),
            "programme_board": f"{p} Digital Programme Board",
        }
        if rng.random() < 0.5:
            fp.governance["clinical_lead"] = "Dr " + person(rng)
        if rng.random() < 0.7:
            fp.published = (
                day(rng, dt.date(2016, 10, 1), dt.date(2017, 1, 31)).isoformat(),
                f"https://example.org/roadmaps/{slug}.pdf",
            )
        for cid in sorted(rng.sample(CAPABILITIES, rng.randint(3, 8))):
            fp.capabilities.append(
                (
                    cid,
                    rng.choice(STATUSES),
                    day(rng, dt.date(2017, 3, 31), dt.date(2019, 3, 31)).isoformat(),
                )
            )
        for _ in range(rng.randint(1, 3)):
            fp.milestones.append(
                (
                    f"{rng.choice(VERBS).capitalize()} {rng.choice(SYSTEMS)}",
                    day(rng, dt.date(2017, 4, 1), dt.date(2020, 3, 31)).isoformat(),
                )
            )
        footprints.append(fp)
    for fp in footprints:
        fp.roadmap = roadmap_text(rng, fp, footprints)

    stories: list[Story] = []
    for k in range(stories_n if stories_n is not None else max(1, n // 4)):
        fps = rng.sample(footprints, min(len(footprints), rng.randint(1, 2)))
        pool = [c for fp in fps for c in [fp.lead, *fp.partners, *fp.members]]
        orgs = rng.sample(pool, min(len(pool), rng.randint(1, 3)))
        system = rng.choice(SYSTEMS)
        title = f"{system[0].upper()}{system[1:]} in {fps[0].name}"
        body = [
            "An illustrative example, generated for a benchmark.",
            " ".join(sentence(rng, fps[0]) for _ in range(rng.randint(4, 8))),
            "## What changed",
            "\n".join(f"- {rng.choice(BENEFITS).capitalize()}" for _ in range(3)),
            " ".join(sentence(rng, fps[0]) for _ in range(rng.randint(3, 6))),
            f"Read the roadmap of [{fps[0].name}](/footprints/{fps[0].slug}/).",
        ]
        stories.append(
            Story(
                slug=f"story-{k:0{width}d}",
                title=title,
                date=day(rng, dt.date(2015, 10, 1), dt.date(2017, 1, 31)).isoformat(),
                footprints=[fp.slug for fp in fps],
                organisations=orgs,
                tags=(
                    rng.sample(TAGS, rng.randint(1, 3))
                    if tags_per_story is None
                    else [f"topic {k * tags_per_story + j}" for j in range(tags_per_story)]
                ),
                body="\n\n".join(body) + "\n",
            )
        )

    events: list[Event] = []
    for k in range(max(1, n // 4)):
        kind = rng.choice(["national", "regional", "virtual"])
        date = day(rng, dt.date(2016, 3, 1), dt.date(2017, 12, 31))
        start_hour = rng.choice([9, 10, 13])
        length = rng.choice([2, 3, 4, 6])
        start = dt.datetime.combine(date, dt.time(start_hour, 0))
        end = start + dt.timedelta(hours=length, minutes=rng.choice([0, 30]))
        region = rng.choice(REGIONS)
        location = "Online" if kind == "virtual" else f"{place(rng)} Conference Centre"
        title = {
            "national": "National roadmap summit",
            "regional": f"{region} roadmap workshop",
            "virtual": "Webinar",
        }[kind] + f": {rng.choice(SYSTEMS)}"
        body = [
            "An illustrative example, generated for a benchmark.",
            " ".join(sentence(rng, footprints[0]) for _ in range(rng.randint(3, 6))),
            "## Who should come\n\n"
            + "\n".join(f"- {g.capitalize()}" for g in rng.sample(GROUPS, 3)),
        ]
        events.append(
            Event(
                slug=f"event-{k:0{width}d}",
                title=title,
                start=start.isoformat(timespec="seconds"),
                end=end.isoformat(timespec="seconds"),
                kind=kind,
                region=region,
                location=location,
                body="\n\n".join(body) + "\n",
            )
        )
    return registry.all, footprints, stories, events


# --- Writing --------------------------------------------------------------------------------


def toml_str(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def toml_list(items: list[str]) -> str:
    return "[" + ", ".join(toml_str(s) for s in items) + "]"


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def footprint_tables(fp: Footprint, published: str = "published") -> str:
    """The TOML tables of a footprint. Hugo reads a front matter key `published` as the
    publish date, so its copy names the table `publication`."""
    out = ["", "[governance]"]
    for key, value in fp.governance.items():
        out.append(f"{key} = {toml_str(value)}")
    if fp.published:
        out += ["", f"[{published}]", f"date = {fp.published[0]}", f"url = {toml_str(fp.published[1])}"]
    for cid, status, target in fp.capabilities:
        out += ["", "[[capabilities]]", f'id = "{cid}"', f'status = "{status}"', f"target = {target}"]
    for title, date in fp.milestones:
        out += ["", "[[milestones]]", f"title = {toml_str(title)}", f"date = {date}"]
    return "\n".join(out) + "\n"


def write_ldr(root: Path, orgs, footprints, stories, events) -> None:
    c = root / "content"
    timeline = "".join(
        f"\n[[timeline]]\nwhen = {toml_str(w)}\ntext = {toml_str(t)}\n" for w, t in TIMELINE
    )
    write(
        c / "site.toml",
        f"title = {toml_str(SITE_TITLE)}\n"
        f"description = {toml_str(SITE_DESCRIPTION)}\n"
        f"base_url = {toml_str(BASE_URL)}\n"
        f"regions = {toml_list(REGIONS)}\n"
        f"attribution = {toml_list(ATTRIBUTION)}\n"
        f"now = {NOW}\n" + timeline,
    )
    write(
        c / "capabilities.toml",
        "".join(
            f'[[capabilities]]\nid = "{cid}"\ntitle = {toml_str(title)}\n\n'
            for cid, title in zip(CAPABILITIES, CAPABILITY_TITLES)
        ),
    )
    rows = ["code,name,kind,region"] + [f"{o.code},{o.name},{o.kind},{o.region}" for o in orgs]
    write(c / "organisations.csv", "\n".join(rows) + "\n")
    for fp in footprints:
        d = c / "footprints" / fp.slug
        head = (
            f"name = {toml_str(fp.name)}\n"
            f"code = {toml_str(fp.code)}\n"
            f"region = {toml_str(fp.region)}\n"
            f"stp = {toml_str(fp.code)}\n"
            f"lead = {toml_str(fp.lead)}\n"
            f"partners = {toml_list(fp.partners)}\n"
            f"members = {toml_list(fp.members)}\n"
        )
        write(d / "footprint.toml", head + footprint_tables(fp))
        write(d / "roadmap.md", fp.roadmap)
    for s in stories:
        write(
            c / "stories" / f"{s.slug}.md",
            "+++\n"
            f"title = {toml_str(s.title)}\n"
            f"date = {s.date}\n"
            f"footprints = {toml_list(s.footprints)}\n"
            f"organisations = {toml_list(s.organisations)}\n"
            f"tags = {toml_list(s.tags)}\n"
            "example = true\n"
            "+++\n\n" + s.body,
        )
    for e in events:
        write(
            c / "events" / f"{e.slug}.md",
            "+++\n"
            f"title = {toml_str(e.title)}\n"
            f"start = {e.start}\n"
            f"end = {e.end}\n"
            f'kind = "{e.kind}"\n'
            f"region = {toml_str(e.region)}\n"
            f"location = {toml_str(e.location)}\n"
            'register = "https://example.org/register"\n'
            "example = true\n"
            "+++\n\n" + e.body,
        )
    for slug, title, description, order, body in PAGES:
        write(
            c / "pages" / f"{slug}.md",
            f"+++\ntitle = {toml_str(title)}\ndescription = {toml_str(description)}\n"
            f"menu_order = {order}\n+++\n\n" + body,
        )


HUGO_CONFIG = """\
baseURL = {base_url}
languageCode = "en-GB"
title = {title}
# What ldr does not make: RSS feeds of every list, tag and category pages. What it does
# make stays: a sitemap, robots.txt, an Atom feed, calendars and the open-data files.
disableKinds = ["RSS"]
enableRobotsTXT = true
# The corpus is dated 2015-2017; "now" for upcoming events comes from params.now.
buildFuture = true

# Organisation pages are the terms of a taxonomy: one per ODS or GSS code, listing the
# footprints and stories that name it; names, kinds and regions come from
# data/organisations.json. Hugo lower-cases term URLs (/organisations/02w/, where ldr
# writes /organisations/02W/). Story topics and the event filter pages are taxonomies too.
[taxonomies]
organisation = "organisations"
tag = "tags"
eventkind = "eventkinds"
eventregion = "eventregions"

[permalinks]
tags = "/stories/tags/:slug/"
eventkinds = "/events/kind/:slug/"
eventregions = "/events/region/:slug/"

[params]
description = {description}
now = "{now}"
regions = {regions}
attribution = {attribution}
{timeline}
[mediaTypes."text/csv"]
suffixes = ["csv"]

[mediaTypes."text/calendar"]
suffixes = ["ics"]

[mediaTypes."application/atom+xml"]
suffixes = ["xml"]

[outputFormats.FootprintsJSON]
mediaType = "application/json"
baseName = "footprints"
path = "data"
isPlainText = true
notAlternative = true

[outputFormats.OrganisationsCSV]
mediaType = "text/csv"
baseName = "organisations"
path = "data"
isPlainText = true
notAlternative = true

[outputFormats.Atom]
mediaType = "application/atom+xml"
baseName = "feed"
isPlainText = true
notAlternative = true

[outputFormats.Calendar]
mediaType = "text/calendar"
baseName = "index"
isPlainText = true
notAlternative = true

[outputs]
home = ["HTML", "FootprintsJSON", "OrganisationsCSV", "Atom"]
section = ["HTML"]
page = ["HTML"]
taxonomy = ["HTML"]
term = ["HTML"]
"""


def write_hugo(root: Path, orgs, footprints, stories, events) -> None:
    timeline = "".join(
        f"[[params.timeline]]\nwhen = {toml_str(w)}\ntext = {toml_str(t)}\n" for w, t in TIMELINE
    )
    menu = "".join(
        f'\n[[menus.main]]\nname = {toml_str(title)}\nurl = "/{slug}/"\nweight = {order}\n'
        for slug, title, _d, order, _b in PAGES
    )
    write(
        root / "hugo.toml",
        HUGO_CONFIG.format(
            base_url=toml_str(BASE_URL + "/"),
            title=toml_str(SITE_TITLE),
            description=toml_str(SITE_DESCRIPTION),
            now=NOW,
            regions=toml_list(REGIONS),
            attribution=toml_list(ATTRIBUTION),
            timeline=timeline,
        )
        + menu,
    )
    data = {o.code: {"name": o.name, "kind": o.kind, "region": o.region} for o in orgs}
    write(root / "data" / "organisations.json", json.dumps(data, ensure_ascii=False, indent=0))
    c = root / "content"
    write(c / "_index.md", f"+++\ntitle = {toml_str(SITE_TITLE)}\n+++\n")
    write(c / "footprints" / "_index.md", '+++\ntitle = "Footprints"\n+++\n')
    write(c / "stories" / "_index.md", '+++\ntitle = "IDCR success stories"\n+++\n')
    write(
        c / "events" / "_index.md",
        '+++\ntitle = "Events"\noutputs = ["HTML", "Calendar"]\n+++\n',
    )
    write(c / "organisations" / "_index.md", '+++\ntitle = "Organisations A to Z"\n+++\n')
    # ldr makes no /stories/tags/, /events/kind/ or /events/region/ index pages.
    for taxonomy in ("tags", "eventkinds", "eventregions"):
        write(
            c / taxonomy / "_index.md",
            f'+++\ntitle = "{taxonomy}"\n[_build]\nrender = "never"\nlist = "never"\n+++\n',
        )
    # Every filter page exists, as in ldr, even where no event has that kind or region.
    for kind in ("national", "regional", "virtual"):
        write(c / "eventkinds" / kind / "_index.md", f'+++\ntitle = "{kind}"\n+++\n')
    for region in REGIONS:
        slug = region.lower().replace(" ", "-")
        write(c / "eventregions" / slug / "_index.md", f"+++\ntitle = {toml_str(region)}\n+++\n")
    write(c / "capabilities.md", '+++\ntitle = "Universal capabilities"\nlayout = "capabilities"\n+++\n')
    write(
        root / "data" / "capabilities.json",
        json.dumps([{"id": i, "title": t} for i, t in zip(CAPABILITIES, CAPABILITY_TITLES)], indent=0),
    )
    for fp in footprints:
        head = (
            "+++\n"
            f"title = {toml_str(fp.name)}\n"
            f"code = {toml_str(fp.code)}\n"
            f"region = {toml_str(fp.region)}\n"
            f"stp = {toml_str(fp.code)}\n"
            f"lead = {toml_str(fp.lead)}\n"
            f"partners = {toml_list(fp.partners)}\n"
            f"members = {toml_list(fp.members)}\n"
            f"organisations = {toml_list([fp.lead, *fp.partners, *fp.members])}\n"
        )
        write(
            c / "footprints" / f"{fp.slug}.md",
            head + footprint_tables(fp, "publication") + "+++\n\n" + fp.roadmap,
        )
    for s in stories:
        write(
            c / "stories" / f"{s.slug}.md",
            "+++\n"
            f"title = {toml_str(s.title)}\n"
            f"date = {s.date}\n"
            f"footprints = {toml_list(s.footprints)}\n"
            f"organisations = {toml_list(s.organisations)}\n"
            f"tags = {toml_list(s.tags)}\n"
            "example = true\n"
            "+++\n\n" + s.body,
        )
    for e in events:
        write(
            c / "events" / f"{e.slug}.md",
            "+++\n"
            f"title = {toml_str(e.title)}\n"
            f"date = {e.start}\n"
            f'outputs = ["HTML", "Calendar"]\n'
            f'eventkinds = ["{e.kind}"]\n'
            f"eventregions = [{toml_str(e.region)}]\n"
            f"start = {e.start}\n"
            f"end = {e.end}\n"
            f'kind = "{e.kind}"\n'
            f"region = {toml_str(e.region)}\n"
            f"location = {toml_str(e.location)}\n"
            'register = "https://example.org/register"\n'
            "example = true\n"
            "+++\n\n" + e.body,
        )
    for slug, title, description, _order, body in PAGES:
        write(
            c / f"{slug}.md",
            f"+++\ntitle = {toml_str(title)}\ndescription = {toml_str(description)}\n+++\n\n"
            + body,
        )
    shutil.copytree(HUGO_LAYOUTS, root / "layouts")
    (root / "static" / "static").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(STYLESHEET, root / "static" / "static" / "style.css")
    if SCHEMA.exists():  # ldr publishes it beside footprints.json
        (root / "static" / "data").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SCHEMA, root / "static" / "data" / "footprints.schema.json")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, metavar="N", help="number of footprints")
    parser.add_argument("out", type=Path, metavar="OUT_DIR")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--stories", type=int, help="stories instead of N/4")
    parser.add_argument("--tags-per-story", type=int, help="tags of its own on each story")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("N must be at least 1")
    for sub in ("ldr", "hugo"):
        if (args.out / sub).exists():
            shutil.rmtree(args.out / sub)
    orgs, footprints, stories, events = build_corpus(args.n, args.seed, args.stories, args.tags_per_story)
    write_ldr(args.out / "ldr", orgs, footprints, stories, events)
    write_hugo(args.out / "hugo", orgs, footprints, stories, events)
    print(
        f"{len(footprints)} footprints, {len(orgs)} organisations, {len(stories)} stories, "
        f"{len(events)} events, {len(PAGES)} pages into {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
