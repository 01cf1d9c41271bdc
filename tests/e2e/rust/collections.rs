//! collections.rs: the standard collections on wasm32-wasi and natively.
//!
//! BTreeMap/BTreeSet (ordered, printed directly), HashMap/HashSet with a fixed
//! hasher (BuildHasherDefault<DefaultHasher>: SipHash with zero keys, so no
//! random seed; contents are still sorted before printing, because iteration
//! order depends on the table's group width), VecDeque, BinaryHeap (Dijkstra
//! on a small graph), and Vec sorting and deduplication.

use std::cmp::Reverse;
use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, HashMap, HashSet, VecDeque};
use std::hash::{BuildHasherDefault, Hash, Hasher};

type FixedState = BuildHasherDefault<DefaultHasher>;

/// A deterministic generator (xorshift32), so no OS randomness is involved.
struct Rng(u32);

impl Rng {
    fn next(&mut self) -> u32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 17;
        self.0 ^= self.0 << 5;
        self.0
    }
}

fn dijkstra(adj: &[Vec<(usize, u64)>], src: usize) -> Vec<Option<u64>> {
    let mut dist = vec![None; adj.len()];
    let mut heap = BinaryHeap::new();
    heap.push(Reverse((0u64, src)));
    while let Some(Reverse((d, u))) = heap.pop() {
        if dist[u].is_some() {
            continue;
        }
        dist[u] = Some(d);
        for &(v, w) in &adj[u] {
            if dist[v].is_none() {
                heap.push(Reverse((d + w, v)));
            }
        }
    }
    dist
}

fn main() {
    let text = "the cat sat on the mat while the dog ate the bone and the cat watched the dog";
    let mut index: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, w) in text.split_whitespace().enumerate() {
        index.entry(w).or_default().push(i);
    }
    for (w, pos) in &index {
        println!("{:>8}: {:?}", w, pos);
    }

    let mut counts: HashMap<String, u32, FixedState> = HashMap::default();
    let mut rng = Rng(2024);
    for _ in 0..20000 {
        let key = format!("k{}", rng.next() % 500);
        *counts.entry(key).or_insert(0) += 1;
    }
    let mut top: Vec<(&String, &u32)> = counts.iter().collect();
    top.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    println!("distinct={} top5={:?}", counts.len(), &top[..5]);
    let removed: u32 = (0..500).filter_map(|i| counts.remove(&format!("k{}", i * 2))).sum();
    println!("removed even keys holding {} hits, {} keys left", removed, counts.len());

    let mut h = DefaultHasher::new();
    "fixed keys make this stable".hash(&mut h);
    42u64.hash(&mut h);
    println!("siphash={:016x}", h.finish());

    let a: HashSet<u32, FixedState> = (0..60).filter(|x| x % 3 == 0).collect();
    let b: HashSet<u32, FixedState> = (0..60).filter(|x| x % 5 == 0).collect();
    let mut both: Vec<_> = a.intersection(&b).copied().collect();
    both.sort_unstable();
    let either: BTreeSet<u32> = a.union(&b).copied().collect();
    println!("both={:?} either.len={} max={:?}", both, either.len(), either.iter().next_back());
    let range: Vec<_> = either.range(20..35).collect();
    println!("range 20..35: {:?}", range);

    let mut dq: VecDeque<i32> = VecDeque::new();
    for i in 0..10 {
        if i % 2 == 0 {
            dq.push_back(i);
        } else {
            dq.push_front(-i);
        }
    }
    dq.rotate_left(3);
    println!("deque={:?} front={:?} back={:?}", dq, dq.front(), dq.back());

    let n = 200;
    let mut adj = vec![Vec::new(); n];
    for u in 0..n {
        for _ in 0..4 {
            let v = (rng.next() as usize) % n;
            let w = u64::from(rng.next() % 100 + 1);
            adj[u].push((v, w));
        }
    }
    let dist = dijkstra(&adj, 0);
    let reachable = dist.iter().filter(|d| d.is_some()).count();
    let total: u64 = dist.iter().flatten().sum();
    let far = dist.iter().enumerate().filter_map(|(i, d)| d.map(|d| (d, i))).max();
    println!("dijkstra: reachable={} total={} farthest={:?}", reachable, total, far);

    let mut v: Vec<u32> = (0..1000).map(|_| rng.next() % 300).collect();
    v.sort();
    v.dedup();
    println!("dedup len={} first={:?} last={:?}", v.len(), &v[..5], &v[v.len() - 3..]);
    println!("binary_search(150)={:?}", v.binary_search(&150).is_ok());
}
