//! Exact figures in bounded memory: the report's nearest-rank percentiles need every duration,
//! and its repeat-complainant rate every customer of the repeat window, which grow with the
//! folder. Each thread keeps at most [`IN_MEMORY`] of them and moves the rest to a temporary
//! file shared by the threads ([`Overflow`]). At the end a percentile is found by narrowing a
//! range of values, one pass over the file per step, counting into a fixed histogram; the
//! customers are counted a share of the keys (by hash) at a time. The figures are the same
//! as with everything in memory; only the time to read the file back is added.

use std::collections::HashMap;
use std::fs::File;
use std::hash::BuildHasher;
use std::io;
use std::io::BufRead;
use std::io::BufReader;
use std::io::Read;
use std::io::Seek;
use std::io::Write;
use std::sync::Mutex;

/// How many values (or customers) a thread keeps in memory before moving them to the file.
pub(crate) const IN_MEMORY: usize = 1 << 14;

/// How many parts a step of the percentile search cuts the range into.
const STEPS: usize = 4096;

/// A temporary file shared by threads (of one kind of value here, of a listing's pieces in
/// `output::spool`), created at the first write, with its length, and the first error writing
/// it (later writes are dropped; [`Overflow::take`] returns it).
#[derive(Default)]
pub(crate) struct Overflow {
    file: Mutex<Option<(File, u64)>>,
    error: Mutex<Option<io::Error>>,
}

impl Overflow {
    /// Appends `bytes` (whole records) to the file, and says where they start (0 once a write
    /// has failed: they are dropped).
    pub(crate) fn write(&self, bytes: &[u8]) -> u64 {
        let mut file = self.file.lock().expect("no thread panics holding the file");
        let mut error = self.error.lock().expect("no thread panics holding it");
        if error.is_some() {
            return 0;
        }
        let mut append = || -> io::Result<u64> {
            if file.is_none() {
                *file = Some((tempfile::tempfile()?, 0));
            }
            let (f, len) = file.as_mut().expect("created above");
            f.write_all(bytes)?;
            let start = *len;
            *len += bytes.len() as u64;
            Ok(start)
        };
        append().unwrap_or_else(|e| {
            *error = Some(e);
            0
        })
    }

    /// Whether anything has been written to the file.
    pub(crate) fn has_file(&self) -> bool {
        self.file.lock().expect("no thread panicked").is_some()
    }

    /// The file, rewound, if anything overflowed; or the first error writing it.
    pub(crate) fn take(&self) -> io::Result<Option<File>> {
        if let Some(e) = self.error.lock().expect("no thread panicked").take() {
            return Err(e);
        }
        let mut file = self.file.lock().expect("no thread panicked").take();
        if let Some((f, _)) = &mut file {
            f.rewind()?;
        }
        Ok(file.map(|(f, _)| f))
    }
}

/// Moves `values` to `overflow` once there are [`IN_MEMORY`] of them.
pub(crate) fn spill_values(values: &mut Vec<i64>, overflow: &Overflow) {
    if values.len() >= IN_MEMORY {
        let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
        overflow.write(&bytes);
        values.clear();
    }
}

/// Moves `counts` to `overflow` once there are [`IN_MEMORY`] of them: each key as its length
/// (4 bytes), its bytes and its count (8 bytes).
pub(crate) fn spill_counts(counts: &mut HashMap<String, u64>, overflow: &Overflow) {
    if counts.len() >= IN_MEMORY {
        let mut bytes = Vec::new();
        for (key, n) in counts.drain() {
            let len = u32::try_from(key.len()).expect("a customer key under 4 GiB");
            bytes.extend_from_slice(&len.to_le_bytes());
            bytes.extend_from_slice(key.as_bytes());
            bytes.extend_from_slice(&n.to_le_bytes());
        }
        overflow.write(&bytes);
    }
}

/// Calls `each` with every value: those in `kept`, then those in `file`.
fn each_value(kept: &[i64], file: Option<&File>, each: &mut dyn FnMut(i64)) -> io::Result<()> {
    kept.iter().for_each(|v| each(*v));
    if let Some(mut file) = file {
        file.rewind()?;
        let mut reader = BufReader::with_capacity(1 << 16, file);
        let mut value = [0; 8];
        loop {
            match reader.read_exact(&mut value) {
                Ok(()) => each(i64::from_le_bytes(value)),
                Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(()),
                Err(e) => return Err(e),
            }
        }
    }
    Ok(())
}

/// The nearest-rank percentile `p` (0-100) of the values in `kept` and `file`, `count` of
/// them in all: the same value as sorting them all (see [`super::report::percentile`]).
pub(crate) fn percentile(
    kept: &[i64],
    file: Option<&File>,
    count: u64,
    p: u32,
) -> io::Result<Option<i64>> {
    if count == 0 {
        return Ok(None);
    }
    let rank = (u64::from(p) * count).div_ceil(100).max(1);
    // The value sought is the `rank - below`th of those in lo..=hi.
    let (mut lo, mut hi, mut below) = (i64::MIN, i64::MAX, 0u64);
    loop {
        let width = ((i128::from(hi) - i128::from(lo)) / STEPS as i128) + 1;
        let mut parts = vec![0u64; STEPS];
        each_value(kept, file, &mut |v| {
            if (lo..=hi).contains(&v) {
                parts[((i128::from(v) - i128::from(lo)) / width) as usize] += 1;
            }
        })?;
        let inside: u64 = parts.iter().sum();
        if lo == hi {
            return Ok(Some(lo));
        }
        if inside <= IN_MEMORY as u64 {
            let mut values = Vec::with_capacity(inside as usize);
            each_value(kept, file, &mut |v| {
                if (lo..=hi).contains(&v) {
                    values.push(v);
                }
            })?;
            values.sort_unstable();
            return Ok(Some(values[(rank - below - 1) as usize]));
        }
        let mut part = 0;
        while below + parts[part] < rank {
            below += parts[part];
            part += 1;
        }
        let start = i128::from(lo) + part as i128 * width;
        lo = start as i64;
        hi = (start + width - 1).min(i128::from(hi)) as i64;
    }
}

/// How many keys there are, and how many of them count two or more, over `kept` and the
/// records of `file` (a key may be in several records: its counts add up).
pub(crate) fn repeats(kept: &HashMap<String, u64>, file: Option<&File>) -> io::Result<(u64, u64)> {
    fn tally<'a>(counts: impl Iterator<Item = &'a u64>) -> (u64, u64) {
        counts.fold((0, 0), |(keys, repeated), n| {
            (keys + 1, repeated + u64::from(*n >= 2))
        })
    }
    let Some(file) = file else {
        return Ok(tally(kept.values()));
    };
    let total = records(file, &mut |_, _| {})? + kept.len() as u64;
    let parts = total.div_ceil(IN_MEMORY as u64).max(1);
    let hasher = foldhash::fast::FixedState::default();
    let (mut keys, mut repeated) = (0, 0);
    for part in 0..parts {
        let mine = |key: &str| hasher.hash_one(key) % parts == part;
        let mut counts: HashMap<String, u64> = HashMap::new();
        for (key, n) in kept.iter().filter(|(k, _)| mine(k)) {
            *counts.entry(key.clone()).or_default() += n;
        }
        records(file, &mut |key, n| {
            if mine(key) {
                *counts.entry(key.to_string()).or_default() += n;
            }
        })?;
        let (k, r) = tally(counts.values());
        keys += k;
        repeated += r;
    }
    Ok((keys, repeated))
}

/// Calls `each` with the key and count of every record of `file`; says how many there were.
fn records(mut file: &File, each: &mut dyn FnMut(&str, u64)) -> io::Result<u64> {
    file.rewind()?;
    let mut reader = BufReader::with_capacity(1 << 16, file);
    let (mut len, mut n, mut key) = ([0; 4], [0; 8], Vec::new());
    let mut count = 0;
    while !reader.fill_buf()?.is_empty() {
        reader.read_exact(&mut len)?;
        key.resize(u32::from_le_bytes(len) as usize, 0);
        reader.read_exact(&mut key)?;
        reader.read_exact(&mut n)?;
        let key = std::str::from_utf8(&key).map_err(io::Error::other)?;
        each(key, u64::from_le_bytes(n));
        count += 1;
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted_percentile(values: &[i64], p: u32) -> Option<i64> {
        let mut v = values.to_vec();
        v.sort_unstable();
        super::super::report::percentile(&v, p)
    }

    #[test]
    fn percentiles_from_the_file_are_those_of_sorting_everything() {
        // Spread widely, bunched (more equal values than fit in memory), and negative.
        let spread: Vec<i64> = (0..300_000i64).map(|i| (i * 7_919) % 1_000_003).collect();
        let bunched: Vec<i64> = (0..200_000i64).map(|i| 86_400 + i % 3).collect();
        let negative: Vec<i64> = (0..150_000i64).map(|i| i64::MIN / 2 + i * 977).collect();
        for values in [spread, bunched, negative] {
            let overflow = Overflow::default();
            let mut kept = Vec::new();
            for v in &values {
                kept.push(*v);
                spill_values(&mut kept, &overflow);
            }
            let file = overflow.take().unwrap();
            assert!(file.is_some(), "the values overflowed");
            for p in [1, 50, 90, 99, 100] {
                assert_eq!(
                    percentile(&kept, file.as_ref(), values.len() as u64, p).unwrap(),
                    sorted_percentile(&values, p),
                    "p{p}"
                );
            }
        }
    }

    #[test]
    fn repeat_counts_from_the_file_are_those_of_one_map() {
        let overflow = Overflow::default();
        let mut kept = HashMap::new();
        // 150,000 customers; every third has a second complaint, which comes after the first
        // has gone to the file.
        for round in 0..2 {
            for i in 0..150_000u32 {
                if round == 0 || i % 3 == 0 {
                    *kept.entry(format!("customer-{i}")).or_default() += 1;
                    spill_counts(&mut kept, &overflow);
                }
            }
        }
        let file = overflow.take().unwrap();
        assert!(file.is_some(), "the customers overflowed");
        assert_eq!(repeats(&kept, file.as_ref()).unwrap(), (150_000, 50_000));
    }
}
