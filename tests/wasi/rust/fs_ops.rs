// fs_ops.rs: Rust's std::fs on the preopened ".", which goes through the
// path_* functions: create, write, read, metadata, rename, remove,
// create_dir_all, remove_dir, hard_link and read_link, and the sandbox as
// std sees it: escapes fail with PermissionDenied (WASI EPERM). Symlinks are
// made with the path_symlink import itself: std::os::wasi::fs::symlink_path
// is unstable (feature wasi_ext) in this toolchain.
//
// wasi-options: --dir .
// wasi-compile: --allow-unknown-imports
// wasi-setup: ln -s ../outside/secret.txt escape_link
// wasi-check: test "$(cat ../outside/secret.txt)" = secret
// wasi-check: test "$(cat kept.txt)" = "kept by rust"
// wasi-check: test ! -e a

use std::fs;
use std::io::{ErrorKind, Read, Write};

#[link(wasm_import_module = "wasi_snapshot_preview1")]
extern "C" {
    #[link_name = "path_symlink"]
    fn wasi_path_symlink(old: *const u8, old_len: usize, fd: u32, new: *const u8, new_len: usize)
        -> u16;
}

/// path_symlink on the preopened "." (fd 3): `link` will hold `target`.
fn symlink_path(target: &str, link: &str) -> Result<(), u16> {
    let err = unsafe { wasi_path_symlink(target.as_ptr(), target.len(), 3, link.as_ptr(), link.len()) };
    if err == 0 { Ok(()) } else { Err(err) }
}

/// The file's text, read with plain reads: std's read_to_string asks
/// fd_filestat_get for a size hint, which is not this test's business.
fn read_text(path: &str) -> std::io::Result<String> {
    let mut f = fs::File::open(path)?;
    let mut out = Vec::new();
    let mut chunk = [0u8; 64];
    loop {
        let n = f.read(&mut chunk)?;
        if n == 0 {
            break;
        }
        out.extend_from_slice(&chunk[..n]);
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

fn exists(path: &str) -> bool {
    fs::symlink_metadata(path).is_ok()
}

static mut FAILED: u32 = 0;
static mut PASSED: u32 = 0;

fn check(ok: bool, what: &str, line: u32) {
    // Single-threaded test program: the counters are only touched here.
    unsafe {
        if ok {
            PASSED += 1;
        } else {
            FAILED += 1;
            println!("FAIL fs_ops.rs:{}: {}", line, what);
        }
    }
}

macro_rules! check {
    ($cond:expr) => {
        check($cond, stringify!($cond), line!())
    };
}

fn main() {
    // Create, write, read back.
    {
        let mut f = fs::File::create("new.txt").expect("create");
        f.write_all(b"hello from rust\n").expect("write");
    }
    check!(read_text("new.txt").ok().as_deref() == Some("hello from rust\n"));

    // Metadata through path_filestat_get.
    let md = fs::metadata("new.txt").expect("metadata");
    check!(md.is_file() && md.len() == 16);
    check!(fs::metadata(".").map(|m| m.is_dir()).unwrap_or(false));
    check!(fs::metadata("absent").map_err(|e| e.kind()).err() == Some(ErrorKind::NotFound));

    // Rename and remove.
    fs::rename("new.txt", "renamed.txt").expect("rename");
    check!(!exists("new.txt"));
    check!(exists("renamed.txt"));
    fs::remove_file("renamed.txt").expect("remove_file");
    check!(!exists("renamed.txt"));
    check!(fs::remove_file("renamed.txt").map_err(|e| e.kind()).err() == Some(ErrorKind::NotFound));

    // Directories.
    fs::create_dir_all("a/b/c").expect("create_dir_all");
    check!(fs::metadata("a/b/c").map(|m| m.is_dir()).unwrap_or(false));
    check!(fs::create_dir("a").map_err(|e| e.kind()).err() == Some(ErrorKind::AlreadyExists));
    fs::write("a/b/c/f.txt", "x").expect("write in a/b/c");
    check!(fs::remove_dir("a/b/c").is_err());
    fs::hard_link("a/b/c/f.txt", "a/hard.txt").expect("hard_link");
    check!(read_text("a/hard.txt").ok().as_deref() == Some("x"));

    // Symlinks: created, read, followed, removed.
    symlink_path("b/c/f.txt", "a/soft").expect("symlink_path");
    check!(fs::read_link("a/soft").ok() == Some("b/c/f.txt".into()));
    check!(fs::symlink_metadata("a/soft").map(|m| m.file_type().is_symlink()).unwrap_or(false));
    check!(read_text("a/soft").ok().as_deref() == Some("x"));
    check!(symlink_path("/etc/passwd", "a/abs") == Err(63)); // ERRNO_PERM

    // Clean up with the single-item calls (remove_dir_all needs fd_readdir).
    for f in ["a/soft", "a/hard.txt", "a/b/c/f.txt"] {
        fs::remove_file(f).expect("remove");
    }
    for d in ["a/b/c", "a/b", "a"] {
        fs::remove_dir(d).expect("remove_dir");
    }

    // The sandbox: nothing outside is read, written or created.
    let denied = |r: std::io::Result<()>| r.map_err(|e| e.kind()).err() == Some(ErrorKind::PermissionDenied);
    check!(denied(read_text("../outside/secret.txt").map(|_| ())));
    check!(denied(read_text("escape_link").map(|_| ())));
    check!(denied(fs::write("../outside/planted", "x")));
    check!(denied(fs::create_dir("../outside/planted_dir")));
    check!(denied(fs::metadata("escape_link").map(|_| ())));
    check!(fs::symlink_metadata("escape_link").map(|m| m.file_type().is_symlink()).unwrap_or(false));
    check!(fs::read_link("escape_link").ok() == Some("../outside/secret.txt".into()));

    fs::write("kept.txt", "kept by rust").expect("write kept.txt");
    let (passed, failed) = unsafe { (PASSED, FAILED) };
    println!("{} passed, {} failed", passed, failed);
    std::process::exit(if failed == 0 { 0 } else { 1 });
}
