//! numeric.rs: integer and float arithmetic in Rust's defined semantics.
//!
//! Checked, wrapping, saturating and overflowing operations on every integer
//! width (wasm32 has no native 128-bit type, so u128/i128 are lowered to
//! pairs of i64), leading/trailing zeros and popcounts, float-to-int `as`
//! casts, which saturate and map NaN to 0 (wasm's trunc_sat), f64 total
//! ordering, and a small fixed-point Mandelbrot rendered as text.

fn collatz_len(mut n: u64) -> u32 {
    let mut steps = 0;
    while n != 1 {
        n = if n % 2 == 0 { n / 2 } else { 3 * n + 1 };
        steps += 1;
    }
    steps
}

fn mandelbrot() {
    for row in 0..12 {
        let line: String = (0..48)
            .map(|col| {
                let c_re = -2.2 + f64::from(col) * 0.0625;
                let c_im = -1.2 + f64::from(row) * 0.2;
                let (mut x, mut y, mut i) = (0.0f64, 0.0f64, 0);
                while i < 50 && x * x + y * y <= 4.0 {
                    let t = x * x - y * y + c_re;
                    y = 2.0 * x * y + c_im;
                    x = t;
                    i += 1;
                }
                b" .:-=+*#%@"[(i % 10) as usize] as char
            })
            .collect();
        println!("{}", line);
    }
}

fn main() {
    let a: i32 = i32::MAX;
    println!("checked: {:?} {:?} {:?} {:?}", a.checked_add(1), a.checked_mul(2),
             i32::MIN.checked_div(-1), 7i32.checked_rem(0));
    println!("wrapping: {} {} {} {}", a.wrapping_add(1), i32::MIN.wrapping_div(-1),
             (-7i32).wrapping_rem(3), 200u8.wrapping_mul(3));
    println!("saturating: {} {} {} {}", a.saturating_add(5), i64::MIN.saturating_sub(1),
             250u8.saturating_add(10), (-100i8).saturating_mul(2));
    println!("overflowing: {:?} {:?}", u32::MAX.overflowing_add(2), i16::MIN.overflowing_neg());
    println!("euclid: {} {} {} {}", (-7i32).div_euclid(2), (-7i32).rem_euclid(2),
             7i64.div_euclid(-2), (-7i64) / 2);
    println!("pow: {} {:?} {}", 3u64.pow(40), 2u32.checked_pow(32), (-2i64).pow(63));

    let x: u64 = 0x00F0_0000_0000_1000;
    println!("bits: lz={} tz={} ones={} swap={:#x} rev={:#x} rotl={:#x}", x.leading_zeros(),
             x.trailing_zeros(), x.count_ones(), x.swap_bytes(), x.reverse_bits(),
             x.rotate_left(12));
    println!("bits32: {} {} {}", 1u32.leading_zeros(), 0u32.trailing_zeros(),
             (-1i32).count_ones());

    let big: u128 = u128::from(u64::MAX) * u128::from(u64::MAX);
    let fact: u128 = (1..=34u128).product();
    println!("u128: {} {:#x} 34!={}", big, big, fact);
    println!("i128: {} {}", i128::MIN / 7, (i128::MAX % 1_000_000_007) as i64);
    let h = (1..=1000u128).fold(0u128, |acc, i| acc.wrapping_mul(6364136223846793005).wrapping_add(i));
    println!("u128 lcg={:x} shifted={:x}", h, h >> 67);

    let floats = [f64::NAN, f64::INFINITY, -f64::INFINITY, 3.99, -3.99, 1e20, -1e20, 255.5, -0.0];
    let casts: Vec<String> = floats
        .iter()
        .map(|&f| format!("{}/{}/{}/{}", f as i32, f as u8, f as i64, f as u32))
        .collect();
    println!("as casts: {}", casts.join(" "));
    let mut sorted = vec![2.5f64, -0.0, 0.0, -1.5, 1e-300, f64::INFINITY, -7.0];
    sorted.sort_by(|a, b| a.total_cmp(b));
    println!("total order: {:?}", sorted);
    println!("float ops: {} {} {} {} {}", 2.0f64.sqrt(), (0.1f64 + 0.2).to_bits(),
             f32::from_bits(0x4049_0fdb), 1.5f64.mul_add(2.0, 0.25), (-8.5f64).abs().floor());
    println!("rounding: {} {} {} {} {}", 2.5f64.round(), (-2.5f64).round(), 2.5f64.trunc(),
             (-2.5f64).ceil(), 7.0f64.rem_euclid(-3.0));

    let (best, len) = (1..30000u64).map(|n| (n, collatz_len(n))).max_by_key(|&(_, l)| l).unwrap();
    println!("longest collatz below 30000: {} with {} steps", best, len);
    mandelbrot();
}
