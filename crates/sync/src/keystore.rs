//! The device's private keys at rest (issue 14, point 8).
//!
//! The keys live in the data file, as local settings. Where the operating system offers a
//! keystore they are kept there encrypted by it: on Windows with DPAPI, bound to the officer's
//! Windows account, so a copy of the data file (or of a daily backup) taken to another machine
//! or another account holds nothing that signs or decrypts. The stored form is then
//! `dpapi:<hex>`; a plain value (older data files, Linux) is sealed the first time the keys are
//! used on Windows.
//!
//! Linux offers no keystore that works without a desktop session's keyring daemon, which a
//! commune PC's kehoach cannot count on; there the keys stay in the data file, which is private
//! to the user (0600), and backups without a passphrase leave them out (see `backup`).

use crate::error::{Result, SyncError};

/// The prefix of a key sealed with Windows DPAPI.
const DPAPI: &str = "dpapi:";

/// How this machine keeps private keys: `"dpapi"` or `"none"`.
pub fn protection() -> &'static str {
    if cfg!(windows) {
        "dpapi"
    } else {
        "none"
    }
}

/// Whether a stored value is sealed by a keystore (and so no secret by itself).
pub(crate) fn is_sealed(stored: &str) -> bool {
    stored.starts_with(DPAPI)
}

/// The form to store `secret` in: sealed where the OS can, the secret itself otherwise.
pub(crate) fn seal(secret: &str) -> Result<String> {
    #[cfg(windows)]
    {
        let blob = dpapi::protect(secret.as_bytes())
            .map_err(|e| SyncError::Corrupt(format!("Windows không mã hóa được khóa của thiết bị: {e}")))?;
        Ok(format!("{DPAPI}{}", hex::encode(blob)))
    }
    #[cfg(not(windows))]
    Ok(secret.to_string())
}

/// The secret a stored value holds. A value sealed by another Windows account or machine (a
/// data file copied from elsewhere) cannot be opened: that is the point.
pub(crate) fn open(stored: &str) -> Result<String> {
    let Some(sealed) = stored.strip_prefix(DPAPI) else { return Ok(stored.to_string()) };
    let unreadable = || {
        SyncError::Corrupt(
            "khóa của thiết bị được mã hóa bởi tài khoản Windows khác hoặc máy khác, không mở được ở đây".into(),
        )
    };
    let blob = hex::decode(sealed.trim()).map_err(|_| unreadable())?;
    #[cfg(windows)]
    {
        let plain = dpapi::unprotect(&blob).map_err(|_| unreadable())?;
        String::from_utf8(plain).map_err(|_| unreadable())
    }
    #[cfg(not(windows))]
    {
        let _ = blob;
        Err(unreadable())
    }
}

#[cfg(windows)]
mod dpapi {
    //! CryptProtectData / CryptUnprotectData for the current user, without any prompt.
    use windows_sys::Win32::Foundation::LocalFree;
    use windows_sys::Win32::Security::Cryptography::{
        CryptProtectData, CryptUnprotectData, CRYPTPROTECT_UI_FORBIDDEN, CRYPT_INTEGER_BLOB,
    };

    /// Ties the sealed keys to kehoach: another program of the same account calling DPAPI
    /// without it cannot open them by accident.
    const ENTROPY: &[u8] = b"kehoach device keys v1";

    fn blob(b: &[u8]) -> CRYPT_INTEGER_BLOB {
        CRYPT_INTEGER_BLOB { cbData: b.len() as u32, pbData: b.as_ptr() as *mut u8 }
    }

    fn take(out: CRYPT_INTEGER_BLOB) -> Vec<u8> {
        // SAFETY: on success the API hands over `cbData` bytes at `pbData`, allocated with
        // LocalAlloc, which we copy and free once.
        unsafe {
            let v = std::slice::from_raw_parts(out.pbData, out.cbData as usize).to_vec();
            LocalFree(out.pbData as _);
            v
        }
    }

    /// Runs one of the two calls on `data` with kehoach's entropy and hands back its output.
    fn call(
        data: &[u8],
        f: impl FnOnce(&CRYPT_INTEGER_BLOB, &CRYPT_INTEGER_BLOB, &mut CRYPT_INTEGER_BLOB) -> i32,
    ) -> std::io::Result<Vec<u8>> {
        let (input, entropy) = (blob(data), blob(ENTROPY));
        let mut out = CRYPT_INTEGER_BLOB { cbData: 0, pbData: std::ptr::null_mut() };
        if f(&input, &entropy, &mut out) == 0 {
            return Err(std::io::Error::last_os_error());
        }
        Ok(take(out))
    }

    pub fn protect(data: &[u8]) -> std::io::Result<Vec<u8>> {
        // SAFETY: every pointer is valid for the call; the description is optional (null).
        call(data, |input, entropy, out| unsafe {
            CryptProtectData(
                input,
                std::ptr::null(),
                entropy,
                std::ptr::null(),
                std::ptr::null(),
                CRYPTPROTECT_UI_FORBIDDEN,
                out,
            )
        })
    }

    pub fn unprotect(data: &[u8]) -> std::io::Result<Vec<u8>> {
        // SAFETY: as above; the description out-parameter is not asked for.
        call(data, |input, entropy, out| unsafe {
            CryptUnprotectData(
                input,
                std::ptr::null_mut(),
                entropy,
                std::ptr::null(),
                std::ptr::null(),
                CRYPTPROTECT_UI_FORBIDDEN,
                out,
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_sealed_here_opens_here_and_a_foreign_seal_is_refused() {
        let stored = seal("a1b2c3").unwrap();
        assert_eq!(open(&stored).unwrap(), "a1b2c3");
        assert_eq!(is_sealed(&stored), cfg!(windows));
        // A plain value (an older data file) reads as itself.
        assert_eq!(open("a1b2c3").unwrap(), "a1b2c3");
        // Sealed elsewhere: refused with a message, never read as a key.
        let err = open("dpapi:01000000d08c9ddf0115d1118c7a00c04fc297eb").unwrap_err();
        assert!(err.to_string().contains("không mở được"), "{err}");
    }
}
