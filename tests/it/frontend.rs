//! Runs the frontend's own tests as part of `cargo test`, so the README's one test command covers the
//! whole project: the unit tests (Vitest: the state reducer, the socket client's reconnect logic) and
//! the browser suite (playwright-core driving Debian's Chromium against the `samsyn` binary that Cargo
//! built for this run, so the UI under test is the one in `frontend/dist` now).
//! Without Node.js, or without Chromium for the browser suite, a test says so and passes, except
//! under CI, where a skip is a failure.

use crate::common::alone_blocking;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// Where the browser suite looks for Chromium (the harness takes `CHROMIUM_BIN` too).
const CHROMIUM: &str = "/usr/bin/chromium";

/// The packages the two suites need; a `node_modules` without one of them is installed afresh.
const NEEDED: [&str; 3] = ["vitest", "playwright-core", "axe-core"];

fn frontend() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("frontend")
}

fn in_ci() -> bool {
    std::env::var_os("CI").is_some()
}

fn npm_available() -> bool {
    Command::new("npm").arg("--version").output().map(|o| o.status.success()).unwrap_or(false)
}

/// `npm ci` (exact versions from the lock file) when `node_modules` lacks what the tests use.
fn install_if_needed(frontend: &Path) {
    if NEEDED.iter().all(|package| frontend.join("node_modules").join(package).exists()) {
        return;
    }
    let status = Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(frontend).status().unwrap();
    assert!(status.success(), "npm ci failed");
}

/// Runs `npm <args>` in `frontend/` and answers whether it passed, with everything it printed.
fn npm(frontend: &Path, args: &[&str], envs: &[(&str, &str)]) -> (bool, String) {
    let output = Command::new("npm").args(args).envs(envs.iter().copied()).current_dir(frontend).output().unwrap();
    let report = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    (output.status.success(), report)
}

#[test]
fn frontend_unit_tests_pass() {
    if !npm_available() {
        assert!(!in_ci(), "CI must run the frontend tests, but npm is not installed");
        eprintln!("SKIPPED: frontend unit tests need Node.js and npm, which are not installed");
        return;
    }
    let frontend = frontend();
    // One npm at a time: both tests may find `node_modules` missing and would race in `npm ci`, and the
    // browser suite's timing checks should not share the machine's two cores with Vitest or a heavy test.
    let _alone = alone_blocking();
    install_if_needed(&frontend);
    let (passed, report) = npm(&frontend, &["test", "--silent"], &[]);
    println!("{report}");
    assert!(passed, "frontend tests failed:\n{report}");
}

#[test]
fn browser_suite_passes() {
    if !npm_available() {
        assert!(!in_ci(), "CI must run the browser suite, but npm is not installed");
        eprintln!("SKIPPED: the browser suite needs Node.js and npm, which are not installed");
        return;
    }
    let chromium = std::env::var("CHROMIUM_BIN").unwrap_or_else(|_| CHROMIUM.to_string());
    if !Path::new(&chromium).exists() {
        assert!(
            !in_ci(),
            "CI must run the browser suite, but Chromium is not installed at {chromium} (apt-get install -y chromium)"
        );
        eprintln!(
            "SKIPPED: the browser suite needs Chromium at {chromium}, which is not installed \
             (apt-get install -y chromium); the other tests still ran"
        );
        return;
    }
    let frontend = frontend();
    // One npm at a time: both tests may find `node_modules` missing and would race in `npm ci`, and the
    // browser suite's timing checks should not share the machine's two cores with Vitest or a heavy test.
    let _alone = alone_blocking();
    install_if_needed(&frontend);
    let started = Instant::now();
    let (passed, report) = npm(&frontend, &["run", "e2e", "--silent"], &[("SAMSYN_BIN", env!("CARGO_BIN_EXE_samsyn"))]);
    println!("{report}\nbrowser suite: {:.0} s", started.elapsed().as_secs_f64());
    assert!(passed, "the browser suite failed (screenshots in frontend/test-results/):\n{report}");
}
