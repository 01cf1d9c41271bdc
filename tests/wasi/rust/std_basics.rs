// std_basics.rs: what a Rust program sees through std on wasmaot's WASI:
// its arguments, only the environment it was granted, clocks, sleeping
// (poll_oneoff), stdin, and files and directory listings in the granted
// working directory.
//
// wasi-options: --dir . --env GREETING=hi
// wasi-args: first 'sec ond'
// wasi-stdin: a line from stdin
// wasi-setup: mkdir listed && touch listed/one listed/two listed/three
// wasi-check: test "$(cat written.txt)" = "written by rust"
use std::io::BufRead;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

struct Checks {
    passed: u32,
    failed: u32,
}

impl Checks {
    fn check(&mut self, ok: bool, what: &str) {
        if ok {
            self.passed += 1;
        } else {
            self.failed += 1;
            println!("FAIL {}", what);
        }
    }
}

fn main() {
    let mut c = Checks { passed: 0, failed: 0 };

    let args: Vec<String> = std::env::args().skip(1).collect();
    c.check(args == ["first", "sec ond"], &format!("args {:?}", args));

    // Least privilege: exactly the one variable granted.
    let vars: Vec<(String, String)> = std::env::vars().collect();
    c.check(vars == [("GREETING".to_string(), "hi".to_string())], &format!("env {:?}", vars));

    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    c.check(now.as_secs() > 1_600_000_000, "realtime clock after 2020");
    let start = Instant::now();
    std::thread::sleep(Duration::from_millis(50));
    let slept = start.elapsed();
    c.check(slept >= Duration::from_millis(50), &format!("slept {:?}, asked 50 ms", slept));
    c.check(slept < Duration::from_secs(2), &format!("slept {:?}, asked 50 ms", slept));

    let mut line = String::new();
    let n = std::io::stdin().lock().read_line(&mut line).unwrap_or(0);
    c.check(n > 0 && line == "a line from stdin\n", &format!("stdin line {:?}", line));

    c.check(std::fs::write("written.txt", "written by rust").is_ok(), "fs::write");
    let back = std::fs::read_to_string("written.txt").unwrap_or_default();
    c.check(back == "written by rust", &format!("read back {:?}", back));
    let meta = std::fs::metadata("written.txt");
    c.check(meta.map(|m| m.len() == 15 && m.is_file()).unwrap_or(false), "metadata of written.txt");

    let mut names: Vec<String> = match std::fs::read_dir("listed") {
        Ok(dir) => dir.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect(),
        Err(e) => {
            c.check(false, &format!("read_dir: {}", e));
            Vec::new()
        }
    };
    names.sort();
    c.check(names == ["one", "three", "two"], &format!("read_dir {:?}", names));

    // Outside the grant: nothing, whatever the spelling.
    c.check(std::fs::read_to_string("../outside/secret.txt").is_err(), "read ../outside/secret.txt");
    c.check(std::fs::read_to_string("/etc/passwd").is_err(), "read /etc/passwd");

    println!("{} passed, {} failed", c.passed, c.failed);
    std::process::exit(if c.failed == 0 { 0 } else { 1 });
}
