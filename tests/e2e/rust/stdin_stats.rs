//! stdin_stats.rs: reads all of standard input and reports on it.
//!
//! Reads line by line with BufRead (so the input may lack a final newline),
//! counts lines, words and bytes, word frequencies in a BTreeMap, numbers
//! embedded in the text, and echoes selected lines reversed; a summary goes
//! to stderr.
//!
//! e2e-stdin: input/text.txt

use std::collections::BTreeMap;
use std::io::{self, BufRead, Write};

fn main() {
    let stdin = io::stdin();
    let mut lines = 0usize;
    let mut bytes = 0usize;
    let mut words = 0usize;
    let mut freq: BTreeMap<String, usize> = BTreeMap::new();
    let mut numbers: Vec<u64> = Vec::new();
    let mut longest = String::new();
    let mut out = io::BufWriter::new(io::stdout());
    let mut buf = Vec::new();
    let mut reader = stdin.lock();
    loop {
        buf.clear();
        let n = reader.read_until(b'\n', &mut buf).expect("read stdin");
        if n == 0 {
            break;
        }
        bytes += n;
        lines += usize::from(buf.last() == Some(&b'\n'));
        let line = String::from_utf8_lossy(&buf);
        let line = line.trim_end_matches('\n');
        words += line.split_whitespace().count();
        for w in line.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
            if let Ok(num) = w.parse::<u64>() {
                numbers.push(num);
            } else {
                *freq.entry(w.to_lowercase()).or_insert(0) += 1;
            }
        }
        if line.chars().count() > longest.chars().count() {
            longest = line.to_string();
        }
        if lines % 10 == 3 {
            let rev: String = line.chars().rev().collect();
            writeln!(out, "rev {:>3}: {}", lines, rev).unwrap();
        }
    }
    writeln!(out, "{} {} {}", lines, words, bytes).unwrap();
    let mut by_count: Vec<(&String, &usize)> = freq.iter().collect();
    by_count.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    for (w, c) in by_count.iter().take(8) {
        writeln!(out, "{:<10}{:>4}", w, c).unwrap();
    }
    let non_ascii: Vec<&String> = freq.keys().filter(|w| !w.is_ascii()).collect();
    writeln!(out, "non-ascii words: {:?}", non_ascii).unwrap();
    let sum: u64 = numbers.iter().sum();
    writeln!(out, "numbers: count={} sum={} max={:?}", numbers.len(), sum, numbers.iter().max())
        .unwrap();
    writeln!(out, "longest line has {} chars, starts {:?}", longest.chars().count(),
             longest.chars().take(24).collect::<String>()).unwrap();
    out.flush().unwrap();
    eprintln!("stdin_stats: {} distinct words", freq.len());
}
