use super::*;

#[test]
fn parses_a_units_list_with_locations() {
    let base = Path::new("/p");
    let u = parse(
        "[[unit]]\nname = \"Huyện Đắk Glei\"\npath = \"dak-glei\"\nas_of = \"2022-11-30\"\n\n[[unit]]\nname = \"Sở Nội vụ\"\npath = \"/abs/snv\"\nrules = \"builtin:kon-tum-2022-huyen\"\n",
        "tlkc.units.toml",
        base,
    )
    .unwrap();
    assert_eq!(u.len(), 2);
    assert_eq!(u[0].path, Path::new("/p/dak-glei"));
    assert_eq!(u[0].as_of, NaiveDate::from_ymd_opt(2022, 11, 30));
    assert_eq!(u[1].path, Path::new("/abs/snv"));
    assert_eq!(u[1].rules.as_deref(), Some("builtin:kon-tum-2022-huyen"));

    let e = parse(
        "[[unit]]\nname = \"a\"\npath = \"a\"\nfolder = \"x\"\n",
        "f",
        base,
    )
    .unwrap_err()
    .to_string();
    assert!(e.starts_with("f:4:1:") && e.contains("folder"), "{e}");
    let e = parse(
        "[[unit]]\nname = \"a\"\npath = \"a\"\n[[unit]]\nname = \"a\"\npath = \"b\"\n",
        "f",
        base,
    )
    .unwrap_err()
    .to_string();
    assert!(e.starts_with("f:4:1:") && e.contains("twice"), "{e}");
    let e = parse(
        "[[unit]]\nname = \"a\"\npath = \"a\"\nas_of = \"30/11/2022\"\n",
        "f",
        base,
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("not a date"), "{e}");
}

#[test]
fn subfolders_are_units_and_hidden_ones_are_not() {
    let tmp = tempfile::tempdir().unwrap();
    for d in ["b", "a", ".tlkc"] {
        std::fs::create_dir(tmp.path().join(d)).unwrap();
    }
    std::fs::write(tmp.path().join("note.txt"), "x").unwrap();
    let u = units_of(tmp.path()).unwrap();
    let names: Vec<&str> = u.units.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(names, ["a", "b"]);
    assert!(u.skipped_links.is_empty());
    let empty = tempfile::tempdir().unwrap();
    assert!(matches!(units_of(empty.path()), Err(UnitsError::Empty(_))));
    assert!(matches!(
        units_of(&tmp.path().join("nope")),
        Err(UnitsError::NotAFolder(_))
    ));
}

#[cfg(unix)]
#[test]
fn linked_subfolders_are_skipped_unless_listed() {
    let tmp = tempfile::tempdir().unwrap();
    let parent = tmp.path().join("p");
    std::fs::create_dir_all(parent.join("a")).unwrap();
    std::fs::create_dir_all(tmp.path().join("outside")).unwrap();
    std::os::unix::fs::symlink(tmp.path().join("outside"), parent.join("l")).unwrap();
    std::os::unix::fs::symlink(parent.join("a"), parent.join("m")).unwrap();
    let u = units_of(&parent).unwrap();
    let names: Vec<&str> = u.units.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(names, ["a"]);
    assert_eq!(u.skipped_links, [parent.join("l"), parent.join("m")]);
    // Listed, a link is a unit, marked so that nothing is written there.
    std::fs::write(
        parent.join(FILE_NAME),
        "[[unit]]\nname = \"a\"\npath = \"a\"\n[[unit]]\nname = \"l\"\npath = \"./l\"\n",
    )
    .unwrap();
    let u = units_of(&parent).unwrap();
    let linked: Vec<(&str, bool)> = u
        .units
        .iter()
        .map(|u| (u.name.as_str(), u.linked))
        .collect();
    assert_eq!(linked, [("a", false), ("l", true)]);
}

#[test]
fn file_stems_are_safe_and_unique() {
    let mut taken = std::collections::BTreeSet::new();
    assert_eq!(file_stem("Huyện Đắk Glei", &mut taken), "Huyện Đắk Glei");
    assert_eq!(file_stem("a/b", &mut taken), "a-b");
    assert_eq!(file_stem("A-B", &mut taken), "A-B-2");
    assert_eq!(file_stem("..", &mut taken), "unit");
}
