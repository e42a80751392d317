//! Replays every committed fuzz corpus input (`fuzz/corpus/differential/`) through the
//! differential target's body on stable, so the corpus (and any crash added to it) is a
//! regression test even where cargo-fuzz is not installed.

use std::path::Path;

#[test]
fn every_corpus_input_matches_btreemap() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus/differential");
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("readable entry").path())
        .collect();
    inputs.sort();
    assert!(
        inputs.len() >= 20,
        "expected the committed corpus in {}, found {} files",
        dir.display(),
        inputs.len()
    );
    for path in inputs {
        let data = std::fs::read(&path).expect("readable input");
        if let Err(difference) = masstree_harden::differential::run(&data) {
            panic!("{}: {difference}", path.display());
        }
    }
}
