//! Running the OCR engine as a child program that can never hold the run:
//! a deadline (and the file's budget) on every wait, output read on threads
//! while it comes and kept only up to a bound, and on Unix a process group of
//! its own, so that a wrapper script's grandchildren are killed with it.
//!
//! Process groups and the wait that leaves the child unreaped use rustix (safe
//! wrappers over killpg/waitid, already built for clap), not hand-written
//! `unsafe` libc calls. On Windows the analogue would be a Job object; there
//! the child alone is killed.

use std::io::{Read, Write};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::inspect::budget::Budget;

/// How often the wait looks at the child and the budget.
const POLL: Duration = Duration::from_millis(10);
/// How long output still open after the child ended is waited for (a
/// process that left the group may hold the pipe): then it is given up.
const DRAIN_GRACE: Duration = Duration::from_secs(2);

/// Standard input for the child, written from a thread while it runs.
pub struct Input {
    pub parts: Vec<Box<dyn AsRef<[u8]> + Send>>,
}

/// How much of each output stream is kept; the rest is read and dropped, so
/// the child never blocks on a full pipe.
#[derive(Debug, Clone, Copy)]
pub struct Bounds {
    /// Bytes of stdout kept (from the start).
    pub stdout: usize,
    /// Bytes of stderr kept (the last ones: errors come at the end).
    pub stderr: usize,
}

#[derive(Debug)]
pub struct Finished {
    pub status: ExitStatus,
    pub stdout: Vec<u8>,
    /// Stdout was longer than kept.
    pub stdout_cut: bool,
    pub stderr: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
pub enum ChildError {
    #[error("cannot start: {0}")]
    Spawn(std::io::Error),
    #[error("did not finish within {} ms", .0.as_millis())]
    Timeout(Duration),
    #[error("stopped: the file's time budget ran out")]
    Stopped,
    #[error("cannot wait for it: {0}")]
    Wait(std::io::Error),
    #[error("its output stayed open after it ended")]
    OutputOpen,
}

/// Run `cmd` to its end, or kill it (with its process group) at `timeout` or
/// when `budget` is over. stdin gets `input` (or nothing).
pub fn run(
    mut cmd: Command,
    input: Option<Input>,
    bounds: Bounds,
    timeout: Duration,
    budget: Option<&Budget>,
) -> Result<Finished, ChildError> {
    let started = Instant::now();
    cmd.stdin(if input.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    })
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    own_group(&mut cmd);
    let mut child = cmd.spawn().map_err(ChildError::Spawn)?;
    if let (Some(input), Some(mut stdin)) = (input, child.stdin.take()) {
        // Detached: it ends when the child's end of the pipe closes (EPIPE).
        std::thread::spawn(move || {
            for part in &input.parts {
                if stdin.write_all((**part).as_ref()).is_err() {
                    break;
                }
            }
        });
    }
    let stdout = child
        .stdout
        .take()
        .map(|s| drain(s, bounds.stdout, Keep::Head));
    let stderr = child
        .stderr
        .take()
        .map(|s| drain(s, bounds.stderr, Keep::Tail));
    let ended = loop {
        match exited(&mut child) {
            Ok(true) => break None,
            Ok(false) => {}
            Err(e) => break Some(ChildError::Wait(e)),
        }
        if started.elapsed() >= timeout {
            break Some(ChildError::Timeout(timeout));
        }
        if budget.is_some_and(Budget::is_over) {
            break Some(ChildError::Stopped);
        }
        std::thread::sleep(POLL);
    };
    // Whatever happened, nothing the child started may outlive it.
    kill_all(&mut child);
    let status = child.wait().map_err(ChildError::Wait)?;
    if let Some(e) = ended {
        return Err(e);
    }
    let collect = |rx: Option<mpsc::Receiver<(Vec<u8>, bool)>>| match rx {
        None => Ok((Vec::new(), false)),
        Some(rx) => rx
            .recv_timeout(DRAIN_GRACE)
            .map_err(|_| ChildError::OutputOpen),
    };
    let (stdout, stdout_cut) = collect(stdout)?;
    let (stderr, _) = collect(stderr).unwrap_or_default();
    Ok(Finished {
        status,
        stdout,
        stdout_cut,
        stderr,
    })
}

#[derive(Clone, Copy)]
enum Keep {
    Head,
    Tail,
}

/// Read `from` to its end on a thread, keeping `max` bytes; the result
/// (bytes kept, whether some were dropped) arrives on the channel.
fn drain(
    mut from: impl Read + Send + 'static,
    max: usize,
    keep: Keep,
) -> mpsc::Receiver<(Vec<u8>, bool)> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut kept = Vec::new();
        let mut cut = false;
        let mut buf = [0u8; 16 * 1024];
        loop {
            match from.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    kept.extend_from_slice(&buf[..n]);
                    if kept.len() > max {
                        cut = true;
                        match keep {
                            Keep::Head => kept.truncate(max),
                            Keep::Tail => {
                                let extra = kept.len() - max;
                                kept.drain(..extra);
                            }
                        }
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => break,
            }
        }
        let _ = tx.send((kept, cut));
    });
    rx
}

#[cfg(unix)]
fn own_group(cmd: &mut Command) {
    use std::os::unix::process::CommandExt;
    cmd.process_group(0);
}

#[cfg(not(unix))]
fn own_group(_cmd: &mut Command) {}

/// The child has ended. On Unix it is left unreaped (a zombie keeps its pid,
/// which is also its group's id, from being reused before the group is killed).
#[cfg(unix)]
fn exited(child: &mut Child) -> std::io::Result<bool> {
    use rustix::process::{waitid, Pid, WaitId, WaitIdOptions};
    let pid = Pid::from_child(child);
    let options = WaitIdOptions::EXITED | WaitIdOptions::NOHANG | WaitIdOptions::NOWAIT;
    Ok(waitid(WaitId::Pid(pid), options)?.is_some())
}

#[cfg(not(unix))]
fn exited(child: &mut Child) -> std::io::Result<bool> {
    Ok(child.try_wait()?.is_some())
}

/// Kill the child and every process of its group (a wrapper's grandchildren).
#[cfg(unix)]
fn kill_all(child: &mut Child) {
    use rustix::process::{kill_process_group, Pid, Signal};
    // The group may be gone already (ESRCH): nothing is left to kill.
    let _ = kill_process_group(Pid::from_child(child), Signal::KILL);
    let _ = child.kill();
}

/// Windows: the child alone (a Job object would take its children too).
#[cfg(not(unix))]
fn kill_all(child: &mut Child) {
    let _ = child.kill();
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn sh(script: &str) -> Command {
        let mut c = Command::new("sh");
        c.args(["-c", script]);
        c
    }

    const SMALL: Bounds = Bounds {
        stdout: 1024,
        stderr: 1024,
    };

    #[test]
    fn output_is_kept_up_to_its_bound_and_the_rest_drained() {
        // 1 MB on each stream: a child that is not drained would block on the pipe.
        let script = "head -c 1000000 /dev/zero; head -c 1000000 /dev/zero >&2; echo done >&2";
        let t = Instant::now();
        let f = run(sh(script), None, SMALL, Duration::from_secs(20), None).unwrap();
        assert!(f.status.success());
        assert_eq!(f.stdout.len(), 1024);
        assert!(f.stdout_cut);
        assert!(f.stderr.ends_with(b"done\n"), "the tail of stderr is kept");
        assert!(t.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn a_hanging_child_is_killed_at_the_deadline() {
        let t = Instant::now();
        let e = run(
            sh("sleep 30"),
            None,
            SMALL,
            Duration::from_millis(300),
            None,
        )
        .unwrap_err();
        assert!(matches!(e, ChildError::Timeout(_)), "{e}");
        assert!(t.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn a_grandchild_left_behind_is_killed_and_the_output_read() {
        // The wrapper answers and ends; what it started in the background still
        // holds stdout, which would keep the output open for ten minutes.
        let t = Instant::now();
        let f = run(
            sh("echo read; sleep 600 & exit 0"),
            None,
            SMALL,
            Duration::from_secs(60),
            None,
        )
        .unwrap();
        assert_eq!(f.stdout, b"read\n");
        assert!(t.elapsed() < Duration::from_secs(10), "{:?}", t.elapsed());
    }

    #[test]
    fn a_cancelled_budget_stops_the_wait() {
        let budget = Budget::new(Duration::from_secs(60));
        budget.cancel();
        let e = run(
            sh("sleep 30"),
            None,
            SMALL,
            Duration::from_secs(60),
            Some(&budget),
        )
        .unwrap_err();
        assert!(matches!(e, ChildError::Stopped), "{e}");
    }

    #[test]
    fn input_is_written_while_the_child_reads() {
        let input = Input {
            parts: vec![Box::new(b"P5\n".to_vec()), Box::new(vec![7u8; 3_000_000])],
        };
        let f = run(
            sh("wc -c"),
            Some(input),
            SMALL,
            Duration::from_secs(20),
            None,
        )
        .unwrap();
        assert_eq!(String::from_utf8_lossy(&f.stdout).trim(), "3000003");
    }
}
