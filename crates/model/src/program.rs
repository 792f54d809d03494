//! Which version of kehoach a PC runs: compared when an update is offered (only a newer one is
//! installed) and when the district looks at its communes (which still run an old one).

use serde::{Deserialize, Serialize};

/// The version of kehoach one PC of a commune runs, as that PC last said when it synced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PcProgram {
    pub device: uuid::Uuid,
    /// The officer named on that PC, when named.
    #[serde(default)]
    pub user: Option<String>,
    pub version: String,
    /// `windows-x64`, `linux-amd64`.
    #[serde(default)]
    pub platform: Option<String>,
}

/// True when `version` is a version number (1.2.3, as Cargo writes them) older than `than`.
/// Anything that is not a version number is neither older nor newer.
pub fn is_older_version(version: &str, than: &str) -> bool {
    match (semver::Version::parse(version.trim()), semver::Version::parse(than.trim())) {
        (Ok(a), Ok(b)) => a < b,
        _ => false,
    }
}

/// True when `version` is a version number at all.
pub fn is_version(version: &str) -> bool {
    semver::Version::parse(version.trim()).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_by_number_not_by_text() {
        assert!(is_older_version("0.9.3", "0.10.0"));
        assert!(is_older_version("0.1.0", "0.1.1"));
        assert!(!is_older_version("0.2.0", "0.2.0"));
        assert!(!is_older_version("1.0.0", "0.9.9"));
        // A pre-release comes before its release.
        assert!(is_older_version("1.0.0-rc.1", "1.0.0"));
        // Not versions: never flagged.
        assert!(!is_older_version("cũ", "0.2.0"));
        assert!(!is_older_version("0.2", "0.3.0"));
        assert!(!is_version("1.2"));
        assert!(is_version("1.2.3"));
    }
}
