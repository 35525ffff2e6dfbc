//! An external sort for output made while the files are read: each complaint's piece of output
//! (its JSON, its CSV record, its table row) is made by the thread that read it, and kept with
//! its sort key. The pieces stay in memory up to [`IN_MEMORY`] bytes and past that go to one
//! temporary file; only the keys and where each piece lies are held. Sorted, the pieces are
//! written in order, each read back from where it lies. A listing then reads every file once,
//! in parallel, and its memory does not grow with what it prints.
//!
//! Threads fill [`Batch`]es of their own (a fold's accumulators) and move a full one to the
//! shared file in one write; [`Spool::merge`] joins two batches, [`Spool::finish`] the last.

use std::fs::File;
use std::io;

use crate::analysis::overflow::Overflow;

/// How many bytes of pieces a batch holds before they go to the file.
const IN_MEMORY: usize = 1 << 20;

/// The temporary file shared by every batch of one listing, created when the first batch
/// fills, and the first error writing it (later pieces are dropped, and [`Spool::finish`]
/// returns it).
pub(crate) struct Spool {
    file: Overflow,
    in_memory: usize,
}

/// Where a piece lies: in its batch's memory (until the batch is moved) or in the file.
#[derive(Clone, Copy)]
struct Piece {
    at: u64,
    len: u32,
}

/// The pieces of one thread, or of several joined: keys and places, and the bytes not yet in
/// the file (the places of `entries[moved..]` are in `bytes`, the others in the file).
pub(crate) struct Batch<K> {
    entries: Vec<(K, Piece)>,
    bytes: Vec<u8>,
    moved: usize,
}

impl<K> Default for Batch<K> {
    fn default() -> Batch<K> {
        Batch {
            entries: Vec::new(),
            bytes: Vec::new(),
            moved: 0,
        }
    }
}

impl Default for Spool {
    fn default() -> Spool {
        Spool {
            file: Overflow::default(),
            in_memory: IN_MEMORY,
        }
    }
}

impl Spool {
    /// Adds `piece` with its `key` to `batch`, moving the batch to the file once it is full.
    pub(crate) fn add<K>(&self, batch: &mut Batch<K>, key: K, piece: &[u8]) {
        let len = u32::try_from(piece.len()).expect("a piece of output under 4 GiB");
        batch.entries.push((
            key,
            Piece {
                at: batch.bytes.len() as u64,
                len,
            },
        ));
        batch.bytes.extend_from_slice(piece);
        if batch.bytes.len() >= self.in_memory {
            self.flush(batch);
        }
    }

    /// Two batches as one; their bytes stay in memory while both fit. The smaller joins the
    /// larger, so merging a scan's batches copies each entry a few times, not once per level
    /// of the merge (the order of the entries does not matter: they are sorted at the end).
    pub(crate) fn merge<K>(&self, a: Batch<K>, b: Batch<K>) -> Batch<K> {
        let (mut big, mut small) = match a.entries.len() >= b.entries.len() {
            true => (a, b),
            false => (b, a),
        };
        if big.bytes.len() + small.bytes.len() >= self.in_memory {
            self.flush(&mut big);
            self.flush(&mut small);
        }
        let shift = big.bytes.len() as u64;
        for (_, piece) in &mut small.entries[small.moved..] {
            piece.at += shift;
        }
        big.bytes.extend_from_slice(&small.bytes);
        // The moved entries first, then the kept ones (whose bytes are in memory).
        let small_kept = small.entries.split_off(small.moved);
        let moved = small.entries.len();
        big.entries.splice(big.moved..big.moved, small.entries);
        big.moved += moved;
        big.entries.extend(small_kept);
        big
    }

    /// Moves the bytes of `batch` to the end of the file.
    fn flush<K>(&self, batch: &mut Batch<K>) {
        if batch.bytes.is_empty() {
            return;
        }
        let base = self.file.write(&batch.bytes);
        for (_, piece) in &mut batch.entries[batch.moved..] {
            piece.at += base;
        }
        batch.moved = batch.entries.len();
        batch.bytes.clear();
    }

    /// The last batch (every other merged into it) as pieces to sort and write.
    pub(crate) fn finish<K>(self, mut batch: Batch<K>) -> io::Result<Sorted<K>> {
        // Once there is a file, the last bytes join it; before, every piece stays in memory.
        if self.file.has_file() {
            self.flush(&mut batch);
        }
        let source = match self.file.take()? {
            None => Source::Memory(batch.bytes),
            Some(file) => Source::File(file),
        };
        Ok(Sorted {
            entries: batch.entries,
            source,
        })
    }
}

/// Every piece of a listing with its key, to sort and write in order.
pub(crate) struct Sorted<K> {
    entries: Vec<(K, Piece)>,
    source: Source,
}

enum Source {
    Memory(Vec<u8>),
    File(File),
}

impl<K> Sorted<K> {
    /// Sorts the pieces by their keys, as `compare` orders them.
    pub(crate) fn sort_by(&mut self, compare: impl Fn(&K, &K) -> std::cmp::Ordering + Sync)
    where
        K: Send,
    {
        use rayon::slice::ParallelSliceMut;
        self.entries
            .par_sort_unstable_by(|a, b| compare(&a.0, &b.0));
    }

    /// Keeps only the first `count` pieces.
    pub(crate) fn truncate(&mut self, count: usize) {
        self.entries.truncate(count);
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// The keys, in order.
    pub(crate) fn keys(&self) -> impl Iterator<Item = &K> {
        self.entries.iter().map(|(key, _)| key)
    }

    /// Hands each piece with its key to `write`, in order; the first error stops it.
    pub(crate) fn write_each<E: From<io::Error>>(
        &self,
        mut write: impl FnMut(&K, &[u8]) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut buffer = Vec::new();
        for (key, piece) in &self.entries {
            let (at, len) = (piece.at as usize, piece.len as usize);
            let bytes = match &self.source {
                Source::Memory(bytes) => &bytes[at..at + len],
                Source::File(file) => {
                    buffer.resize(len, 0);
                    read_at(file, &mut buffer, piece.at)?;
                    &buffer[..]
                }
            };
            write(key, bytes)?;
        }
        Ok(())
    }
}

#[cfg(unix)]
fn read_at(file: &File, buffer: &mut [u8], at: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buffer, at)
}

#[cfg(not(unix))]
fn read_at(mut file: &File, buffer: &mut [u8], at: u64) -> io::Result<()> {
    use std::io::Read;
    use std::io::Seek;
    file.seek(io::SeekFrom::Start(at))?;
    file.read_exact(buffer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rayon::prelude::*;

    /// Pieces made on every thread, in memory or (with a small limit) in the file, come back
    /// whole and in the order of their keys.
    #[test]
    fn pieces_come_back_in_order_from_memory_and_from_the_file() {
        for in_memory in [usize::MAX, 64, 1] {
            let spool = Spool {
                in_memory,
                ..Spool::default()
            };
            let batch = (0..2_000u32)
                .into_par_iter()
                .fold(Batch::default, |mut batch, n| {
                    let piece = format!("<{n}:{}>", "x".repeat((n % 7) as usize));
                    spool.add(&mut batch, std::cmp::Reverse(n), piece.as_bytes());
                    batch
                })
                .reduce(Batch::default, |a, b| spool.merge(a, b));
            let mut sorted = spool.finish(batch).unwrap();
            assert_eq!(
                matches!(sorted.source, Source::File(_)),
                in_memory != usize::MAX
            );
            sorted.sort_by(|a, b| a.cmp(b));
            sorted.truncate(1_500);
            let mut seen = Vec::new();
            sorted
                .write_each(|key, bytes| {
                    seen.push((key.0, String::from_utf8(bytes.to_vec()).unwrap()));
                    Ok::<(), io::Error>(())
                })
                .unwrap();
            let expected: Vec<(u32, String)> = (500..2_000u32)
                .rev()
                .map(|n| (n, format!("<{n}:{}>", "x".repeat((n % 7) as usize))))
                .collect();
            assert_eq!(seen, expected);
        }
    }

    #[test]
    fn a_failing_writer_stops_the_pieces() {
        let spool = Spool::default();
        let mut batch = Batch::default();
        for n in 0..10 {
            spool.add(&mut batch, n, b"piece");
        }
        let sorted = spool.finish(batch).unwrap();
        let mut written = 0;
        let result = sorted.write_each(|_, _| {
            written += 1;
            match written {
                3 => Err(io::Error::from(io::ErrorKind::BrokenPipe)),
                _ => Ok(()),
            }
        });
        assert_eq!(result.unwrap_err().kind(), io::ErrorKind::BrokenPipe);
        assert_eq!(written, 3);
    }
}
