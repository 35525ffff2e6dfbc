//! `gripe forget`: an erasure request. In every complaint of one customer the name becomes a
//! pseudonym, the other customer fields go, and their values and every detected piece of
//! personal data are redacted from the texts; a `forgotten` event records the request. Git
//! history is never rewritten: the command says which commits still hold the old text and
//! writes the replacement file for `git filter-repo` that removes it.

use std::collections::BTreeMap;
use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;
use std::path::PathBuf;

use toml_edit::Item;

use super::bad_files;
use super::emit;
use super::say;
use super::select;
use crate::analysis::filter::FilterInput;
use crate::cli::ForgetArgs;
use crate::commands::context::Ctx;
use crate::error::Error;
use crate::error::Result;
use crate::git::Repo;
use crate::model::complaint::Complaint;
use crate::model::complaint::Customer;
use crate::model::complaint::Event;
use crate::model::complaint::EventKind;
use crate::model::complaint::Stamp;
use crate::model::privacy::Detector;
use crate::model::privacy::redacted;
use crate::store::Replace;
use crate::store::document::ComplaintDoc;
use crate::store::replace_read_file;
use crate::store::write_atomic;
use crate::time::when::Direction;
use crate::time::when::parse_user_when;

/// A value the erasure removed, and what it became.
type Replacement = (String, String);

/// The request, as the `forgotten` event records it.
struct Request<'a> {
    reference: Option<&'a str>,
    received: chrono::NaiveDate,
    stamp: Stamp,
}

fn same(a: Option<&str>, b: &str) -> bool {
    a.is_some_and(|a| Customer::normal(a) == Customer::normal(b))
}

/// The pseudonyms of one complaint's customer: for the name and for the contact.
#[derive(Debug, Clone, Default)]
struct Tags {
    name: Option<String>,
    contact: Option<String>,
}

/// A pseudonym that stands for one name (or contact) in every complaint that holds it, so
/// counts, trends and repeat complainants stay the same: random, so it cannot be turned back
/// into the name by hashing guesses.
fn pseudonym() -> Result<String> {
    let mut bytes = [0u8; 6];
    getrandom::fill(&mut bytes).map_err(|e| Error::External {
        what: "drawing a pseudonym".into(),
        message: e.to_string(),
    })?;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    Ok(format!("erased-{hex}"))
}

pub(crate) fn run(args: &ForgetArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    let store = ctx.store()?;
    let calendar = ctx.calendar()?;
    let (who, by_name) = match (&args.customer, &args.contact) {
        (Some(name), _) => (name.as_str(), true),
        (None, Some(contact)) => (contact.as_str(), false),
        (None, None) => unreachable!("clap requires --customer or --contact"),
    };
    let matches = |c: &Complaint| {
        if by_name {
            same(c.customer.name.as_deref(), who)
        } else {
            same(c.customer.contact.as_deref(), who) || same(c.customer.email.as_deref(), who)
        }
    };
    let received = match &args.received {
        Some(date) => {
            parse_user_when(date, &ctx.now, &calendar, Direction::Back)?.date(&calendar.zone)
        }
        None => calendar.zone.local(&ctx.now).date(),
    };
    let mut found = select(ctx, &FilterInput::default(), |loaded| {
        let c = loaded.complaint;
        let found = matches(&c);
        let contact = c.customer.contact.or(c.customer.email);
        found.then_some((loaded.path, c.id, c.customer.name, contact))
    })?;
    // A customer found by name is also the customer of every complaint that holds one of
    // their contacts, under whatever spelling of the name.
    let contacts: BTreeSet<String> = found
        .items
        .iter()
        .filter_map(|(.., contact)| contact.as_deref().map(Customer::normal))
        .filter(|c| !c.is_empty())
        .collect();
    if by_name && !contacts.is_empty() {
        found = select(ctx, &FilterInput::default(), |loaded| {
            let c = loaded.complaint;
            let shares = [&c.customer.contact, &c.customer.email]
                .into_iter()
                .flatten()
                .any(|contact| contacts.contains(&Customer::normal(contact)));
            let found = matches(&c) || shares;
            let contact = c.customer.contact.or(c.customer.email);
            found.then_some((loaded.path, c.id, c.customer.name, contact))
        })?;
    }
    // An erasure must reach every complaint of the customer: with a file that cannot be read,
    // nothing is changed.
    bad_files(found.bad_files)?;
    let mut targets = found.items;
    if targets.is_empty() {
        return Err(Error::NotFound {
            prefix: who.to_string(),
        });
    }
    targets.sort();
    let short_ids = store.short_ids_for(targets.iter().map(|(_, id, ..)| id.as_str()));
    let shorts: Vec<&str> = targets
        .iter()
        .map(|(_, id, ..)| short_ids.get(id))
        .collect();
    if args.dry_run {
        let mut text = String::new();
        for ((path, ..), short) in targets.iter().zip(&shorts) {
            text.push_str(&format!("{short}\t{}\n", path.display()));
        }
        emit(out, &text)?;
        say(&format!(
            "would forget {who} in {}; nothing changed (--dry-run)",
            crate::output::count(targets.len() as u64, "complaint")
        ));
        return Ok(());
    }
    let mut pseudonyms: BTreeMap<(bool, String), String> = BTreeMap::new();
    let mut tags = Vec::new();
    for (_, _, name, contact) in &targets {
        let mut tag = |is_name: bool, value: &Option<String>| -> Result<Option<String>> {
            let Some(value) = value.as_deref().filter(|v| !v.trim().is_empty()) else {
                return Ok(None);
            };
            let key = (is_name, Customer::normal(value));
            if !pseudonyms.contains_key(&key) {
                pseudonyms.insert(key.clone(), pseudonym()?);
            }
            Ok(Some(pseudonyms[&key].clone()))
        };
        tags.push(Tags {
            name: tag(true, name)?,
            contact: tag(false, contact)?,
        });
    }
    let request = Request {
        reference: args.request.as_deref(),
        received,
        stamp: ctx.stamp(args.by.as_deref())?,
    };
    let detector = &store.config.privacy.detector;
    // Every file's new text is made and checked before any is written: an erasure that stops
    // halfway would split the customer between two pseudonyms when it is run again.
    let mut prepared = Vec::new();
    for ((path, ..), tags) in targets.iter().zip(&tags) {
        prepared.push(store.prepare(path, |doc, c| Ok(forget(doc, c, tags, detector, &request)))?);
    }
    let mut replaced: BTreeMap<String, String> = BTreeMap::new();
    for ((path, ..), edited) in targets.iter().zip(prepared) {
        replace_read_file(path, edited.after.as_bytes(), edited.before.as_bytes())?;
        for (value, with) in edited.result {
            replaced.entry(value).or_insert(with);
        }
    }
    let mut report = format!(
        "forgot {who} in {}: {}\n",
        crate::output::count(targets.len() as u64, "complaint"),
        shorts.join(", ")
    );
    report.push_str(&history(ctx, &ctx.cwd.join(&store.dir), &replaced, args)?);
    emit(out, &report)
}

/// Forgets the customer in one open file: the name and contact become their pseudonyms, the
/// rest of `[customer]` goes, and every value it held (and every earlier name or contact in
/// the history of `set` events) and what the detector finds are redacted from the free text.
/// Returns every value it removed, with what it became.
fn forget(
    doc: &mut ComplaintDoc,
    c: &Complaint,
    tags: &Tags,
    detector: &Detector,
    request: &Request,
) -> Vec<Replacement> {
    // What a customer field's value becomes, in the field and in its history.
    let becomes = |key: &str, value: &str| -> String {
        let current = match key {
            "name" => (&c.customer.name, &tags.name),
            "contact" => (&c.customer.contact, &tags.contact),
            "email" if c.customer.contact.is_none() => (&c.customer.email, &tags.contact),
            _ => (&None, &None),
        };
        match current {
            (Some(now), Some(tag)) if Customer::normal(now) == Customer::normal(value) => {
                tag.clone()
            }
            _ => redacted(key),
        }
    };
    // The customer's values as written, whatever their keys, and as the history recorded them.
    let mut pieces: Vec<Replacement> = Vec::new();
    doc.rewrite_texts(&mut |place, text| {
        if place.personal() && !text.trim().is_empty() {
            let key = place.key.trim_start_matches("customer.");
            pieces.push((text.to_string(), becomes(key, text)));
        }
        Vec::new()
    });
    // Longer values first, so a value that holds another is replaced whole.
    pieces.sort_by_key(|(value, _)| std::cmp::Reverse(value.len()));
    pieces.dedup_by(|a, b| Customer::normal(&a.0) == Customer::normal(&b.0));
    let mut removed: Vec<Replacement> = pieces.clone();
    doc.rewrite_texts(&mut |place, text| {
        if place.personal() && place.history {
            let key = place.key.trim_start_matches("customer.");
            return vec![(text.to_string(), becomes(key, text))];
        }
        if !place.scanned() {
            return Vec::new();
        }
        // What the detector finds goes first: a contact can be part of an address.
        let mut out: Vec<Replacement> = detector
            .find(text)
            .into_iter()
            .map(|f| (text[f.range].to_string(), redacted(f.kind)))
            .collect();
        removed.extend(out.iter().cloned());
        out.extend(pieces.iter().cloned());
        out
    });
    // The whole table goes, whatever it held (dates, flags, inline tables); the pseudonyms
    // come back in its place.
    doc.set_item(None, "customer", None);
    for (key, tag) in [("name", &tags.name), ("contact", &tags.contact)] {
        if let Some(tag) = tag {
            doc.set_item(
                Some("customer"),
                key,
                Some(Item::Value(tag.as_str().into())),
            );
        }
    }
    let reference = request
        .reference
        .map(|r| format!(" {r}"))
        .unwrap_or_default();
    let shown: Vec<&str> = [&tags.name, &tags.contact]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect();
    doc.push_event(&Event {
        text: Some(format!(
            "erasure request{reference} received {}: the customer is now {}; {} personal values redacted",
            request.received,
            shown.join(", "),
            removed.len()
        )),
        ..Event::new(EventKind::Forgotten, &request.stamp)
    });
    removed
}

/// What git still holds of the removed values, and how to remove it from history.
fn history(
    ctx: &Ctx,
    dir: &Path,
    replaced: &BTreeMap<String, String>,
    args: &ForgetArgs,
) -> Result<String> {
    let Some(repo) = Repo::find(dir)? else {
        return Ok(
            "the complaint folder is not in a git repository: no history holds the old text\n"
                .into(),
        );
    };
    let mut commits = BTreeSet::new();
    for value in replaced.keys() {
        commits.extend(repo.commits_touching(value, dir)?);
    }
    if commits.is_empty() {
        return Ok(
            "no commit holds the old text yet: commit this change and it never will\n".into(),
        );
    }
    let file = match &args.replacements {
        Some(file) => ctx.cwd.join(file),
        None => {
            let folder = repo.git_dir()?.join("gripe");
            std::fs::create_dir_all(&folder).map_err(|source| Error::Write {
                path: folder.clone(),
                source,
            })?;
            folder.join(format!("forget-{}.txt", ctx.now.format("%Y%m%dT%H%M%S")))
        }
    };
    // git filter-repo --replace-text: one `literal:OLD==>NEW` per line. A value that spans
    // lines cannot be written there; none of the values redacted here does.
    // filter-repo applies the lines in order: longer values first, so a value that holds
    // another is replaced whole. Each is a regular expression (Python's) that matches the
    // value as gripe replaced it in the files: standing alone, in any case.
    let mut values: Vec<(&String, &String)> = replaced.iter().collect();
    values.sort_by_key(|(value, _)| std::cmp::Reverse(value.len()));
    let mut lines = String::new();
    for (value, with) in values {
        if !value.contains('\n') && !value.contains("==>") {
            lines.push_str(&format!("regex:{}==>{with}\n", python_regex(value)));
        }
    }
    write_atomic(&file, lines.as_bytes(), Replace::Always)?;
    let shown = shown_path(&ctx.cwd, &file);
    let mut text = format!(
        "git history still holds the old text in {}:\n",
        crate::output::count(commits.len() as u64, "commit")
    );
    for commit in &commits {
        text.push_str(&format!("  {commit}\n"));
    }
    text.push_str(&format!(
        "\nTo remove it from history (this rewrites every commit after the first that holds it):
  1. commit this change:   git commit -m \"gripe: forget (erasure request)\" -- {dir}
  2. rewrite history:      git filter-repo --replace-text {shown} --force
  3. publish the rewrite:  git remote add origin URL   # filter-repo removes it, on purpose
                           git push --force --all && git push --force --tags
  4. have everyone delete their clone and clone again: an old clone, a fork or a hosted
     pull request still holds the old text until it is gone too.
  5. delete {shown}: it holds the old values.
",
        dir = shown_path(&ctx.cwd, dir),
    ));
    Ok(text)
}

fn shown_path(cwd: &Path, path: &Path) -> String {
    pathdiff::diff_paths(path, cwd)
        .unwrap_or_else(|| PathBuf::from(path))
        .display()
        .to_string()
}

/// A Python regular expression that matches `value` where it stands alone, whatever its case:
/// every ASCII character but a letter or digit escaped, `\b` at an end that is a letter or digit.
fn python_regex(value: &str) -> String {
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let mut out = String::from("(?i)");
    if word(value.chars().next()) {
        out.push_str(r"\b");
    }
    for c in value.chars() {
        if c.is_ascii() && !c.is_ascii_alphanumeric() {
            out.push('\\');
        }
        out.push(c);
    }
    if word(value.chars().next_back()) {
        out.push_str(r"\b");
    }
    out
}
