//! Email in, through the binary: `open --email` from files and standard input, `import
//! --format mbox|maildir`, threading, reopening, attachments, skipped and hostile mail.
//!
//! The messages in tests/data/mail are public examples nobody on the team wrote (RFC 2047,
//! 2049, 2822 and 3464, a public mailing list, Thunderbird and Outlook messages); its README
//! says where each comes from. The few written here are written for what no public message
//! shows (an auto-reply, hostile input) and say so.

use std::path::PathBuf;

use crate::harness::Gripe;
use crate::harness::json;

const NOW: &str = "2026-12-07T12:00:00Z";

fn data(name: &str) -> String {
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "tests/data/mail", name]
        .iter()
        .collect();
    path.to_string_lossy().to_string()
}

fn complaints(g: &Gripe) -> Vec<serde_json::Value> {
    g.run(&["export"])
        .ok()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn by_title<'a>(all: &'a [serde_json::Value], title: &str) -> &'a serde_json::Value {
    all.iter()
        .find(|c| c["title"] == title)
        .unwrap_or_else(|| panic!("no complaint titled {title:?} in {all:#?}"))
}

#[test]
fn rfc_2047_encoded_words_decode_in_titles_and_names() {
    let g = Gripe::new().now(NOW);
    let run = g.run(&["import", "--format", "mbox", &data("rfc2047-section8.mbox")]);
    run.ok();
    assert!(
        run.stderr
            .contains("4 messages: 4 opened, 0 added as notes (0 reopened), 0 there already"),
        "{}",
        run.stderr
    );
    let all = complaints(&g);
    // ISO-8859-1 in B form then ISO-8859-2 in B form, one title; ISO-8859-1 in Q form in names.
    let first = by_title(&all, "If you can read this you understand the example.");
    assert_eq!(first["customer"]["name"], "Keith Moore");
    assert_eq!(first["customer"]["email"], "moore@cs.utk.edu");
    assert_eq!(first["channel"], "email");
    assert_eq!(
        by_title(&all, "Time for ISO 10646?")["customer"]["name"],
        "Olle Järnefors"
    );
    // The reply prefix goes; the name is decoded.
    assert_eq!(
        by_title(&all, "RFC-HDR care and feeding")["customer"]["name"],
        "Patrik Fältström"
    );
    // No Date header: the mbox separator's time, and a note saying so.
    let dateless = by_title(&all, "Test of new header generator");
    assert_eq!(dateless["opened"], "2001-09-17T00:00:00Z");
    assert!(
        dateless["event"][0]["text"]
            .as_str()
            .unwrap()
            .contains("the message has no readable Date header; the time it arrived is used")
    );
    // No Message-ID either: a content hash keeps a second import from adding anything.
    assert!(
        first["external_ref"]
            .as_str()
            .unwrap()
            .starts_with("email:sha256:")
    );
    let again = g.run(&["import", &data("rfc2047-section8.mbox"), "--format", "mbox"]);
    assert!(
        again.ok().is_empty()
            && again
                .stderr
                .contains("0 opened, 0 added as notes (0 reopened), 4 there already"),
        "{}",
        again.stderr
    );
}

#[test]
fn utf8_encoded_words_in_q_and_b_forms() {
    let g = Gripe::new().now(NOW);
    let id = g.open(&["--email", &data("outlook-utf8-q.eml")]);
    let shown = json(&g.run(&["show", &id, "--format", "json"]));
    let c = &shown["complaint"];
    assert_eq!(
        c["title"],
        "Die Hasen und die Frösche (Microsoft Outlook 00)"
    );
    assert_eq!(c["opened"], "2000-05-17T19:27:04-04:00");
    assert_eq!(
        c["external_ref"],
        "email:NDBBIAKOPKHFGPLCODIGKEKDCHAA.doug@example.com"
    );
    assert!(c["event"][0]["text"].as_str().unwrap().starts_with(
        "Die Hasen und die Frösche\n\nDie Hasen klagten einst über ihre mißliche Lage;"
    ));
    let id = g.open(&["--email", &data("utf8-b-subject.eml")]);
    let c = &json(&g.run(&["show", &id, "--format", "json"]))["complaint"];
    assert_eq!(c["title"], "こんにちは");
    assert_eq!(c["opened"], NOW, "no Date header: the time it arrived");
}

#[test]
fn html_only_mail_becomes_readable_text_and_attachments_are_listed_and_kept() {
    let g = Gripe::new().now(NOW);
    let kept = g.path().join("attachments");
    let id = g.open(&[
        "--email",
        &data("thunderbird-html-only.eml"),
        "--attachments",
        &kept.to_string_lossy(),
    ]);
    let c = &json(&g.run(&["show", &id, "--format", "json"]))["complaint"];
    let note = c["event"][0]["text"].as_str().unwrap();
    assert!(note.starts_with("Search for höhö"), "{note}");
    assert!(!note.contains('<'), "no tags left: {note}");
    // The SHA-256 of the decoded image, as Python's email module computes it (README).
    let png = "fe2ad3fd311e72a96df7ca8c6158b2b8e15518d73665b921d4e8e71a793c82ea";
    assert!(
        note.contains(&format!(
            "- kigaaldcbanejcbi.png (image/png, 242 B, sha256 {png})"
        )),
        "{note}"
    );
    let full = c["id"].as_str().unwrap();
    let saved = std::fs::read(kept.join(full).join("kigaaldcbanejcbi.png")).unwrap();
    assert_eq!(saved.len(), 242);
    // Without --attachments nothing is saved, but the list is the same.
    let g = Gripe::new().now(NOW);
    let id = g.open(&["--email", &data("rfc2049-appendix-a.eml")]);
    let c = &json(&g.run(&["show", &id, "--format", "json"]))["complaint"];
    let note = c["event"][0]["text"].as_str().unwrap();
    assert!(note.starts_with("... Some text appears here ..."), "{note}");
    assert!(
        note.contains("This could have been part of the previous part"),
        "every plain part of the text body: {note}"
    );
    for listed in [
        "- attachment-1 (audio/basic,",
        "- attachment-2 (image/jpeg,",
        // Its SHA-256 as Python's email module computes it for the text/enriched part.
        "- attachment-3 (text/enriched, 140 B, sha256 fa7bff83afa6c5b29b2710fe776a204c07f11ef3da6463f4a2de8d697f3312a3)",
        "- attachment-4 (message/rfc822,",
    ] {
        assert!(note.contains(listed), "{listed} in {note}");
    }
    assert!(!g.path().join("attachments").exists());
}

#[test]
fn a_three_message_thread_is_one_complaint_with_two_notes() {
    let g = Gripe::new().now(NOW);
    // The mailbox holds the last reply first: messages are taken in date order.
    g.run(&["import", &data("rfc2822-a2-thread.mbox")]).ok();
    let all = complaints(&g);
    assert_eq!(all.len(), 1, "{all:#?}");
    let c = &all[0];
    assert_eq!(c["title"], "Saying Hello");
    assert_eq!(c["customer"]["email"], "jdoe@machine.example");
    let events = c["event"].as_array().unwrap();
    let notes: Vec<(&str, &str, &str)> = events
        .iter()
        .filter(|e| e["kind"] == "note")
        .map(|e| {
            (
                e["by"].as_str().unwrap(),
                e["message_id"].as_str().unwrap(),
                e["text"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        notes,
        [
            (
                "mary@example.net",
                "3456@example.net",
                "This is a reply to your hello."
            ),
            (
                "jdoe@machine.example",
                "abcd.1234@local.machine.tld",
                "This is a reply to your reply."
            ),
        ]
    );
    let before: Vec<Vec<u8>> = g
        .files()
        .iter()
        .map(|f| std::fs::read(f).unwrap())
        .collect();
    let again = g.run(&["import", &data("rfc2822-a2-thread.mbox")]);
    assert!(
        again
            .stderr
            .contains("0 opened, 0 added as notes (0 reopened), 3 there already"),
        "{}",
        again.stderr
    );
    let after: Vec<Vec<u8>> = g
        .files()
        .iter()
        .map(|f| std::fs::read(f).unwrap())
        .collect();
    assert_eq!(
        before, after,
        "importing the same mbox twice writes nothing"
    );
}

#[test]
fn a_reply_to_a_closed_complaint_reopens_it() {
    let mut g = Gripe::new().now(NOW);
    let id = g.open(&["--email", &data("rfc2822-a2-message1.eml")]);
    // Closed three minutes after the hello, and three before Mary's reply.
    g.set_now("1997-11-21T15:58:00Z");
    g.run(&["advance", &id, "--to", "closed", "--force"]).ok();
    g.set_now(NOW);
    let run = g.run_stdin(
        &["open", "--email", "-"],
        &std::fs::read_to_string(data("rfc2822-a2-message2.eml")).unwrap(),
    );
    assert_eq!(run.ok().trim(), id, "the reply names its complaint");
    assert!(
        run.stderr.contains("reply added as a note; reopened it"),
        "{}",
        run.stderr
    );
    let c = &json(&g.run(&["show", &id, "--format", "json"]))["complaint"];
    assert_eq!(c["stage"], "investigating");
    let reopened = c["event"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "reopened")
        .unwrap();
    assert_eq!(
        reopened["text"],
        "reopened: a reply came by email to this closed complaint"
    );
    // The third message is a reply to the second: a note, no second reopening.
    g.run(&["open", "--email", &data("rfc2822-a2-message3.eml")])
        .ok();
    let c = &json(&g.run(&["show", &id, "--format", "json"]))["complaint"];
    let kinds: Vec<&str> = c["event"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.iter().filter(|k| **k == "reopened").count(), 1);
    assert_eq!(kinds.iter().filter(|k| **k == "note").count(), 2);
    g.run(&["check"]).ok();
    // Old mail found late does not reopen: closed now, a 1997 reply is a note only.
    let old = g.open(&["--email", &data("rfc2822-a2-message1.eml")]);
    assert_eq!(old, id, "the same message: nothing new");
    let other = Gripe::new().now(NOW);
    let first = other.open(&["--email", &data("rfc2822-a2-message1.eml")]);
    other
        .run(&["advance", &first, "--to", "closed", "--force"])
        .ok();
    let late = other.run(&["open", "--email", &data("rfc2822-a2-message2.eml")]);
    assert!(
        late.stderr.contains("reply added as a note\n"),
        "{}",
        late.stderr
    );
    let c = &json(&other.run(&["show", &first, "--format", "json"]))["complaint"];
    assert_eq!(c["stage"], "closed");
    // A Message-ID reads like an address, but it is no personal data: no finding.
    let check = g.run(&["check", "--fail-on", "pii"]);
    assert!(!check.ok().contains("pii"), "{}", check.stdout);
}

/// An out-of-office reply as mail servers write them (RFC 3834's `Auto-Submitted`), written
/// for this test: no public archive keeps them.
const AUTO_REPLY: &str = "From: Mary Smith <mary@example.net>\nTo: support@example.org\nSubject: Automatic reply: Saying Hello\nDate: Fri, 21 Nov 1997 10:05:00 -0600\nMessage-ID: <ooo-1@example.net>\nAuto-Submitted: auto-replied\n\nI am out of the office until Monday.\n";

#[test]
fn a_maildir_skips_auto_replies_bounces_and_list_mail_and_counts_them() {
    let g = Gripe::new().now(NOW);
    let maildir = g.path().join("Maildir");
    for sub in ["cur", "new", "tmp"] {
        std::fs::create_dir_all(maildir.join(sub)).unwrap();
    }
    let put =
        |name: &str, text: &[u8]| std::fs::write(maildir.join("new").join(name), text).unwrap();
    put("1.host", AUTO_REPLY.as_bytes());
    put(
        "2.host",
        &std::fs::read(data("rfc3464-simple-dsn.eml")).unwrap(),
    );
    put("3.host", &std::fs::read(data("shapelib-list.eml")).unwrap());
    put(
        "4.host",
        &std::fs::read(data("rfc2822-a2-message1.eml")).unwrap(),
    );
    let run = g.run(&["import", &maildir.to_string_lossy()]);
    run.ok();
    assert!(
        run.stderr.contains("4 messages: 1 opened, 0 added as notes (0 reopened), 0 there already, 3 not complaints (1 automatic message, 1 bulk message, 1 delivery status notification), 0 rejected"),
        "{}",
        run.stderr
    );
    assert_eq!(complaints(&g).len(), 1);
}

#[test]
fn hostile_and_malformed_mail_is_refused_or_made_safe() {
    let g = Gripe::new().now(NOW);
    g.write("not-mail.eml", "just some words, no headers at all\n");
    let err = g
        .run(&["open", "--email", "not-mail.eml"])
        .fails(4)
        .to_string();
    assert!(
        err.starts_with("gripe: error: not-mail.eml:1:1: it is not an email message"),
        "{err}"
    );
    // Parts nested 40 deep.
    let mut nested = String::from(
        "From: a@example.com\nSubject: deep\nContent-Type: multipart/mixed; boundary=b0\n\n",
    );
    for i in 1..40 {
        nested.push_str(&format!(
            "--b{}\nContent-Type: multipart/mixed; boundary=b{i}\n\n",
            i - 1
        ));
    }
    nested.push_str("--b39\nContent-Type: text/plain\n\nhi\n");
    g.write("deep.eml", &nested);
    let err = g.run(&["open", "--email", "deep.eml"]).fails(4).to_string();
    assert!(
        err.contains("levels deep, more than the 16 a real message needs"),
        "{err}"
    );
    // Too big for gripe.toml's limit.
    let config = std::fs::read_to_string(g.path().join("gripe.toml")).unwrap();
    g.write(
        "gripe.toml",
        &config.replace("max_size = \"25MB\"", "max_size = \"1KB\""),
    );
    g.write(
        "big.eml",
        &format!(
            "From: a@example.com\nSubject: big\n\n{}\n",
            "x".repeat(2000)
        ),
    );
    let err = g.run(&["open", "--email", "big.eml"]).fails(4).to_string();
    assert!(
        err.contains("the message is over the limit of 1.0 KiB ([email] max_size in gripe.toml)"),
        "{err}"
    );
    assert!(g.files().is_empty(), "nothing written");
    g.write("gripe.toml", &config);
    // A subject with a line break and a terminal escape, a NUL in the body, a date in 2099.
    g.write(
        "evil.eml",
        "From: =?UTF-8?Q?Eve=0D=0ABcc:_x@example.com?= <eve@example.com>\nSubject: =?UTF-8?Q?Refund=0AX-Injected:_yes_=1B[2J=1B[31mnow?=\nDate: Mon, 7 Dec 2099 10:00:00 +0000\nMessage-ID: <evil@example.com>\n\nPay\0 me\n",
    );
    let id = g.open(&["--email", "evil.eml"]);
    let c = &json(&g.run(&["show", &id, "--format", "json"]))["complaint"];
    assert_eq!(c["title"], "Refund X-Injected: yes now");
    assert_eq!(c["customer"]["name"], "Eve  Bcc: x@example.com");
    assert_eq!(c["opened"], NOW);
    let note = c["event"][0]["text"].as_str().unwrap();
    assert!(note.starts_with("Pay me\n"), "{note:?}");
    assert!(
        note.contains("the Date header says Mon, 7 Dec 2099 10:00:00 +0000, which cannot be right"),
        "{note}"
    );
    // A charset nobody knows, and one that lies (it says UTF-8, the bytes are Latin-1): the
    // text still comes in, as valid UTF-8.
    g.write(
        "unknown-charset.eml",
        "From: a@example.com\nSubject: charset\nMessage-ID: <cs1@example.com>\nContent-Type: text/plain; charset=x-no-such-charset\n\nplain words\n",
    );
    let id = g.open(&["--email", "unknown-charset.eml"]);
    assert!(g.run(&["show", &id]).ok().contains("plain words"));
    let mut lying = b"From: a@example.com\nSubject: lying\nMessage-ID: <cs2@example.com>\nContent-Type: text/plain; charset=utf-8\n\nCaf".to_vec();
    lying.extend_from_slice(&[0xe9, b'\n']);
    std::fs::write(g.path().join("lying.eml"), lying).unwrap();
    let id = g.open(&["--email", "lying.eml"]);
    let c = &json(&g.run(&["show", &id, "--format", "json"]))["complaint"];
    assert!(c["event"][0]["text"].as_str().unwrap().starts_with("Caf"));
    g.run(&["check"]).ok();
}

#[test]
fn rejected_messages_are_named_and_written_to_the_rejects_mbox() {
    let g = Gripe::new().now(NOW);
    let mbox = format!(
        "From a@example.com Mon Dec  7 10:00:00 2026\n{}\nFrom b@example.com Mon Dec  7 10:05:00 2026\nnothing here is a header\n\n",
        std::fs::read_to_string(data("rfc2822-a2-message1.eml")).unwrap()
    );
    g.write("in.mbox", &mbox);
    let run = g.run(&["import", "in.mbox", "--rejects", "rejects.mbox"]);
    let err = run.fails(7).to_string();
    assert!(
        err.contains("in.mbox: message 2: it is not an email message"),
        "{err}"
    );
    assert!(
        err.contains("1 opened") && err.contains("1 rejected"),
        "{err}"
    );
    let rejects = std::fs::read_to_string(g.path().join("rejects.mbox")).unwrap();
    assert!(rejects.starts_with("From gripe-rejects "), "{rejects}");
    assert!(
        rejects.contains("X-Gripe-Rejected: it is not an email message"),
        "{rejects}"
    );
    assert!(rejects.contains("nothing here is a header"), "{rejects}");
    assert_eq!(complaints(&g).len(), 1);
}

#[test]
fn redact_keeps_addresses_in_quoted_history_out_of_the_files() {
    let g = Gripe::new().now(NOW);
    // Written for the test: a reply quoting the support desk, as most mail clients quote.
    g.write(
        "reply.eml",
        "From: Jane Example <jane@example.com>\nSubject: Refund\nMessage-ID: <r1@example.com>\nDate: Mon, 7 Dec 2026 09:00:00 +0000\n\nStill no refund. Call me on 020 7946 0958.\n\nOn Fri, 4 Dec 2026, Support <help@example.org> wrote:\n> We are looking into it.\n",
    );
    let id = g.run(&["open", "--email", "reply.eml", "--redact"]);
    assert!(
        id.stderr.contains("--redact: redacted 1 email, 1 phone"),
        "{}",
        id.stderr
    );
    let text = g.read(id.ok().trim());
    assert!(
        !text.contains("020 7946 0958") && !text.contains("help@example.org"),
        "{text}"
    );
    assert!(
        text.contains("email = \"jane@example.com\""),
        "the customer's own table keeps it"
    );
    let check = g.run(&["check", "--fail-on", "pii"]);
    assert!(!check.ok().contains("pii "), "{}", check.stdout);

    // A complaint and a reply to it in one mailbox: each text is redacted, and counted, once.
    let g = Gripe::new().now(NOW);
    g.write(
        "in.mbox",
        "From jane@example.com Mon Dec  7 09:00:00 2026\nFrom: Jane <jane@example.com>\nSubject: Refund\nMessage-ID: <m1@example.com>\nDate: Mon, 7 Dec 2026 09:00:00 +0000\n\nCall me on 020 7946 0958.\n\nFrom jane@example.com Mon Dec  7 10:00:00 2026\nFrom: Jane <jane@example.com>\nSubject: Re: Refund\nMessage-ID: <m2@example.com>\nIn-Reply-To: <m1@example.com>\nDate: Mon, 7 Dec 2026 10:00:00 +0000\n\nOr on 020 7946 0959.\n",
    );
    let run = g.run(&["import", "in.mbox", "--redact"]);
    run.ok();
    assert!(
        run.stderr.contains("--redact: redacted 2 phone in"),
        "{}",
        run.stderr
    );
    let text = std::fs::read_to_string(&g.files()[0]).unwrap();
    assert_eq!(text.matches("[redacted:phone]").count(), 2, "{text}");
}

#[test]
fn review_findings_stay_fixed() {
    let g = Gripe::new().now(NOW);
    let msg = |id: &str, date: &str, reply_to: Option<&str>, body: &str| {
        let mut m = format!(
            "From: Jo <jo@example.com>\nSubject: Parcel\nMessage-ID: <{id}>\nDate: {date}\n"
        );
        if let Some(parent) = reply_to {
            m.push_str(&format!("In-Reply-To: <{parent}>\n"));
        }
        format!("From jo@example.com Mon Dec  7 10:00:00 2026\n{m}\n{body}\n\n")
    };
    // A reply whose sender's clock is a minute behind still threads, and is recorded no
    // earlier than the complaint: `check` passes.
    let mbox = format!(
        "{}{}",
        msg(
            "orig@example.com",
            "Mon, 7 Dec 2026 10:00:00 +0000",
            None,
            "Where is it?"
        ),
        msg(
            "reply@example.com",
            "Mon, 7 Dec 2026 09:59:00 +0000",
            Some("orig@example.com"),
            "Still waiting."
        )
    );
    g.write("skew.mbox", &mbox);
    let run = g.run(&["import", "skew.mbox"]);
    assert!(
        run.stderr.contains("1 opened, 1 added as notes"),
        "{}",
        run.stderr
    );
    g.run(&["check"]).ok();
    let export = g.run(&["export", "--format", "jsonl"]);
    assert!(
        export.ok().contains(
            "Still waiting.\\n\\n(dated 2026-12-07T09:59:00Z, before the complaint was opened)"
        ),
        "{}",
        export.stdout
    );
    // A message whose complaint file would pass max_file_size is a named reject, not the
    // end of the import.
    let long = "log line of the customer's device\n".repeat(40_000);
    let mbox = format!(
        "{}{}",
        msg(
            "long@example.com",
            "Mon, 7 Dec 2026 11:00:00 +0000",
            None,
            &long
        ),
        msg(
            "short@example.com",
            "Mon, 7 Dec 2026 11:05:00 +0000",
            None,
            "Short one."
        )
    );
    g.write("long.mbox", &mbox);
    let run = g.run(&["import", "long.mbox", "--rejects", "rejects.mbox"]);
    let err = run.fails(7).to_string();
    assert!(
        err.contains("message 1: its complaint file would be"),
        "{err}"
    );
    assert!(
        err.contains("1 opened") && err.contains("1 rejected"),
        "{err}"
    );
    assert!(
        std::fs::read_to_string(g.path().join("rejects.mbox"))
            .unwrap()
            .contains("long@example.com")
    );
    // Something that is not an mbox says so.
    g.write("not.mbox", "Subject: a lone message\n\nhi\n");
    let err = g.run(&["import", "not.mbox"]).fails(4).to_string();
    assert!(
        err.contains("it is not an mbox: it does not start with a `From ` line"),
        "{err}"
    );
    // Two attachments of one name: the second is kept beside the first, named by its hash.
    let two = "From: Jo <jo@example.com>\nSubject: Photos\nMessage-ID: <att@example.com>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nTwo photos.\n--b\nContent-Type: image/png\nContent-Disposition: attachment; filename=photo.png\n\nAAAA\n--b\nContent-Type: image/png\nContent-Disposition: attachment; filename=photo.png\n\nBBBB\n--b--\n";
    g.write("two.eml", two);
    let dir = g.path().join("files");
    let id = g.open(&[
        "--email",
        "two.eml",
        "--attachments",
        &dir.to_string_lossy(),
    ]);
    let full = json(&g.run(&["show", &id, "--format", "json"]))["complaint"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let mut saved: Vec<String> = std::fs::read_dir(dir.join(&full))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    saved.sort();
    assert_eq!(saved.len(), 2, "{saved:?}");
    assert!(saved.contains(&"photo.png".to_string()), "{saved:?}");
    assert!(
        saved
            .iter()
            .any(|n| n.starts_with("photo-") && n.ends_with(".png")),
        "{saved:?}"
    );
}

#[test]
fn a_reply_to_a_complaint_waiting_on_the_customer_is_no_reopen() {
    let mut g = Gripe::new().now(NOW);
    let config = std::fs::read_to_string(g.path().join("gripe.toml")).unwrap().replace(
        r#"stages = ["new", "acknowledged", "investigating", "resolved", "following-up", "closed"]"#,
        r#"stages = ["new", "acknowledged", "investigating", "waiting", "resolved", "following-up", "closed"]"#,
    );
    g.write("gripe.toml", &config);
    let id = g.open(&["--email", &data("rfc2822-a2-message1.eml")]);
    // Waiting from before the reply was sent: the reply is new, yet no reopen.
    g.set_now("1997-11-21T15:58:00Z");
    g.run(&["advance", &id, "--to", "waiting", "--force"]).ok();
    g.set_now(NOW);
    g.run(&["open", "--email", &data("rfc2822-a2-message2.eml")])
        .ok();
    let c = &json(&g.run(&["show", &id, "--format", "json"]))["complaint"];
    assert_eq!(c["stage"], "waiting");
    assert!(
        !c["event"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "reopened")
    );
}
