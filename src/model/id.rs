//! Complaint and follow-up ids: random, lowercase Crockford base32, matched by unique prefix.
//!
//! A complaint id is 80 bits from the operating system's random source (16 characters), so two
//! people opening complaints on two branches never collide and no counter file exists. Any
//! unique prefix of at least [`MIN_PREFIX`] characters names a complaint, like a git hash.

use foldhash::HashMap;

use crate::error::Error;
use crate::error::Result;

/// Crockford's base32 alphabet, lowercase: no i, l, o or u.
const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";

/// Length of a new complaint id: 16 characters of 5 bits each, 80 bits.
pub(crate) const ID_LEN: usize = 16;
/// Length of a new follow-up id (30 bits: unique within one complaint even across branches).
pub(crate) const FOLLOWUP_ID_LEN: usize = 6;
/// The shortest prefix gripe accepts or shows.
pub(crate) const MIN_PREFIX: usize = 4;

/// `len` random characters of the alphabet, from the OS random source.
pub(crate) fn random(len: usize) -> Result<String> {
    let mut bytes = vec![0u8; len];
    getrandom::fill(&mut bytes).map_err(|e| Error::External {
        what: "reading the system random source".into(),
        message: e.to_string(),
    })?;
    Ok(bytes
        .iter()
        .map(|b| ALPHABET[usize::from(b & 31)] as char)
        .collect())
}

/// A new complaint id.
pub(crate) fn new_complaint_id() -> Result<String> {
    random(ID_LEN)
}

/// Whether `s` is written only in the (lowercase) alphabet: what a file name stem must be to be
/// taken as an id without reading the file.
pub(crate) fn is_canonical(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| ALPHABET.contains(&b))
}

/// Normalises what a person typed as an id or prefix: lowercase, and the look-alike letters
/// Crockford's scheme maps (`i`, `l` to `1`; `o` to `0`). Errors on characters that can never be
/// part of an id, which also keeps ids that look like paths out of every lookup.
pub fn normalize_prefix(input: &str) -> Result<String> {
    let mut out = String::with_capacity(input.len());
    for c in input.trim().chars() {
        let c = match c.to_ascii_lowercase() {
            'i' | 'l' => '1',
            'o' => '0',
            c => c,
        };
        if !c.is_ascii() || !ALPHABET.contains(&(c as u8)) {
            return Err(Error::usage_hint(
                format!("`{input}` is not a complaint id: `{c}` is not a base32 digit"),
                "ids use the digits 0-9 and the letters a-z except i, l, o and u",
            ));
        }
        out.push(c);
    }
    if out.len() < MIN_PREFIX {
        return Err(Error::usage_hint(
            format!("`{input}` is too short to name a complaint"),
            format!("give at least {MIN_PREFIX} characters of the id"),
        ));
    }
    Ok(out)
}

/// The shortest unique prefix of every id in a folder, for display.
pub(crate) struct ShortIds {
    /// Every id beside the length of its shortest unique prefix: the ids are moved in, not
    /// copied. Looked up by hash, as a listing asks for every row's (a binary search over a
    /// hundred thousand ids took nearly half of the time `gripe list` spends writing).
    lengths: HashMap<Box<str>, u16>,
}

impl ShortIds {
    pub(crate) fn new(ids: impl IntoIterator<Item = impl Into<Box<str>>>) -> ShortIds {
        let mut sorted: Vec<Box<str>> = ids.into_iter().map(Into::into).collect();
        sorted.sort_unstable();
        let lengths = unique_prefix_lengths(&sorted);
        ShortIds {
            lengths: sorted
                .into_iter()
                .zip(lengths)
                .map(|(id, len)| (id, u16::try_from(len).unwrap_or(u16::MAX)))
                .collect(),
        }
    }

    /// The shortest unique prefix of `id` (at least [`MIN_PREFIX`] characters).
    pub(crate) fn get<'a>(&self, id: &'a str) -> &'a str {
        let len = self
            .lengths
            .get(id)
            .map_or(MIN_PREFIX, |len| usize::from(*len));
        id.get(..len.min(id.len())).unwrap_or(id)
    }
}

/// For each id in `sorted` (sorted ascending, may hold duplicates), the length of its shortest
/// unique prefix, at least [`MIN_PREFIX`]: one more than the longest prefix it shares with a
/// neighbour.
fn unique_prefix_lengths(sorted: &[impl AsRef<str>]) -> Vec<usize> {
    let common = |a: &str, b: &str| a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    (0..sorted.len())
        .map(|i| {
            let before = i
                .checked_sub(1)
                .map_or(0, |j| common(sorted[j].as_ref(), sorted[i].as_ref()));
            let after = sorted
                .get(i + 1)
                .map_or(0, |next| common(sorted[i].as_ref(), next.as_ref()));
            (before.max(after) + 1)
                .max(MIN_PREFIX)
                .min(sorted[i].as_ref().len().max(MIN_PREFIX))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_ids_are_sixteen_base32_characters_and_differ() {
        let a = new_complaint_id().unwrap();
        let b = new_complaint_id().unwrap();
        assert_eq!(a.len(), ID_LEN);
        assert!(is_canonical(&a));
        assert_ne!(a, b);
    }

    #[test]
    fn prefixes_are_normalised_like_crockford_base32() {
        assert_eq!(normalize_prefix("K7MI").unwrap(), "k7m1");
        assert_eq!(normalize_prefix("oOlL").unwrap(), "0011");
    }

    #[test]
    fn prefixes_that_look_like_paths_or_are_short_are_refused() {
        assert!(normalize_prefix("../etc/passwd").is_err());
        assert!(normalize_prefix("k7m").is_err());
        assert!(normalize_prefix("k7mu").is_err());
    }

    #[test]
    fn unique_prefixes_grow_only_where_ids_share_a_start() {
        let ids = ["k7m2aaaa", "k7m2abbb", "zzzzzzzz"];
        assert_eq!(unique_prefix_lengths(&ids), vec![6, 6, 4]);
    }
}
