//! `gripe report --format html`: the page is well-formed (held to a strict XML parser), escapes
//! what complaint files say, loads nothing from outside, and shows the numbers of `gripe report
//! --format json`; then headless Chromium renders it, the charts are checked from the rendered
//! page, and screenshots are kept in `target/` for a person to look at.
//!
//! Every number the page takes from the JSON report sits on an element with `data-json` (its
//! JSON pointer) and `data-value` (its exact JSON value); both tests hold those to the JSON.

use std::fs::File;
use std::path::Path;
use std::path::PathBuf;
use std::process::Command;
use std::process::Stdio;
use std::time::Duration;
use std::time::Instant;

use serde::Deserialize;
use serde_json::Value;

use crate::harness::Gripe;
use crate::harness::json;
use crate::reports::four;

/// The charts of the page: volume, volume by category, the heat map, and the two histograms.
const CHARTS: usize = 5;

/// Asserts that every hook (JSON pointer, JSON value) holds the value the JSON report has
/// there, and that every value of the JSON report but its schema is shown with a hook.
#[track_caller]
fn assert_hooks_match(hooks: &[(String, String)], report: &Value) {
    for (pointer, value) in hooks {
        let shown: Value = serde_json::from_str(value)
            .unwrap_or_else(|e| panic!("data-value of {pointer} is not JSON ({e}): {value}"));
        let expected = report
            .pointer(pointer)
            .unwrap_or_else(|| panic!("{pointer} is not in the JSON report"));
        assert_eq!(&shown, expected, "the page shows {pointer} as {value}");
    }
    let mut leaves = Vec::new();
    collect_leaves(report, String::new(), &mut leaves);
    for leaf in leaves.iter().filter(|l| *l != "/schema") {
        assert!(
            hooks.iter().any(|(p, _)| p == leaf),
            "the page does not show {leaf}"
        );
    }
}

fn collect_leaves(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                let key = key.replace('~', "~0").replace('/', "~1");
                collect_leaves(v, format!("{at}/{key}"), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                collect_leaves(v, format!("{at}/{i}"), out);
            }
        }
        _ => out.push(at),
    }
}

fn parse(html: &str) -> Result<roxmltree::Document<'_>, roxmltree::Error> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    roxmltree::Document::parse_with_options(html, options)
}

/// Checks what any report page must be, and returns its hooks.
#[track_caller]
fn check_page(html: &str) -> Vec<(String, String)> {
    let doc = parse(html).unwrap_or_else(|e| panic!("the page is not well-formed: {e}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "html");
    assert_eq!(root.attribute("lang"), Some("en"));
    for node in doc.descendants().filter(|n| n.is_element()) {
        let name = node.tag_name().name();
        assert!(
            !matches!(name, "script" | "link" | "img" | "iframe" | "object"),
            "no {name} elements"
        );
        for attr in node.attributes() {
            let (key, value) = (attr.name(), attr.value());
            assert!(!key.starts_with("on"), "no event handlers: {key}");
            assert!(key != "src", "nothing loaded: {value}");
            if key == "href" {
                assert!(value.starts_with('#'), "links stay in the page: {value}");
            }
        }
        if name == "style" {
            let css = node.text().unwrap_or_default();
            assert!(!css.contains("url(") && !css.contains("@import"), "{css}");
        }
    }
    // Every chart is an image named by its title and description, with its numbers as a table.
    let charts: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("svg") && n.attribute("role") == Some("img"))
        .collect();
    assert_eq!(charts.len(), CHARTS);
    for chart in &charts {
        let id = chart.attribute("id").expect("charts have ids");
        assert_eq!(
            chart.attribute("aria-labelledby"),
            Some(format!("{id}-title {id}-desc").as_str())
        );
        for (tag, suffix) in [("title", "title"), ("desc", "desc")] {
            let child = chart
                .children()
                .find(|c| c.has_tag_name(tag))
                .unwrap_or_else(|| panic!("{id} has a {tag}"));
            assert_eq!(
                child.attribute("id"),
                Some(format!("{id}-{suffix}").as_str())
            );
            assert!(!child.text().unwrap_or_default().trim().is_empty());
        }
        let figure = chart
            .ancestors()
            .find(|a| a.has_tag_name("figure"))
            .expect("charts are figures");
        assert!(
            figure
                .descendants()
                .any(|d| d.has_tag_name("details")
                    && d.descendants().any(|t| t.has_tag_name("table"))),
            "{id} has a data table"
        );
    }
    doc.descendants()
        .filter_map(|n| Some((n.attribute("data-json")?, n.attribute("data-value")?)))
        .map(|(p, v)| (p.to_string(), v.to_string()))
        .collect()
}

const HOSTILE: &str = "<script>alert(\"x\")</script> & Tom's ]]> <b>bold</b>";

#[test]
fn the_html_report_is_well_formed_escapes_complaints_and_shows_the_json_numbers() {
    let g = four();
    g.write(
        "complaints/2026/11/c5aa000000000000.toml",
        &format!(
            "id = \"c5aa000000000000\"\ntitle = {HOSTILE:?}\nopened = 2026-11-27T08:00:00Z\n\
             stage = \"new\"\ncategory = \"a<b>&c\"\nassignee = \"<i>eve</i>\"\n"
        ),
    );
    let html = g.run(&["report", "--format", "html"]).ok().to_string();
    let hooks = check_page(&html);
    assert_hooks_match(&hooks, &json(&g.run(&["report", "--format", "json"])));
    let doc = parse(&html).unwrap();
    for text in [HOSTILE, "a<b>&c", "<i>eve</i>"] {
        assert!(
            doc.descendants().any(|n| n.text() == Some(text)),
            "{text} is shown as text"
        );
    }
    assert!(!html.contains("<script>") && !html.contains("<i>eve"));

    // The parser does catch what a renderer could get wrong.
    let unclosed = html.replacen("</td>", "", 1);
    assert!(parse(&unclosed).is_err(), "an unclosed cell is refused");

    // Nothing to count is still a page, with every number there is.
    let empty = Gripe::new();
    let html = empty.run(&["report", "--format", "html"]).ok().to_string();
    let hooks = check_page(&html);
    assert_hooks_match(&hooks, &json(&empty.run(&["report", "--format", "json"])));
    assert!(html.contains("Nothing overdue, broken or unacknowledged."));
}

/// What the probe script reads from the page Chromium rendered.
#[derive(Deserialize)]
struct Rendered {
    hooks: Vec<Hook>,
    charts: Vec<Chart>,
    /// `<script>` elements before the probe added its own.
    scripts: usize,
    width: f64,
    scroll_width: f64,
    height: u32,
}

#[derive(Deserialize)]
struct Hook {
    pointer: String,
    value: String,
    text: String,
    shown: bool,
}

#[derive(Deserialize)]
struct Chart {
    id: String,
    width: f64,
    height: f64,
}

/// Added to a copy of the page only: the report itself has no script. It writes what it reads
/// into the DOM, which `--dump-dom` prints.
const PROBE: &str = r#"<script>
const hooks = [...document.querySelectorAll("[data-json]")].map(e => ({
  pointer: e.dataset.json, value: e.dataset.value, text: e.textContent,
  shown: e.getClientRects().length > 0 && getComputedStyle(e).visibility === "visible",
}));
const charts = [...document.querySelectorAll('svg[role="img"]')].map(svg => {
  const box = svg.getBoundingClientRect();
  return { id: svg.id, width: box.width, height: box.height };
});
const result = {
  hooks, charts, scripts: document.scripts.length - 1,
  width: window.innerWidth, scroll_width: document.documentElement.scrollWidth,
  height: Math.ceil(document.documentElement.scrollHeight),
};
const out = document.createElement("script");
out.type = "application/json";
out.id = "probe";
out.textContent = JSON.stringify(result).replace(/</g, "\\u003c");
document.body.appendChild(out);
</script>"#;

/// Headless Chromium, found on PATH; the test fails, saying how to install it, without one.
fn chromium() -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser"] {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return candidate;
            }
        }
    }
    panic!(
        "headless Chromium is needed to test the HTML report and is not on PATH; install it \
         with `apt-get install -y chromium` (Debian), as .ci/run does"
    );
}

/// Runs headless Chromium on `page` with `args`, offline, in a fresh profile; returns stdout.
fn headless(work: &Path, run: &str, page: &Path, args: &[String]) -> String {
    let stdout = work.join(format!("{run}.out"));
    let stderr = work.join(format!("{run}.err"));
    let mut child = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--hide-scrollbars",
            "--host-resolver-rules=MAP * ~NOTFOUND",
        ])
        .arg(format!(
            "--user-data-dir={}",
            work.join(format!("{run}-profile")).display()
        ))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", work)
        .env("TZ", "UTC")
        .stdin(Stdio::null())
        .stdout(File::create(&stdout).unwrap())
        .stderr(File::create(&stderr).unwrap())
        .spawn()
        .expect("chromium starts");
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            child.kill().ok();
            child.wait().ok();
            panic!("chromium took over two minutes: {run}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let err = std::fs::read_to_string(&stderr).unwrap_or_default();
    assert!(status.success(), "chromium failed ({run}): {err}");
    std::fs::read_to_string(&stdout).unwrap()
}

/// The page as Chromium rendered it at `width` pixels.
fn render(work: &Path, page: &Path, width: u32) -> Rendered {
    let dom = headless(
        work,
        &format!("probe-{width}"),
        page,
        &["--dump-dom".into(), format!("--window-size={width},1000")],
    );
    let start = dom.find("id=\"probe\">").expect("the probe ran") + "id=\"probe\">".len();
    let end = start + dom[start..].find("</script>").unwrap();
    serde_json::from_str(&dom[start..end]).unwrap()
}

/// Takes a screenshot of the whole page, checks it is a PNG of that size, and keeps a copy in
/// the build's `target/` folder as `name`.
fn screenshot(work: &Path, page: &Path, width: u32, height: u32, name: &str) -> PathBuf {
    let shot = work.join(name);
    headless(
        work,
        &format!("shot-{width}"),
        page,
        &[
            format!("--screenshot={}", shot.display()),
            format!("--window-size={width},{height}"),
        ],
    );
    let png = std::fs::read(&shot).expect("a screenshot");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let size = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().unwrap());
    assert_eq!((size(16), size(20)), (width, height));
    let target = Path::new(env!("CARGO_BIN_EXE_gripe"))
        .ancestors()
        .nth(2)
        .expect("the target folder")
        .join(name);
    std::fs::copy(&shot, &target).unwrap();
    target
}

#[test]
fn chromium_renders_the_charts_and_the_numbers_of_the_json_report() {
    let chromium = chromium();
    let root = env!("CARGO_MANIFEST_DIR");
    let g = Gripe::bare().now("2026-11-26T09:00:00Z");
    let html = g
        .run(&["--dir", root, "report", "--format", "html"])
        .ok()
        .to_string();
    let report = json(&g.run(&["--dir", root, "report", "--format", "json"]));
    let work = g.path();
    let page = work.join("report.html");
    std::fs::write(&page, &html).unwrap();
    let probed = work.join("probed.html");
    std::fs::write(
        &probed,
        html.replacen("</body>", &format!("{PROBE}</body>"), 1),
    )
    .unwrap();

    let desktop = render(work, &probed, 1200);
    assert_eq!(desktop.scripts, 0, "the report needs no script");
    let hooks: Vec<(String, String)> = desktop
        .hooks
        .iter()
        .map(|h| (h.pointer.clone(), h.value.clone()))
        .collect();
    assert_hooks_match(&hooks, &report);
    for hook in &desktop.hooks {
        assert!(hook.shown, "{} is on screen", hook.pointer);
        assert!(
            !hook.text.trim().is_empty(),
            "{} shows something",
            hook.pointer
        );
    }
    let shown = |pointer: &str| {
        desktop
            .hooks
            .iter()
            .find(|h| h.pointer == pointer)
            .map(|h| h.text.clone())
            .unwrap()
    };
    assert_eq!(shown("/open/total"), report["open"]["total"].to_string());
    assert_eq!(
        shown("/needs_action/items/0/short_id"),
        report["needs_action"]["items"][0]["short_id"]
            .as_str()
            .unwrap()
    );
    assert_eq!(shown("/peak_hour/assignee"), "tomasz");
    assert_eq!(desktop.charts.len(), CHARTS);
    for chart in &desktop.charts {
        assert!(
            chart.width >= 400.0 && chart.height >= 150.0,
            "{} is drawn at {}x{}",
            chart.id,
            chart.width,
            chart.height
        );
    }

    // On a phone the page fits the screen; wide charts scroll inside their own box.
    let phone = render(work, &probed, 390);
    assert!(
        phone.scroll_width <= phone.width,
        "the page is {} wide on a {} screen",
        phone.scroll_width,
        phone.width
    );
    assert!(phone.charts.iter().all(|c| c.width > 0.0 && c.height > 0.0));

    let wide = screenshot(work, &page, 1200, desktop.height, "report-screenshot.png");
    screenshot(
        work,
        &page,
        390,
        phone.height,
        "report-screenshot-phone.png",
    );
    eprintln!(
        "screenshots of the HTML report by {}: {} and report-screenshot-phone.png beside it",
        chromium.display(),
        wide.display()
    );
}
