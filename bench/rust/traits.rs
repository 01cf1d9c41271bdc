//! traits.rs: dynamic dispatch through trait objects: a scene of boxed shapes (Vec<Box<dyn
//! Shape>>) measured and transformed each step, and an expression tree of Box<dyn Expr> nodes
//! evaluated and printed through Display; prints checksums. `quick` as the first argument: fewer
//! steps.
use std::fmt;

trait Shape {
    fn area(&self) -> f64;
    fn perimeter(&self) -> f64;
    fn scale(&mut self, k: f64);
    fn name(&self) -> &'static str;
}

struct Circle(f64);
struct Rect(f64, f64);
struct Triangle(f64, f64, f64);

impl Shape for Circle {
    fn area(&self) -> f64 { 3.141592653589793 * self.0 * self.0 }
    fn perimeter(&self) -> f64 { 2.0 * 3.141592653589793 * self.0 }
    fn scale(&mut self, k: f64) { self.0 *= k; }
    fn name(&self) -> &'static str { "circle" }
}

impl Shape for Rect {
    fn area(&self) -> f64 { self.0 * self.1 }
    fn perimeter(&self) -> f64 { 2.0 * (self.0 + self.1) }
    fn scale(&mut self, k: f64) { self.0 *= k; self.1 *= k; }
    fn name(&self) -> &'static str { "rect" }
}

impl Shape for Triangle {
    fn area(&self) -> f64 {
        let s = (self.0 + self.1 + self.2) / 2.0;
        (s * (s - self.0) * (s - self.1) * (s - self.2)).sqrt()
    }
    fn perimeter(&self) -> f64 { self.0 + self.1 + self.2 }
    fn scale(&mut self, k: f64) { self.0 *= k; self.1 *= k; self.2 *= k; }
    fn name(&self) -> &'static str { "triangle" }
}

trait Expr: fmt::Display {
    fn eval(&self, x: i64) -> i64;
}

struct Var;
struct Const(i64);
struct Add(Box<dyn Expr>, Box<dyn Expr>);
struct Mul(Box<dyn Expr>, Box<dyn Expr>);
struct Xor(Box<dyn Expr>, Box<dyn Expr>);

impl Expr for Var { fn eval(&self, x: i64) -> i64 { x } }
impl Expr for Const { fn eval(&self, _: i64) -> i64 { self.0 } }
impl Expr for Add { fn eval(&self, x: i64) -> i64 { self.0.eval(x).wrapping_add(self.1.eval(x)) } }
impl Expr for Mul { fn eval(&self, x: i64) -> i64 { self.0.eval(x).wrapping_mul(self.1.eval(x)) } }
impl Expr for Xor { fn eval(&self, x: i64) -> i64 { self.0.eval(x) ^ self.1.eval(x) } }
impl fmt::Display for Var { fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result { write!(f, "x") } }
impl fmt::Display for Const { fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result { write!(f, "{}", self.0) } }
impl fmt::Display for Add { fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result { write!(f, "({} + {})", self.0, self.1) } }
impl fmt::Display for Mul { fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result { write!(f, "({} * {})", self.0, self.1) } }
impl fmt::Display for Xor { fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result { write!(f, "({} ^ {})", self.0, self.1) } }

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn build(rng: &mut Rng, depth: u32) -> Box<dyn Expr> {
    if depth == 0 {
        return if rng.next() % 2 == 0 { Box::new(Var) } else { Box::new(Const((rng.next() % 100) as i64)) };
    }
    let (l, r) = (build(rng, depth - 1), build(rng, depth - 1));
    match rng.next() % 3 {
        0 => Box::new(Add(l, r)),
        1 => Box::new(Mul(l, r)),
        _ => Box::new(Xor(l, r)),
    }
}

fn main() {
    let quick = std::env::args().nth(1).map_or(false, |a| a == "quick");
    let steps = if quick { 20 } else { 1200 };
    let mut rng = Rng(0x9e3779b97f4a7c15);
    let mut shapes: Vec<Box<dyn Shape>> = Vec::new();
    for i in 0..20_000 {
        let a = 1.0 + (rng.next() % 1000) as f64 / 100.0;
        shapes.push(match i % 3 {
            0 => Box::new(Circle(a)),
            1 => Box::new(Rect(a, a / 2.0 + 1.0)),
            _ => Box::new(Triangle(a, a, a * 1.5)),
        });
    }
    let mut area_sum = 0.0;
    let mut per_sum = 0.0;
    let mut circles = 0usize;
    for step in 0..steps {
        for s in shapes.iter_mut() {
            area_sum += s.area();
            per_sum += s.perimeter();
            s.scale(if step % 2 == 0 { 1.001 } else { 0.999 });
            if s.name() == "circle" {
                circles += 1;
            }
        }
    }
    println!("shapes area={:.6e} perimeter={:.6e} circles={}", area_sum, per_sum, circles);
    let mut hash = 0xcbf29ce484222325u64;
    let mut value_sum = 0i64;
    for _ in 0..steps / 4 {
        let e = build(&mut rng, 10);
        for x in 0..200 {
            value_sum = value_sum.wrapping_add(e.eval(x));
        }
        for b in format!("{}", e).bytes() {
            hash = (hash ^ b as u64).wrapping_mul(0x100000001b3);
        }
    }
    println!("traits steps={} values={} text={:016x}", steps, value_sum, hash);
}
