//! The mutation campaign's catalogue (`contracts/mutants.toml`): each
//! mutant one small edit of one rule of `contracts/src`, written as an
//! exact piece of source text and what replaces it.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Where the catalogue lives, from the repository root.
pub const CATALOGUE: &str = "contracts/mutants.toml";

/// One mutant: `find` (which occurs exactly once in `file`) replaced by
/// `replace`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mutant {
    /// A unique snake_case name saying what the mutant does wrong.
    pub name: String,
    /// The docs/spec.md section whose rule it breaks, e.g. `4.2`.
    pub section: String,
    /// The rule, in one sentence.
    pub rule: String,
    /// The source file, from the repository root.
    pub file: String,
    /// The exact source text the mutant changes.
    pub find: String,
    /// What it becomes.
    pub replace: String,
    /// Why no behaviour can differ, for a mutant no layer kills and that
    /// is argued equivalent (the report says so; a kill contradicts it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equivalent: Option<String>,
    /// Runs in the end-to-end suite's smoke test (one per spec section).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub smoke: bool,
}

impl Mutant {
    /// The spec's top-level section (`4` for `4.2`).
    pub fn chapter(&self) -> &str {
        self.section.split('.').next().unwrap_or(&self.section)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    mutant: Vec<Mutant>,
}

/// A catalogue that cannot be used as written.
#[derive(Debug, thiserror::Error)]
pub enum CatalogueError {
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path} is not a mutant catalogue: {source}")]
    Parse { path: PathBuf, source: Box<toml::de::Error> },
    #[error("two mutants are named {0}: names must be unique")]
    DuplicateName(String),
    #[error("mutant {name}: {file} does not exist")]
    NoSuchFile { name: String, file: String },
    #[error(
        "mutant {name}: its `find` text occurs {count} times in {file}, it must occur exactly \
         once (the source changed: update the catalogue)"
    )]
    NotUnique { name: String, file: String, count: usize },
    #[error("mutant {name}: `replace` equals `find`, which changes nothing")]
    NoChange { name: String },
    #[error("no mutant is named {0}")]
    Unknown(String),
}

/// The catalogue of the repository at `root`, checked against its sources:
/// names unique, every `find` text present exactly once.
pub fn load(root: &Path) -> Result<Vec<Mutant>, CatalogueError> {
    let path = root.join(CATALOGUE);
    let text = std::fs::read_to_string(&path)
        .map_err(|source| CatalogueError::Read { path: path.clone(), source })?;
    let file: File = toml::from_str(&text)
        .map_err(|source| CatalogueError::Parse { path, source: Box::new(source) })?;
    let mut names = std::collections::HashSet::new();
    for mutant in &file.mutant {
        if !names.insert(mutant.name.as_str()) {
            return Err(CatalogueError::DuplicateName(mutant.name.clone()));
        }
        mutant.apply_to(&source_of(root, mutant)?)?;
    }
    Ok(file.mutant)
}

/// Checks that every name in `names` is a mutant of `catalogue`.
pub fn check_names(catalogue: &[Mutant], names: &[String]) -> Result<(), CatalogueError> {
    match names.iter().find(|n| !catalogue.iter().any(|m| &m.name == *n)) {
        Some(unknown) => Err(CatalogueError::Unknown(unknown.clone())),
        None => Ok(()),
    }
}

fn source_of(root: &Path, mutant: &Mutant) -> Result<String, CatalogueError> {
    std::fs::read_to_string(root.join(&mutant.file)).map_err(|_| CatalogueError::NoSuchFile {
        name: mutant.name.clone(),
        file: mutant.file.clone(),
    })
}

impl Mutant {
    /// `source` (the text of [`Mutant::file`]) with the mutation applied.
    pub fn apply_to(&self, source: &str) -> Result<String, CatalogueError> {
        let count = source.matches(&self.find).count();
        if count != 1 {
            return Err(CatalogueError::NotUnique {
                name: self.name.clone(),
                file: self.file.clone(),
                count,
            });
        }
        if self.find == self.replace {
            return Err(CatalogueError::NoChange { name: self.name.clone() });
        }
        Ok(source.replacen(&self.find, &self.replace, 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo_root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
    }

    /// The committed catalogue applies to the committed sources: a change
    /// to `contracts/src` that moves a mutant's text fails here, not in a
    /// four-hour campaign.
    #[test]
    fn the_catalogue_applies_to_the_sources() {
        let catalogue = load(&repo_root()).unwrap_or_else(|e| panic!("{e}"));
        assert!(catalogue.len() >= 40, "the campaign asks for at least 40 mutants");
        for mutant in &catalogue {
            assert!(
                mutant.file.starts_with("contracts/src/"),
                "{}: not a contract source",
                mutant.name
            );
        }
    }

    /// Every top-level section of the spec with rules has a smoke mutant.
    #[test]
    fn each_spec_section_has_one_smoke_mutant() {
        let catalogue = load(&repo_root()).unwrap_or_else(|e| panic!("{e}"));
        let mut chapters: Vec<&str> = catalogue.iter().map(Mutant::chapter).collect();
        chapters.sort();
        chapters.dedup();
        for chapter in chapters {
            let smoke = catalogue.iter().filter(|m| m.smoke && m.chapter() == chapter).count();
            assert_eq!(smoke, 1, "spec section {chapter} needs exactly one smoke mutant");
        }
    }

    #[test]
    fn a_mutant_must_find_its_text_exactly_once() {
        let mutant = Mutant {
            name: "m".into(),
            section: "4.2".into(),
            rule: "r".into(),
            file: "f.cairo".into(),
            find: "a < b".into(),
            replace: "a <= b".into(),
            equivalent: None,
            smoke: false,
        };
        assert_eq!(mutant.apply_to("x; a < b; y").unwrap(), "x; a <= b; y");
        assert!(matches!(
            mutant.apply_to("a < b; a < b"),
            Err(CatalogueError::NotUnique { count: 2, .. })
        ));
        assert!(matches!(
            mutant.apply_to("nothing"),
            Err(CatalogueError::NotUnique { count: 0, .. })
        ));
    }
}
