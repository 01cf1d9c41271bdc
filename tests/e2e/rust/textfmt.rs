//! textfmt.rs: string formatting, iterators, closures and trait objects,
//! ending with std::process::exit(5).
//!
//! Exercises format width/precision/alignment/sign/radix flags, Debug and
//! Display derivations, iterator adaptors (map, filter, zip, windows, chunks,
//! flat_map, scan, take_while, rev, step_by), closures that capture by
//! reference, by mutable reference and by move, dynamic dispatch through
//! Box<dyn Trait>, and exit(5) with stdout flushed first (process::exit
//! does not run destructors).
//!
//! e2e-exit: 5

use std::fmt;
use std::io::Write;

#[derive(Debug, Clone, PartialEq)]
struct Point {
    x: i32,
    y: i32,
}

#[derive(Debug)]
enum Shape {
    Circle { r: f64 },
    Rect(f64, f64),
    Dot,
}

impl Shape {
    fn area(&self) -> f64 {
        match self {
            Shape::Circle { r } => 3.0 * r * r,
            Shape::Rect(w, h) => w * h,
            Shape::Dot => 0.0,
        }
    }
}

impl fmt::Display for Point {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "({}, {})", self.x, self.y)
    }
}

trait Animal {
    fn name(&self) -> String;
    fn speak(&self, times: usize) -> String;
}

struct Dog;
struct Cow {
    volume: usize,
}

impl Animal for Dog {
    fn name(&self) -> String {
        "dog".to_string()
    }
    fn speak(&self, times: usize) -> String {
        vec!["woof"; times].join("-")
    }
}

impl Animal for Cow {
    fn name(&self) -> String {
        format!("cow(vol {})", self.volume)
    }
    fn speak(&self, times: usize) -> String {
        format!("m{}", "o".repeat(times * self.volume))
    }
}

fn make_adder(k: i64) -> impl Fn(i64) -> i64 {
    move |x| x + k
}

fn compose<A, B, C>(f: impl Fn(A) -> B, g: impl Fn(B) -> C) -> impl Fn(A) -> C {
    move |x| g(f(x))
}

fn main() {
    println!("[{:>10}] [{:<10}] [{:^10}] [{:*^11}]", "right", "left", "mid", "star");
    println!("[{:+}] [{:+.3}] [{:08.2}] [{:>+9.1e}] [{:e}]", 42, 3.14159, -2.5, 123456.0, 0.00012);
    println!("[{:x}] [{:#X}] [{:#o}] [{:#b}] [{:#010x}]", 255, 255, 8, 5, 3054);
    println!("{} {} {} {}", f64::MAX, f64::MIN_POSITIVE, 1.0f64 / 3.0, 0.1f32 + 0.2f32);
    println!("{} {} {:?} {:?}", 1e21, 1e-7, 1.0f64, -0.0f64);
    println!("{} {}", u64::MAX, i128::MIN);

    let p = Point { x: 3, y: -4 };
    let shapes = vec![Shape::Circle { r: 1.5 }, Shape::Rect(2.0, 3.5), Shape::Dot];
    println!("{} {:?} {:#?}", p, p, shapes[0]);
    println!("{:?}", shapes);
    let areas: Vec<String> = shapes.iter().map(|s| format!("{:.2}", s.area())).collect();
    println!("areas (pi = 3): {}", areas.join(", "));
    let name = "width";
    let w = 7;
    println!("{name}={w:>w$}|", name = name, w = w);

    let v: Vec<i64> = (1..=20).collect();
    let squares: Vec<i64> = v.iter().map(|x| x * x).filter(|x| x % 3 != 0).collect();
    println!("squares not divisible by 3: {:?}", squares);
    let dot: i64 = v.iter().zip(v.iter().rev()).map(|(a, b)| a * b).sum();
    let windows: Vec<i64> = v.windows(3).map(|w| w.iter().product()).take(5).collect();
    let chunks: Vec<i64> = v.chunks(6).map(|c| c.iter().sum()).collect();
    println!("dot={} windows={:?} chunks={:?}", dot, windows, chunks);
    let running: Vec<i64> = v.iter().scan(0, |acc, &x| {
        *acc += x;
        Some(*acc)
    }).take_while(|&s| s < 100).collect();
    println!("running sums below 100: {:?}", running);
    let pairs: Vec<(i64, char)> = (1..4).flat_map(|i| "ab".chars().map(move |c| (i, c))).collect();
    println!("pairs={:?} stepped={:?}", pairs, (0..30).step_by(7).collect::<Vec<_>>());
    let words = "one two three four five six seven";
    let longest = words.split(' ').max_by_key(|w| w.len()).unwrap_or("");
    let caps: String = words.split(' ').map(|w| {
        let mut c = w.chars();
        match c.next() {
            Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
            None => String::new(),
        }
    }).collect::<Vec<_>>().join(" ");
    println!("longest={} caps={}", longest, caps);

    let mut counter = 0;
    let mut bump = |by: i32| {
        counter += by;
        counter
    };
    bump(5);
    bump(-2);
    println!("counter={}", counter);
    let add10 = make_adder(10);
    let times3_plus10 = compose(|x: i64| x * 3, add10);
    println!("compose(7)={}", times3_plus10(7));

    let zoo: Vec<Box<dyn Animal>> = vec![Box::new(Dog), Box::new(Cow { volume: 2 }), Box::new(Dog)];
    for (i, a) in zoo.iter().enumerate() {
        println!("{}: {} says {}", i, a.name(), a.speak(i + 1));
    }

    let s = String::from("Grüße, Jürgen! ÄÖÜ");
    println!("chars={} bytes={} upper={} lower={}", s.chars().count(), s.len(), s.to_uppercase(),
             s.to_lowercase());
    let rev: String = s.chars().rev().collect();
    println!("reversed={} find={:?} replace={}", rev, s.find('J'), s.replace("ü", "ue"));
    let parsed: Vec<Result<i32, String>> = ["12", "-7", "x9", "99999999999"].iter()
        .map(|t| t.parse::<i32>().map_err(|e| e.to_string()))
        .collect();
    println!("{:?}", parsed);

    eprintln!("exiting with status 5");
    std::io::stdout().flush().unwrap();
    std::process::exit(5);
}
