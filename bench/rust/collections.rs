//! collections.rs: std collections and formatting: generates a text of pseudo-random words,
//! counts them in a HashMap, ranks them through a BTreeMap and a sorted Vec, builds a report with
//! format!, and deduplicates with a HashSet and a VecDeque window; prints checksums of it all.
//! `quick` as the first argument: less text.
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::fmt::Write;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

fn fnv(h: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(h, |h, &b| (h ^ b as u64).wrapping_mul(0x100000001b3))
}

fn main() {
    let quick = std::env::args().nth(1).map_or(false, |a| a == "quick");
    let rounds = if quick { 2 } else { 90 };
    let mut rng = Rng(42);
    let syllables = ["ka", "lo", "mi", "ne", "ru", "so", "ta", "vi", "we", "zo", "qua", "ix"];
    let mut total_hash = 0xcbf29ce484222325u64;
    for round in 0..rounds {
        let mut text = String::new();
        for _ in 0..100_000 {
            let n = 1 + rng.next() % 3;
            for _ in 0..n {
                text.push_str(syllables[(rng.next() % syllables.len() as u64) as usize]);
            }
            text.push(if rng.next() % 10 == 0 { '\n' } else { ' ' });
        }
        let mut counts: HashMap<&str, u32> = HashMap::new();
        for w in text.split_whitespace() {
            *counts.entry(w).or_insert(0) += 1;
        }
        let mut by_count: BTreeMap<u32, Vec<&str>> = BTreeMap::new();
        for (w, c) in &counts {
            by_count.entry(*c).or_default().push(w);
        }
        let mut ranked: Vec<(&str, u32)> = counts.iter().map(|(w, c)| (*w, *c)).collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let mut report = String::new();
        for (i, (w, c)) in ranked.iter().take(200).enumerate() {
            writeln!(report, "{:>4}. {:<12} {:>6} {:6.3}%", i + 1, w, c, *c as f64 * 100.0 / 100_000.0)
                .unwrap();
        }
        for (c, words) in by_count.iter().rev().take(50) {
            let mut words = words.clone();
            words.sort();
            writeln!(report, "{}: {}", c, words.join(",")).unwrap();
        }
        let mut seen = HashSet::new();
        let mut window: VecDeque<&str> = VecDeque::new();
        let mut repeats = 0u32;
        for w in text.split_whitespace() {
            if window.contains(&w) {
                repeats += 1;
            }
            window.push_back(w);
            if window.len() > 8 {
                window.pop_front();
            }
            seen.insert(w);
        }
        writeln!(report, "distinct={} repeats={}", seen.len(), repeats).unwrap();
        total_hash = fnv(total_hash, report.as_bytes());
        if round == 0 {
            print!("{}", &report[..report.find('\n').map_or(0, |i| i + 1)]);
        }
    }
    println!("collections rounds={} hash={:016x}", rounds, total_hash);
}
