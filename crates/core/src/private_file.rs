//! Files that hold the commune's data or a device's keys — the data file, a backup, the hub's
//! database — are readable by their owner only (issue 14, point 8): on a PC shared by several
//! accounts, or a server, no other account may read the citizens' records or copy the keys.
//! On Windows the data live in the user's own profile (`%APPDATA%`), whose access list already
//! does this; there these functions change nothing.

use std::fs::File;
use std::io;
use std::path::Path;

/// Creates `path` (empty, owner read/write only) if it does not exist, so whatever then writes
/// into it — SQLite, `VACUUM INTO`, a copy — writes into a private file. SQLite gives a
/// database's WAL and journal files the database file's permissions.
///
/// An existing file is never opened here: SQLite's locks are the process's POSIX locks, and
/// closing any descriptor of the file drops them all — a second connection of the app opened
/// through here would leave the first unprotected, and another process could then remove the
/// write-ahead log under it.
pub fn create_private(path: &Path) -> io::Result<()> {
    if path.exists() {
        return Ok(());
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(_) => Ok(()),
        // Made meanwhile by another process: it is that one's to make private.
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// A new private file at `path` for writing (replacing one that is there).
pub fn create_new_private(path: &Path) -> io::Result<File> {
    let _ = std::fs::remove_file(path);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// Takes away group and other access from an existing file (one made by an older kehoach, or
/// copied in by hand).
pub fn make_private(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)?.permissions().mode();
        if mode & 0o077 != 0 {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode & 0o700))?;
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn mode(p: &Path) -> u32 {
        std::fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn new_files_are_the_owners_and_old_ones_become_so() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("kehoach.sqlite3");
        create_private(&a).unwrap();
        assert_eq!(mode(&a), 0o600);
        // Existing content is kept.
        std::fs::write(&a, b"data").unwrap();
        create_private(&a).unwrap();
        assert_eq!(std::fs::read(&a).unwrap(), b"data");
        let b = dir.path().join("cu.sqlite3");
        std::fs::write(&b, b"x").unwrap();
        std::fs::set_permissions(&b, std::fs::Permissions::from_mode(0o644)).unwrap();
        make_private(&b).unwrap();
        assert_eq!(mode(&b), 0o600);
        let c = dir.path().join("moi");
        std::fs::write(&c, b"old").unwrap();
        let mut f = create_new_private(&c).unwrap();
        std::io::Write::write_all(&mut f, b"new").unwrap();
        assert_eq!((mode(&c), std::fs::read(&c).unwrap()), (0o600, b"new".to_vec()));
    }
}
