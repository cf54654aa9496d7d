"""Checks a built site's calendars, feed and data with real parsers.

Usage: python3 tests/check_feeds.py OUTPUT_DIR CONTENT_DIR
- every .ics parses with the `icalendar` package, /events.ics holds one VEVENT per event
  file, and timed events carry TZID=Europe/London with the right UTC offset;
- /feed.xml parses with `feedparser` as well-formed Atom with an entry per story and event;
- /data/footprints.json validates against /data/footprints.schema.json (`jsonschema`).
Prints one line per check; exits non-zero on the first failure.
"""
import datetime
import json
import pathlib
import sys

import feedparser
import icalendar
import jsonschema

out, content = (pathlib.Path(p) for p in sys.argv[1:3])
event_files = sorted((content / "events").glob("*.md"))
story_files = sorted((content / "stories").glob("*.md"))

calendar = icalendar.Calendar.from_ical((out / "events.ics").read_bytes())
events = [c for c in calendar.walk("VEVENT")]
assert len(events) == len(event_files), (len(events), len(event_files))
assert [c for c in calendar.walk("VTIMEZONE")][0]["TZID"] == "Europe/London"
for event in events:
    start = event.decoded("DTSTART")
    end = event.decoded("DTEND")
    assert end >= start, event["UID"]
    if isinstance(start, datetime.datetime):
        assert str(event["DTSTART"].params["TZID"]) == "Europe/London", event["UID"]
# No field can start a component: the only ones are the calendar's own.
kinds = sorted({c.name for c in calendar.walk()})
assert kinds == ["DAYLIGHT", "STANDARD", "VCALENDAR", "VEVENT", "VTIMEZONE"], kinds
print(f"ok - events.ics: {len(events)} events, Europe/London")

for path in sorted((out / "events").glob("*.ics")):
    single = icalendar.Calendar.from_ical(path.read_bytes())
    assert len(list(single.walk("VEVENT"))) == 1, path
print("ok - one .ics per event parses")

# A known time: 14 October 2015 at 10:00 in London was 09:00 UTC (summer time).
national = [e for e in events if str(e["UID"]).startswith("2015-10-national")]
if national:
    start = national[0].decoded("DTSTART")
    offset = start.utcoffset()
    if offset is None:  # icalendar without a zone database leaves the TZID as a parameter
        print("ok - (no zone database to check the offset)")
    else:
        assert offset == datetime.timedelta(hours=1), offset
        print("ok - 10:00 on 14 October 2015 is 09:00 UTC")

feed = feedparser.parse(str(out / "feed.xml"))
assert not feed.bozo, feed.bozo_exception
assert feed.version == "atom10", feed.version
assert len(feed.entries) == len(event_files) + len(story_files), len(feed.entries)
assert all(e.link.startswith("http") for e in feed.entries)
print(f"ok - feed.xml: Atom with {len(feed.entries)} entries")

import xml.etree.ElementTree as ElementTree
for name in ["feed.xml", "sitemap.xml"]:
    ElementTree.parse(out / name)
print("ok - feed.xml and sitemap.xml are well-formed XML")

schema = json.loads((out / "data" / "footprints.schema.json").read_text())
data = json.loads((out / "data" / "footprints.json").read_text())
jsonschema.Draft202012Validator.check_schema(schema)
jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)
broken = dict(data)
broken["footprints"] = [dict(data["footprints"][0], region=None)]
try:
    jsonschema.validate(broken, schema, cls=jsonschema.Draft202012Validator)
    raise AssertionError("the schema accepted a footprint without a region")
except jsonschema.ValidationError:
    pass
print(f"ok - footprints.json matches its schema ({len(data['footprints'])} footprints)")

assessed = [f for f in data["footprints"] if f["digital_maturity"]]
assert assessed, "no footprint has digital maturity medians"
for f in assessed:
    for value in f["digital_maturity"]["median"].values():
        assert value is None or 0 <= value <= 100, f["slug"]
wrong = dict(assessed[0]["digital_maturity"], median=dict(assessed[0]["digital_maturity"]["median"], readiness=101))
try:
    jsonschema.validate({"footprints": [dict(assessed[0], digital_maturity=wrong)]}, schema, cls=jsonschema.Draft202012Validator)
    raise AssertionError("the schema accepted a median of 101")
except jsonschema.ValidationError:
    pass
print(f"ok - footprints.json: digital maturity medians of {len(assessed)} footprint(s) match the schema")

import csv
with open(out / "data" / "digital-maturity.csv", newline="", encoding="utf-8") as f:
    rows = list(csv.DictReader(f))
assert rows and list(rows[0]) == ["code", "name", "year", "readiness", "capabilities", "infrastructure", "example"], rows[:1]
print(f"ok - digital-maturity.csv: {len(rows)} assessments")
