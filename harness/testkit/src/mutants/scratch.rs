//! The scratch copy of the Cairo workspace a campaign mutates: one copy per
//! run (the repository is never touched), each mutant applied to it, built,
//! tested and restored. It lives under the cargo target folder, so scarb's
//! caches carry from one mutant to the next.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use super::catalogue::{CatalogueError, Mutant};

/// What scarb writes for the session account, from the workspace root.
const BUILT_CLASS: &str = "target/release/session_account_SessionAccount.contract_class.json";

/// A failure of the machinery (not a verdict on a mutant).
#[derive(Debug, thiserror::Error)]
pub enum ScratchError {
    #[error("{what}: {source}")]
    Io { what: String, source: std::io::Error },
    #[error(
        "`{0}` is not on PATH: the mutation campaign builds and tests the contract, which needs \
         the Cairo toolchain of .tool-versions (scarb, snforge; `source ../shared/toolchain/env.sh` \
         or starkup)"
    )]
    MissingTool(&'static str),
    #[error("the unmutated contract does not build in the scratch copy:\n{0}")]
    PristineBuild(String),
    #[error(transparent)]
    Catalogue(#[from] CatalogueError),
}

fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> ScratchError {
    let what = what.into();
    move |source| ScratchError::Io { what, source }
}

/// A copy of `Scarb.toml`, `Scarb.lock` and `contracts/`.
pub struct Scratch {
    root: PathBuf,
    /// The unmutated class, to tell a mutant the compiler folded away.
    pristine_class: Vec<u8>,
}

/// How building a mutant went.
pub enum Built {
    /// The class, at this path.
    Class(PathBuf),
    /// Byte for byte the unmutated class: the compiler folded the edit away.
    Identical,
    /// scarb refused it (the catalogue's fault): the end of its output.
    DoesNotCompile(String),
}

impl Scratch {
    /// Copies the workspace of the repository at `repo` to `dir` (emptied
    /// first) and builds the unmutated class there.
    pub fn create(repo: &Path, dir: &Path) -> Result<Self, ScratchError> {
        for tool in ["scarb", "snforge"] {
            if Command::new(tool).arg("--version").output().is_err() {
                return Err(ScratchError::MissingTool(tool));
            }
        }
        if dir.exists() {
            std::fs::remove_dir_all(dir).map_err(io(format!("emptying {}", dir.display())))?;
        }
        std::fs::create_dir_all(dir).map_err(io(format!("creating {}", dir.display())))?;
        for file in ["Scarb.toml", "Scarb.lock", ".tool-versions"] {
            std::fs::copy(repo.join(file), dir.join(file))
                .map_err(io(format!("copying {file}")))?;
        }
        copy_tree(&repo.join("contracts"), &dir.join("contracts"))?;
        let mut scratch = Self { root: dir.to_path_buf(), pristine_class: Vec::new() };
        match scratch.build()? {
            Ok(path) => {
                scratch.pristine_class =
                    std::fs::read(&path).map_err(io(format!("reading {}", path.display())))?;
                Ok(scratch)
            }
            Err(output) => Err(ScratchError::PristineBuild(output)),
        }
    }

    /// Applies `mutant`, builds the class, and leaves the mutant in place
    /// (for snforge) until [`Scratch::restore`].
    pub fn mutate(&self, mutant: &Mutant) -> Result<Built, ScratchError> {
        let path = self.root.join(&mutant.file);
        let source =
            std::fs::read_to_string(&path).map_err(io(format!("reading {}", path.display())))?;
        let mutated = mutant.apply_to(&source)?;
        std::fs::write(&path, mutated).map_err(io(format!("writing {}", path.display())))?;
        Ok(match self.build()? {
            Err(output) => Built::DoesNotCompile(output),
            Ok(class) => {
                let bytes =
                    std::fs::read(&class).map_err(io(format!("reading {}", class.display())))?;
                if bytes == self.pristine_class {
                    Built::Identical
                } else {
                    let kept = self.root.join("mutant.contract_class.json");
                    std::fs::write(&kept, bytes).map_err(io("keeping the mutant's class"))?;
                    Built::Class(kept)
                }
            }
        })
    }

    /// Puts `mutant`'s file back as the repository has it.
    pub fn restore(&self, repo: &Path, mutant: &Mutant) -> Result<(), ScratchError> {
        std::fs::copy(repo.join(&mutant.file), self.root.join(&mutant.file))
            .map_err(io(format!("restoring {}", mutant.file)))?;
        Ok(())
    }

    /// `scarb --release build` of the account: the class's path, or the
    /// end of scarb's output when it fails.
    fn build(&self) -> Result<Result<PathBuf, String>, ScratchError> {
        let output = Command::new("scarb")
            .args(["--release", "build", "--target-kinds", "starknet-contract"])
            .args(["--package", "session_account"])
            .current_dir(&self.root)
            .output()
            .map_err(io("running scarb"))?;
        if output.status.success() {
            Ok(Ok(self.root.join(BUILT_CLASS)))
        } else {
            Ok(Err(tail(&output.stdout, &output.stderr)))
        }
    }

    /// Runs `snforge test --exit-first` on the (mutated) contract: the
    /// first failing test, if any, and how long it took.
    pub fn snforge(&self) -> Result<(Option<String>, Duration), ScratchError> {
        let started = Instant::now();
        let output = Command::new("snforge")
            .args(["test", "--exit-first"])
            .current_dir(self.root.join("contracts"))
            .output()
            .map_err(io("running snforge"))?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        let failed = stdout
            .lines()
            .find_map(|line| line.trim().strip_prefix("[FAIL] "))
            .map(|test| test.trim().to_string());
        let verdict = match (output.status.success(), failed) {
            (true, _) => None,
            (false, Some(test)) => Some(test),
            // Failed without a failing test: the tests did not compile
            // against the mutant (a kill at compile time).
            (false, None) => {
                Some(format!("the tests do not compile: {}", tail(&output.stdout, &output.stderr)))
            }
        };
        Ok((verdict, started.elapsed()))
    }
}

/// The last lines of a tool's output, for a report.
fn tail(stdout: &[u8], stderr: &[u8]) -> String {
    let text = format!("{}{}", String::from_utf8_lossy(stdout), String::from_utf8_lossy(stderr));
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    lines[lines.len().saturating_sub(6)..].join("\n")
}

/// Copies `from` to `to`, leaving out build output and caches.
fn copy_tree(from: &Path, to: &Path) -> Result<(), ScratchError> {
    std::fs::create_dir_all(to).map_err(io(format!("creating {}", to.display())))?;
    let entries = std::fs::read_dir(from).map_err(io(format!("reading {}", from.display())))?;
    for entry in entries {
        let entry = entry.map_err(io(format!("reading {}", from.display())))?;
        let name = entry.file_name();
        if matches!(name.to_str(), Some("target" | ".snfoundry_cache")) {
            continue;
        }
        let (source, dest) = (entry.path(), to.join(&name));
        if entry.file_type().map_err(io(format!("reading {}", source.display())))?.is_dir() {
            copy_tree(&source, &dest)?;
        } else {
            std::fs::copy(&source, &dest).map_err(io(format!("copying {}", source.display())))?;
        }
    }
    Ok(())
}
