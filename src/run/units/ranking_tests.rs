use super::*;

fn digest(ruleset: &str, errors: usize, risk: f64, lost: &[(&str, Code, usize)]) -> Digest {
    let day = NaiveDate::from_ymd_opt(2022, 11, 30).unwrap();
    Digest {
        unit: None,
        ruleset_id: ruleset.into(),
        ruleset_title: "t".into(),
        as_of: day,
        summary: Summary {
            files: 3,
            errors,
            warnings: 0,
            infos: 0,
            waived: 0,
            points_at_risk: risk,
        },
        summary_json: serde_json::json!({}),
        score: None,
        criteria: lost
            .iter()
            .map(|(id, code, n)| CriterionDigest {
                id: id.to_string(),
                title: format!("title {id}"),
                status: Status::Failing,
                points_at_risk: 0.5,
                errors: BTreeMap::from([(*code, *n)]),
            })
            .collect(),
    }
}

fn unit(name: &str, d: Option<Digest>) -> UnitResult {
    UnitResult {
        name: name.into(),
        root: name.into(),
        outcome: match d {
            Some(d) => UnitOutcome::Checked(Box::new(d)),
            None => UnitOutcome::Failed("bad".into()),
        },
        report_file: None,
        report_link: None,
    }
}

#[test]
fn ranks_units_and_counts_common_losses() {
    let r = UnitsReport::new(vec![
        unit("c", None),
        unit(
            "b",
            Some(digest(
                "h",
                3,
                1.0,
                &[("1.2.1", Code::Due001, 2), ("2.4", Code::Evd001, 1)],
            )),
        ),
        unit(
            "a",
            Some(digest("h", 1, 0.5, &[("1.2.1", Code::Due001, 1)])),
        ),
        unit(
            "d",
            Some(digest("s", 1, 0.5, &[("1.2.1", Code::Due001, 1)])),
        ),
        unit("e", Some(digest("h", 0, 0.0, &[]))),
    ]);
    let names: Vec<&str> = r.units.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(names, ["e", "a", "d", "b", "c"]);
    assert_eq!(r.checked(), 4);
    assert!(!r.all_ready());
    assert_eq!(r.as_of, NaiveDate::from_ymd_opt(2022, 11, 30));
    let first = &r.common_losses[0];
    assert_eq!(
        (first.ruleset.as_str(), first.criterion.as_str()),
        ("h", "1.2.1")
    );
    assert_eq!(first.units, ["a", "b"]);
    assert_eq!(first.findings, vec![(Code::Due001, 2, 3)]);
    assert_eq!(first.points_at_risk, 1.0);
    // The other ruleset's 1.2.1 is another sub-criterion.
    assert_eq!(r.common_losses.len(), 3);
    assert!(r
        .common_losses
        .iter()
        .any(|l| l.ruleset == "s" && l.units == ["d"]));
}

#[test]
fn a_known_score_ranks_first() {
    let mut scored = digest("h", 5, 9.0, &[]);
    scored.score = Some(Score {
        estimated: 80.0,
        max: 100.0,
        not_estimated: vec![],
    });
    let r = UnitsReport::new(vec![
        unit("a", Some(digest("h", 0, 0.0, &[]))),
        unit("b", Some(scored)),
    ]);
    assert_eq!(r.units[0].name, "b");
    assert!(r.has_scores());
}
