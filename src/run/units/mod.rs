//! `--units`: every unit of a province checked as a run of its own
//! ([`super::check`], with its tlkc.toml, index and ledger) on a bounded
//! pool of workers (one per core). Each unit's result goes to a callback
//! as soon as it is done — the caller writes the unit's report there and
//! keeps what it needs (a [`ranking::Digest`]) — so memory holds at most
//! one full report per worker.
//!
//! Three things, three places: [`list`] says which folders are units,
//! this module checks them, [`ranking`] is what is kept and combined
//! (rendered by `report::units`).

pub(crate) mod list;
pub(crate) mod ranking;

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use super::RunError;
use super::{check, CheckInput, CheckOptions, CheckRun, IndexChoice, Notice, RulesChoice};
use list::UnitSpec;

/// What every unit shares (`base`, whose `folder` is replaced by each
/// unit's) and where the units are.
#[derive(Debug, Clone)]
pub struct UnitsOptions {
    pub parent: PathBuf,
    pub base: CheckOptions,
}

/// The check options of one unit: the caller's, else what tlkc.units.toml
/// sets for it (its `rules` relative to PARENT, its `as_of`). A unit
/// reached through a symbolic link is checked without its index, so
/// nothing is written where the link points.
pub fn unit_options(spec: &UnitSpec, opts: &UnitsOptions) -> CheckOptions {
    let mut o = opts.base.clone();
    o.folder = spec.path.clone();
    if let (RulesChoice::FromConfig, Some(r)) = (&o.rules, &spec.rules) {
        let candidate = opts.parent.join(r);
        o.rules = RulesChoice::File(if candidate.exists() {
            candidate
        } else {
            PathBuf::from(r)
        });
    }
    o.as_of = o.as_of.or(spec.as_of);
    if spec.linked {
        o.index = IndexChoice::None;
    }
    o
}

/// Check one unit: resolve its options, then check it. Notices of the
/// resolution come first in the run's.
pub fn check_unit(spec: &UnitSpec, opts: &UnitsOptions) -> Result<CheckRun, RunError> {
    let input = CheckInput::resolve(&unit_options(spec, opts))?;
    let mut run = check(&input, &|_| {})?;
    run.notices.splice(0..0, input.notices);
    Ok(run)
}

/// One unit done: its place in `specs`, and its run or why it could not be checked.
pub struct UnitDone<'a> {
    pub index: usize,
    pub spec: &'a UnitSpec,
    pub run: Result<CheckRun, RunError>,
}

/// Check `specs` on as many workers as the inspection pool has threads,
/// handing each result to `on_unit` as it comes (from a worker thread);
/// what `on_unit` keeps is returned in the order of `specs`. An error of
/// `on_unit` (say, a report that cannot be written) stops the run once
/// the units under way are done. OCR is looked for once for all units.
pub fn check_units<T: Send, E: Send>(
    opts: &UnitsOptions,
    specs: &[UnitSpec],
    on_unit: &(dyn Fn(UnitDone) -> Result<T, E> + Sync),
) -> Result<(Vec<T>, Option<Notice>), E> {
    let (ocr, missing) = opts.base.ocr.resolve();
    let mut shared = opts.clone();
    shared.base.ocr = super::OcrChoice::Use(ocr);
    let workers = rayon::current_num_threads().clamp(1, specs.len().max(1));
    let next = AtomicUsize::new(0);
    let slots: Mutex<Vec<Option<Result<T, E>>>> =
        Mutex::new((0..specs.len()).map(|_| None).collect());
    let stop = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| loop {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(spec) = specs.get(i) else { break };
                let run = check_unit(spec, &shared);
                let kept = on_unit(UnitDone {
                    index: i,
                    spec,
                    run,
                });
                if kept.is_err() {
                    stop.store(true, Ordering::Relaxed);
                }
                slots.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(kept);
            });
        }
    });
    let mut out = Vec::with_capacity(specs.len());
    for slot in slots.into_inner().unwrap_or_else(|e| e.into_inner()) {
        match slot {
            Some(r) => out.push(r?),
            // Left when another unit's callback failed: that error is returned.
            None => continue,
        }
    }
    Ok((out, missing))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_unit_reaches_the_callback_and_results_keep_the_list_order() {
        let tmp = tempfile::tempdir().unwrap();
        let parent = tmp.path();
        for name in ["b", "a", "c"] {
            std::fs::create_dir_all(parent.join(name)).unwrap();
            std::fs::write(parent.join(name).join("x.txt"), name).unwrap();
        }
        std::fs::write(
            parent.join(list::FILE_NAME),
            "[[unit]]\nname = \"b\"\npath = \"b\"\n[[unit]]\nname = \"gone\"\npath = \"gone\"\n[[unit]]\nname = \"a\"\npath = \"a\"\nas_of = \"2022-03-01\"\n",
        )
        .unwrap();
        let specs = list::units_of(parent).unwrap().units;
        let now = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2022, 12, 31, 3, 0, 0)
            .single()
            .unwrap();
        let mut base = CheckOptions::new(parent, now);
        base.ocr = super::super::OcrChoice::Off;
        base.index = IndexChoice::None;
        let opts = UnitsOptions {
            parent: parent.to_path_buf(),
            base,
        };
        let seen = Mutex::new(Vec::new());
        let (kept, ocr) = check_units(&opts, &specs, &|done: UnitDone| {
            seen.lock().unwrap().push(done.index);
            Ok::<_, ()>(match done.run {
                Ok(run) => format!("{} {}", done.spec.name, run.report.as_of),
                Err(e) => format!("{} failed: {e}", done.spec.name),
            })
        })
        .unwrap();
        assert!(ocr.is_none());
        let mut seen = seen.into_inner().unwrap();
        seen.sort();
        assert_eq!(seen, [0, 1, 2]);
        assert_eq!(kept[0], "b 2022-12-31");
        assert!(kept[1].starts_with("gone failed:") && kept[1].contains("does not exist"));
        assert_eq!(kept[2], "a 2022-03-01");
        // A callback that fails stops the run with its error.
        let r = check_units(&opts, &specs, &|done: UnitDone| {
            if done.spec.name == "a" {
                Err("cannot write")
            } else {
                Ok(())
            }
        });
        assert_eq!(r.unwrap_err(), "cannot write");
    }
}
