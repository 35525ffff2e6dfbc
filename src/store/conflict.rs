//! Git conflict markers: recognising them, splitting a file that holds them back into the sides
//! of the merge, and writing a conflict block for the few keys a merge cannot decide.
//!
//! A marker is a line that starts with exactly seven `<`, `|`, `=` or `>` followed by a space or
//! the end of the line, as git writes them ([`crate::store::document::find_conflict_marker`] finds the
//! first in a file). `=======` counts only inside a conflict block, since
//! a line of equal signs is ordinary text elsewhere. Both of git's styles are read: `merge`
//! (ours, `=======`, theirs) and `diff3`/`zdiff3`, which adds the base after `|||||||`.

/// What a conflict marker line starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Marker {
    /// `<<<<<<<`: our side follows.
    Ours,
    /// `|||||||`: the common ancestor follows (diff3 style).
    Base,
    /// `=======`: their side follows.
    Separator,
    /// `>>>>>>>`: the end of the block.
    End,
}

impl Marker {
    /// The marker a line is, if it is one; `line` runs from the start of a line and may go on
    /// past its end.
    pub(crate) fn of(line: &str) -> Option<Marker> {
        let marker = match line.get(..7)? {
            "<<<<<<<" => Marker::Ours,
            "|||||||" => Marker::Base,
            "=======" => Marker::Separator,
            ">>>>>>>" => Marker::End,
            _ => return None,
        };
        let rest = &line[7..];
        (rest.is_empty() || rest.starts_with([' ', '\n', '\r'])).then_some(marker)
    }
}

/// The texts of a file with conflict markers, one per side: the lines outside the blocks go to
/// every side. `base` is present when every block has a diff3 base section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sides {
    pub ours: String,
    pub base: Option<String>,
    pub theirs: String,
    /// How many conflict blocks the file held.
    pub blocks: usize,
}

/// Why a file's markers cannot be read: the 1-based line, and what is wrong there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadMarkers {
    pub line: usize,
    pub message: String,
}

/// Splits a file holding conflict markers into its sides.
pub fn split(text: &str) -> Result<Sides, BadMarkers> {
    #[derive(PartialEq)]
    enum In {
        Outside,
        Ours,
        Base,
        Theirs,
    }
    let (mut ours, mut base, mut theirs) = (String::new(), String::new(), String::new());
    let mut state = In::Outside;
    let (mut blocks, mut with_base, mut opened_at) = (0, 0, 0);
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let bad = |message: &str| BadMarkers {
            line: i + 1,
            message: message.to_string(),
        };
        let marker = Marker::of(line).filter(|m| *m != Marker::Separator || state != In::Outside);
        match (&state, marker) {
            (In::Outside, None) => {
                ours.push_str(line);
                base.push_str(line);
                theirs.push_str(line);
            }
            (In::Ours, None) => ours.push_str(line),
            (In::Base, None) => base.push_str(line),
            (In::Theirs, None) => theirs.push_str(line),
            (In::Outside, Some(Marker::Ours)) => {
                state = In::Ours;
                blocks += 1;
                opened_at = i + 1;
            }
            (In::Ours, Some(Marker::Base)) => {
                state = In::Base;
                with_base += 1;
            }
            (In::Ours | In::Base, Some(Marker::Separator)) => state = In::Theirs,
            (In::Theirs, Some(Marker::End)) => state = In::Outside,
            (In::Outside, Some(_)) => {
                return Err(bad("a conflict marker outside a conflict block"));
            }
            (_, Some(Marker::Ours)) => {
                return Err(bad(&format!(
                    "a conflict block inside the one opened on line {opened_at} (a nested merge)"
                )));
            }
            (_, Some(_)) => {
                return Err(bad(
                    "a conflict marker out of order (expected <<<<<<<, |||||||, =======, >>>>>>>)",
                ));
            }
        }
    }
    if state != In::Outside {
        return Err(BadMarkers {
            line: opened_at,
            message: "a conflict block that is never closed with >>>>>>>".into(),
        });
    }
    Ok(Sides {
        ours,
        base: (blocks > 0 && with_base == blocks).then_some(base),
        theirs,
        blocks,
    })
}

/// A conflict block for lines the sides disagree on, in diff3 style when the base is known.
/// Each side's lines end with a newline; an absent side is an empty section.
pub(crate) fn block(ours: &str, base: Option<&str>, theirs: &str) -> String {
    let mut out = String::from("<<<<<<< ours\n");
    out.push_str(ours);
    if let Some(base) = base {
        out.push_str("||||||| base\n");
        out.push_str(base);
    }
    out.push_str("=======\n");
    out.push_str(theirs);
    out.push_str(">>>>>>> theirs\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_seven_characters_at_the_start_of_a_line() {
        assert_eq!(Marker::of("<<<<<<< HEAD\n"), Some(Marker::Ours));
        assert_eq!(Marker::of("=======\r\n"), Some(Marker::Separator));
        assert_eq!(
            Marker::of("||||||| merged common ancestors"),
            Some(Marker::Base)
        );
        assert_eq!(Marker::of(">>>>>>>"), Some(Marker::End));
        assert_eq!(Marker::of("<<<<<<<< x"), None);
        assert_eq!(Marker::of(" <<<<<<< x"), None);
        assert_eq!(Marker::of(">>>>>>>\nmore text"), Some(Marker::End));
    }

    #[test]
    fn a_merge_style_file_splits_into_two_sides_without_a_base() {
        let text = "a\n<<<<<<< HEAD\nb\n=======\nc\n>>>>>>> topic\nd\n=======\n";
        let sides = split(text).unwrap();
        assert_eq!(sides.ours, "a\nb\nd\n=======\n");
        assert_eq!(sides.theirs, "a\nc\nd\n=======\n");
        assert_eq!(sides.base, None);
        assert_eq!(sides.blocks, 1);
    }

    #[test]
    fn a_diff3_style_file_gives_the_base_too() {
        let text = "a\n<<<<<<< HEAD\nb\n||||||| base\nx\n=======\nc\n>>>>>>> topic\n";
        let sides = split(text).unwrap();
        assert_eq!(sides.base.as_deref(), Some("a\nx\n"));
        assert_eq!(sides.ours, "a\nb\n");
        assert_eq!(sides.theirs, "a\nc\n");
    }

    #[test]
    fn broken_markers_name_their_line() {
        let unclosed = split("a\n<<<<<<< HEAD\nb\n=======\nc\n").unwrap_err();
        assert_eq!(unclosed.line, 2);
        let nested = split("<<<<<<< a\n<<<<<<< b\n").unwrap_err();
        assert_eq!(nested.line, 2);
        assert!(nested.message.contains("nested"), "{}", nested.message);
        let stray = split("a\n>>>>>>> x\n").unwrap_err();
        assert_eq!(stray.line, 2);
    }

    #[test]
    fn a_block_round_trips_through_split() {
        let text = format!("k\n{}z\n", block("a = 1\n", Some("a = 0\n"), ""));
        let sides = split(&text).unwrap();
        assert_eq!(
            (
                sides.ours.as_str(),
                sides.base.as_deref(),
                sides.theirs.as_str()
            ),
            ("k\na = 1\nz\n", Some("k\na = 0\nz\n"), "k\nz\n")
        );
    }
}
