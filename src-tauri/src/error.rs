//! The one place where the crates' errors become the contract's [`CommandError`]: each error
//! enum says which [`ErrorKind`] the screens see, the message stays the crate's own Vietnamese
//! text. (A trait rather than `From` impls: both the error enums and `CommandError` belong to
//! other crates, so Rust's orphan rule forbids `impl From<CoreError> for CommandError` here.)

use kehoach_core::CoreError;
use kehoach_model::contract::{CommandError, ErrorKind};
use kehoach_sync::update::UpdateError;
use kehoach_sync::SyncError;

/// An error that knows which kind of failure it is for the screens.
pub(crate) trait Classify: std::fmt::Display {
    fn kind(&self) -> ErrorKind;
}

/// Any crate's error as the screens receive it.
pub(crate) fn fail<E: Classify>(e: E) -> CommandError {
    CommandError::new(e.kind(), e.to_string())
}

impl Classify for CommandError {
    fn kind(&self) -> ErrorKind {
        self.kind
    }
}

impl Classify for CoreError {
    fn kind(&self) -> ErrorKind {
        match self {
            CoreError::Db(_) | CoreError::Migration(_) => ErrorKind::Internal,
            CoreError::Open { .. } | CoreError::InUse { .. } => ErrorKind::NotOpen,
            CoreError::TooNew { .. } => ErrorKind::Unreadable,
            CoreError::NotFound { .. } => ErrorKind::NotFound,
            CoreError::Invalid(_) => ErrorKind::Invalid,
            CoreError::BadOp(_) => ErrorKind::Refused,
            #[allow(unreachable_patterns)]
            _ => ErrorKind::Internal,
        }
    }
}

impl Classify for SyncError {
    fn kind(&self) -> ErrorKind {
        use SyncError as E;
        match self {
            E::Core(e) => e.kind(),
            E::Update(e) => e.kind(),
            E::Io(_) => ErrorKind::Io,
            E::Corrupt(_)
            | E::UnsupportedVersion { .. }
            | E::WrongKind { .. }
            | E::NotABackup(_)
            | E::BackupDamaged(_)
            | E::BackupTooNew => ErrorKind::Unreadable,
            E::UntrustedDevice { .. } => ErrorKind::Untrusted,
            E::InviteNeedsPassphrase | E::BackupNeedsPassphrase => ErrorKind::NeedsPassphrase,
            E::InvitePassphraseTooShort(_) | E::BackupPassphraseTooShort(_) | E::BadRecipient(_) => ErrorKind::Invalid,
            E::Hub(_) => ErrorKind::Unreachable,
            E::Encrypt(_) => ErrorKind::Internal,
            // Tampered or forged files, replays, other communes, revoked devices, used or
            // expired invitations, wrong passphrases, the hub's refusals.
            _ => ErrorKind::Refused,
        }
    }
}

impl Classify for UpdateError {
    fn kind(&self) -> ErrorKind {
        match self {
            UpdateError::Io(..) => ErrorKind::Io,
            UpdateError::NotAnUpdate(_) => ErrorKind::Unreadable,
            _ => ErrorKind::Refused,
        }
    }
}

impl Classify for kehoach_sign::SignError {
    fn kind(&self) -> ErrorKind {
        use kehoach_sign::SignError as E;
        match self {
            E::NoToken | E::Module { .. } | E::TsaUrl { .. } | E::Timestamp { .. } => ErrorKind::Unreachable,
            E::BadPdf(_) | E::NotKehoachReport => ErrorKind::Unreadable,
            E::ManyTokens(_) => ErrorKind::Invalid,
            E::TooLarge(_) | E::Crypto(_) => ErrorKind::Internal,
            // Wrong password or PIN, a locked token, a certificate out of its validity…
            _ => ErrorKind::Refused,
        }
    }
}

impl Classify for kehoach_sign::SignReportError {
    fn kind(&self) -> ErrorKind {
        use kehoach_sign::SignReportError as E;
        match self {
            E::Core(e) => e.kind(),
            E::Render(e) => e.kind(),
            E::Sign(e) => e.kind(),
            E::Io { .. } => ErrorKind::Io,
        }
    }
}

impl Classify for kehoach_import::ImportError {
    fn kind(&self) -> ErrorKind {
        match self {
            kehoach_import::ImportError::Unreadable { .. } => ErrorKind::Io,
            _ => ErrorKind::Unreadable,
        }
    }
}

impl Classify for kehoach_report::RenderError {
    fn kind(&self) -> ErrorKind {
        ErrorKind::Invalid
    }
}

impl Classify for kehoach_preview::PreviewError {
    fn kind(&self) -> ErrorKind {
        ErrorKind::Internal
    }
}

/// `kehoach_cli::flow`'s errors: the crate's own error inside when there is one, else the
/// flow's refusal of what the officer chose.
impl Classify for anyhow::Error {
    fn kind(&self) -> ErrorKind {
        if let Some(e) = self.downcast_ref::<SyncError>() {
            return e.kind();
        }
        if let Some(e) = self.downcast_ref::<CoreError>() {
            return e.kind();
        }
        ErrorKind::Invalid
    }
}

/// A background task that died (a panic in `spawn_blocking`).
impl Classify for tauri::Error {
    fn kind(&self) -> ErrorKind {
        ErrorKind::Internal
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_untrusted_sender_is_told_apart_from_other_refusals() {
        let untrusted = SyncError::UntrustedDevice { device: uuid::Uuid::nil(), fingerprint: "ab:cd".into() };
        let e = fail(untrusted);
        assert_eq!(e.kind, ErrorKind::Untrusted);
        assert!(e.message.contains("chưa được tin cậy"), "{}", e.message);
        assert_eq!(fail(SyncError::Replayed(uuid::Uuid::nil())).kind, ErrorKind::Refused);
        assert_eq!(fail(SyncError::Core(CoreError::invalid("x"))).kind, ErrorKind::Invalid);
        assert_eq!(fail(SyncError::BackupNeedsPassphrase).kind, ErrorKind::NeedsPassphrase);
    }
}
