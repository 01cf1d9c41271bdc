// prog.rs: the Rust program of tests/e2e/debug_gdb.py (gdb on a -g build); the test finds its
// lines by the markers in the comments.
fn cube(v: u64) -> u64 {
    let c = v * v * v; // line: cube-body
    c
}

fn main() {
    let mut total = 0;
    for i in 0..4 {
        total += cube(i); // line: call
    }
    println!("total {}", total);
}
