//! Indexes ldr's search records with Pagefind's Rust API, the way ldr would if it used
//! Pagefind: one custom record per footprint, organisation, story, event and page, with its
//! title, kind, code and footprints as metadata and its kind and regions as filters.
//!
//!     pagefind-baseline CONTENT_DIR SITE_DIR
//!
//! writes SITE_DIR/pagefind/ and prints how long the indexing took.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use ldr::index::search::{SearchRecord, search_records};
use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, content, site_dir] = &args[..] else {
        eprintln!("usage: pagefind-baseline CONTENT_DIR SITE_DIR");
        std::process::exit(2);
    };
    let loaded = ldr::load::load_content(Path::new(content)).unwrap_or_else(|d| fail(d));
    let (site, _) = ldr::model::Site::from_content(loaded, &Default::default())
        .unwrap_or_else(|d| fail(d));
    let started = Instant::now();
    let records = search_records(&site);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let files = runtime.block_on(async {
        let options = PagefindServiceConfig::builder()
            .force_language("en".to_string())
            .build();
        let mut index = PagefindIndex::new(Some(options)).expect("valid options");
        for record in &records {
            let (meta, filters) = meta_and_filters(record);
            index
                .add_custom_record(
                    record.url.clone(),
                    content_of(record),
                    "en".to_string(),
                    Some(meta),
                    Some(filters),
                    None,
                )
                .await
                .expect("pagefind takes the record");
        }
        index.get_files().await.expect("pagefind builds its index")
    });
    let elapsed = started.elapsed();
    let out = Path::new(site_dir).join("pagefind");
    for file in files {
        let path = out.join(&file.filename);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &file.contents).unwrap();
    }
    println!(
        "pagefind: {} records in {} ms",
        records.len(),
        elapsed.as_millis()
    );
}

/// What ldr's index weighs by field, as one text: title and code first.
fn content_of(record: &SearchRecord) -> String {
    let mut parts = vec![record.title.as_str()];
    parts.extend(record.code.as_deref());
    parts.extend(record.keywords.iter().map(String::as_str));
    parts.extend(record.footprints.iter().map(String::as_str));
    parts.push(&record.text);
    parts.join(". ")
}

type Meta = BTreeMap<String, String>;
type Filters = BTreeMap<String, Vec<String>>;

fn meta_and_filters(record: &SearchRecord) -> (Meta, Filters) {
    let mut meta = Meta::new();
    meta.insert("title".into(), record.title.clone());
    meta.insert("kind".into(), record.kind.slug().into());
    meta.insert("detail".into(), record.detail.clone());
    if let Some(code) = &record.code {
        meta.insert("code".into(), code.clone());
    }
    if !record.footprints.is_empty() {
        meta.insert("footprints".into(), record.footprints.join("; "));
    }
    let mut filters = Filters::new();
    filters.insert("kind".into(), vec![record.kind.slug().into()]);
    if !record.regions.is_empty() {
        filters.insert("region".into(), record.regions.clone());
    }
    (meta, filters)
}

fn fail(problems: impl std::fmt::Display) -> ! {
    eprintln!("{problems}");
    std::process::exit(1)
}
