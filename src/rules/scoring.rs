//! How a scorable unit turns into points: the scoring method of each
//! sub-criterion (`score = { method = "…", … }` in the ruleset) and the
//! optional grade bands of the framework. Validated here; computed by
//! `checks::score`.

use serde::{Deserialize, Serialize};

/// The formula that estimates a unit's points.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum Method {
    /// Full points unless findings put them at risk (the evidence check).
    Evidence,
    /// value / target × max, capped at max. Needs a `[metrics]` value.
    Ratio { target: f64 },
    /// The points of the highest band whose `min` the metric reaches; 0 below all.
    Bands { bands: Vec<Band> },
    /// (on time + late_weight × late) / total × max, from the task register.
    Tasks { late_weight: f64 },
    /// max − per_item × count, floored at 0. Needs a `[metrics]` count.
    PerItem { per_item: f64 },
    /// Only a person can judge: the score and its reason come from tlkc.toml `[manual]`.
    Manual,
}

impl Method {
    pub fn name(&self) -> &'static str {
        match self {
            Method::Evidence => "evidence",
            Method::Ratio { .. } => "ratio",
            Method::Bands { .. } => "bands",
            Method::Tasks { .. } => "tasks",
            Method::PerItem { .. } => "per_item",
            Method::Manual => "manual",
        }
    }

    /// Methods that read a `[metrics]` value.
    pub fn needs_metric(&self) -> bool {
        matches!(
            self,
            Method::Ratio { .. } | Method::Bands { .. } | Method::PerItem { .. }
        )
    }
}

/// One threshold of a `bands` method: a metric ≥ `min` earns `points`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    pub min: f64,
    pub points: f64,
}

/// A grade band of the whole index ("Xuất sắc" from 90 points).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grade {
    pub name: String,
    pub min: f64,
}

/// `score = { … }` as written in the ruleset.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScore {
    pub method: String,
    pub target: Option<f64>,
    pub bands: Option<Vec<Band>>,
    pub late_weight: Option<f64>,
    pub per_item: Option<f64>,
}

/// Turn a written `score` into a [`Method`], given whether the unit has
/// document rules. `None` picks the default: `evidence` for document rules,
/// `manual` for statistics (no formula known).
pub fn method(raw: Option<RawScore>, has_documents: bool, max: f64) -> Result<Method, String> {
    let Some(r) = raw else {
        return Ok(if has_documents {
            Method::Evidence
        } else {
            Method::Manual
        });
    };
    let extra = |allowed: &[&str]| -> Result<(), String> {
        let given = [
            ("target", r.target.is_some()),
            ("bands", r.bands.is_some()),
            ("late_weight", r.late_weight.is_some()),
            ("per_item", r.per_item.is_some()),
        ];
        match given.iter().find(|(k, g)| *g && !allowed.contains(k)) {
            Some((k, _)) => Err(format!(
                "score.method = \"{}\" does not take `{k}`",
                r.method
            )),
            None => Ok(()),
        }
    };
    let positive = |name: &str, v: Option<f64>| -> Result<f64, String> {
        match v {
            Some(x) if x.is_finite() && x > 0.0 => Ok(x),
            Some(x) => Err(format!("score.{name} must be a positive number, not {x}")),
            None => Err(format!("score.method = \"{}\" needs `{name}`", r.method)),
        }
    };
    let m = match r.method.as_str() {
        "evidence" => {
            extra(&[])?;
            Method::Evidence
        }
        "ratio" => {
            extra(&["target"])?;
            Method::Ratio {
                target: positive("target", r.target)?,
            }
        }
        "bands" => {
            extra(&["bands"])?;
            Method::Bands {
                bands: bands(r.bands.unwrap_or_default(), max)?,
            }
        }
        "tasks" => {
            extra(&["late_weight"])?;
            let w = r.late_weight.unwrap_or(0.5);
            if !(0.0..=1.0).contains(&w) {
                return Err(format!("score.late_weight {w} must be between 0 and 1"));
            }
            Method::Tasks { late_weight: w }
        }
        "per_item" => {
            extra(&["per_item"])?;
            Method::PerItem {
                per_item: positive("per_item", r.per_item)?,
            }
        }
        "manual" => {
            extra(&[])?;
            Method::Manual
        }
        other => {
            return Err(format!(
                "score.method = \"{other}\"; expected evidence, ratio, bands, tasks, per_item or manual"
            ))
        }
    };
    match (&m, has_documents) {
        (Method::Evidence, false) => {
            Err("score.method = \"evidence\" needs [[…document]] rules".into())
        }
        (Method::Evidence | Method::Manual, _) | (_, false) => Ok(m),
        (_, true) => Err(format!(
            "score.method = \"{}\" is scored from data, not documents: drop the [[…document]] rules or use \"evidence\"",
            m.name()
        )),
    }
}

fn bands(mut b: Vec<Band>, max: f64) -> Result<Vec<Band>, String> {
    if b.is_empty() {
        return Err("score.method = \"bands\" needs at least one { min, points }".into());
    }
    for band in &b {
        if !band.min.is_finite() || !band.points.is_finite() || band.points < 0.0 {
            return Err("score.bands: min and points must be numbers, points ≥ 0".into());
        }
        if band.points > max + 1e-9 {
            return Err(format!(
                "score.bands: {} points exceed the maximum {max}",
                band.points
            ));
        }
    }
    b.sort_by(|x, y| y.min.total_cmp(&x.min));
    if b.windows(2).any(|w| w[0].min == w[1].min) {
        return Err("score.bands: a threshold is listed twice".into());
    }
    Ok(b)
}

/// Validate `[[framework.grade]]`: names given, thresholds distinct; sorted high to low.
pub fn grades(mut g: Vec<Grade>) -> Result<Vec<Grade>, String> {
    if g.iter()
        .any(|x| x.name.trim().is_empty() || !x.min.is_finite())
    {
        return Err("framework.grade: each needs a name and a numeric min".into());
    }
    g.sort_by(|x, y| y.min.total_cmp(&x.min));
    if g.windows(2).any(|w| w[0].min == w[1].min) {
        return Err("framework.grade: a threshold is listed twice".into());
    }
    Ok(g)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(method: &str) -> RawScore {
        RawScore {
            method: method.into(),
            target: None,
            bands: None,
            late_weight: None,
            per_item: None,
        }
    }

    #[test]
    fn defaults_follow_the_evidence_kind() {
        assert_eq!(method(None, true, 1.0), Ok(Method::Evidence));
        assert_eq!(method(None, false, 1.0), Ok(Method::Manual));
        assert_eq!(
            method(Some(raw("tasks")), false, 4.0),
            Ok(Method::Tasks { late_weight: 0.5 })
        );
    }

    #[test]
    fn rejects_missing_stray_and_out_of_range_parameters() {
        let e = method(Some(raw("ratio")), false, 1.0).unwrap_err();
        assert!(e.contains("needs `target`"), "{e}");
        let mut r = raw("manual");
        r.target = Some(100.0);
        assert!(method(Some(r), false, 1.0).unwrap_err().contains("target"));
        let mut r = raw("tasks");
        r.late_weight = Some(1.5);
        assert!(method(Some(r), false, 1.0).is_err());
        assert!(method(Some(raw("evidence")), false, 1.0).is_err());
        let mut r = raw("ratio");
        r.target = Some(100.0);
        assert!(method(Some(r), true, 1.0).is_err());
        assert!(method(Some(raw("guess")), false, 1.0).is_err());
    }

    #[test]
    fn bands_are_sorted_and_checked() {
        let mut r = raw("bands");
        r.bands = Some(vec![
            Band {
                min: 90.0,
                points: 1.0,
            },
            Band {
                min: 100.0,
                points: 2.0,
            },
        ]);
        let Ok(Method::Bands { bands }) = method(Some(r), false, 2.0) else {
            panic!("bands");
        };
        assert_eq!(bands[0].min, 100.0);
        let mut r = raw("bands");
        r.bands = Some(vec![Band {
            min: 90.0,
            points: 3.0,
        }]);
        assert!(method(Some(r), false, 2.0).is_err());
    }
}
