#[test]
fn dump() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/real-vn");
    let eng = tlkc::inspect::ocr::Tesseract::detect().unwrap();
    let lim = tlkc::inspect::Limits::default();
    for f in std::env::var("FILES").unwrap().split(',') {
        let doc = lopdf::Document::load(dir.join(f)).unwrap();
        let loc = match tlkc::inspect::ocr::images::locate(&doc, &lim) { Ok(l) => l, Err(e) => { println!("{f}: {e}"); continue } };
        let g = tlkc::inspect::ocr::images::decode(&doc, &loc, &lim).unwrap().top(0.5).scaled(1.5);
        std::fs::write(format!("/tmp/ocr15-{}.pgm", f.replace('/', "_")), g.to_pgm()).unwrap();
        let lines = eng.recognise(g.to_pgm(), 300, std::time::Duration::from_secs(30)).unwrap();
        println!("=== {f}");
        for l in lines { println!("{:5.1} {:5.1} | {}", l.confidence, l.min_confidence, l.words.iter().map(|(w,c)| format!("{w}[{c:.0}]")).collect::<Vec<_>>().join(" ")); }
    }
}
