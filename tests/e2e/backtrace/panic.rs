// panic.rs: a Rust panic two calls below main, for tests/e2e/backtrace_dwarf.py: built with -g,
// its trap's backtrace must show the demangled names of inner and outer and their source lines
// (each PANIC / CALL comment marks the line the backtrace must name).
#[inline(never)]
fn inner(v: &[u32], i: usize) -> u32 {
    v[i] * 2 // PANIC-inner
}

#[inline(never)]
fn outer(v: &[u32], i: usize) -> u32 {
    inner(v, i) + 1 // CALL-outer
}

fn main() {
    let v: Vec<u32> = (0..4).collect();
    let i = std::env::args().count() + 7;
    std::process::exit(outer(&v, i) as i32); // CALL-main
}
