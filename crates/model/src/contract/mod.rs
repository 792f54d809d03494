//! The one contract between the screens (ui/) and the desktop shell (src-tauri/): for every
//! Tauri command, its name, its request (the command's arguments) and its answer, plus the one
//! error every command returns. Both sides compile against these types, so a renamed field or
//! a changed answer breaks the build instead of a screen at run time.
//!
//! The wire shape: the UI invokes `C::NAME` with `{ "req": <C as JSON> }`, and the shell's
//! command takes a single `req: C` argument.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

mod backup;
mod devices;
mod plans;
mod reports;
mod rollup;
mod settings;
mod sync;
mod tracking;
mod update;
mod upstream;

pub use backup::*;
pub use devices::*;
pub use plans::*;
pub use reports::*;
pub use rollup::*;
pub use settings::*;
pub use sync::*;
pub use tracking::*;
pub use update::*;
pub use upstream::*;

/// A request to the shell: the command it goes to and what it answers.
pub trait Command: Serialize + DeserializeOwned {
    /// The Tauri command's name, as registered in the shell's `generate_handler!`.
    const NAME: &'static str;
    type Answer: Serialize + DeserializeOwned;
}

/// The name of the single argument every command takes.
pub const REQUEST_ARG: &str = "req";

/// What went wrong, for the screen to act on (the message says it to the officer).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The input is not valid (a field left blank, a date that cannot be read); nothing changed.
    Invalid,
    /// The record asked for does not exist (any more).
    NotFound,
    /// A file or a device this PC does not trust yet: the officer may accept it after comparing
    /// its fingerprint.
    Untrusted,
    /// The file is protected by a passphrase that was not given.
    NeedsPassphrase,
    /// Refused by a rule (a forged or replayed file, a revoked device, a wrong passphrase…).
    Refused,
    /// A file that is damaged, not of the expected kind, or from a newer kehoach.
    Unreadable,
    /// The sync hub (or another service) could not be reached.
    Unreachable,
    /// Reading or writing a file failed.
    Io,
    /// The data file is not open (see the rescue screen).
    NotOpen,
    /// A fault of the program itself (a poisoned lock, a database error).
    Internal,
}

/// The error every command returns: its kind, and the message for the officer (Vietnamese).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommandError {
    pub kind: ErrorKind,
    pub message: String,
}

impl CommandError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> CommandError {
        CommandError { kind, message: message.into() }
    }
    pub fn invalid(message: impl Into<String>) -> CommandError {
        CommandError::new(ErrorKind::Invalid, message)
    }
    pub fn not_found(message: impl Into<String>) -> CommandError {
        CommandError::new(ErrorKind::NotFound, message)
    }
    pub fn refused(message: impl Into<String>) -> CommandError {
        CommandError::new(ErrorKind::Refused, message)
    }
    pub fn io(message: impl Into<String>) -> CommandError {
        CommandError::new(ErrorKind::Io, message)
    }
    pub fn internal(message: impl Into<String>) -> CommandError {
        CommandError::new(ErrorKind::Internal, message)
    }
}

impl std::fmt::Display for CommandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CommandError {}

/// The screens show errors as their message.
impl From<CommandError> for String {
    fn from(e: CommandError) -> String {
        e.message
    }
}

/// Declares request structs (the fields are the command's arguments) and their [`Command`]
/// impls, and lists each area's `(type, command name)` pairs for the tests.
macro_rules! commands {
    ($(
        $(#[$meta:meta])*
        $req:ident = $name:literal { $($(#[$fmeta:meta])* $field:ident : $ty:ty),* $(,)? } -> $answer:ty;
    )*) => {
        $(
            $(#[$meta])*
            #[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
            pub struct $req { $($(#[$fmeta])* pub $field: $ty,)* }

            impl $crate::contract::Command for $req {
                const NAME: &'static str = $name;
                type Answer = $answer;
            }
        )*

        /// This area's requests: `(type name, command name)`.
        pub(super) const COMMANDS: &[(&str, &str)] = &[$((stringify!($req), $name)),*];
    };
}
pub(crate) use commands;

/// Every command of the contract: `(request type, command name)`. The shell's test holds this
/// equal to its `generate_handler!` list.
pub fn all() -> Vec<(&'static str, &'static str)> {
    [
        backup::COMMANDS,
        devices::COMMANDS,
        plans::COMMANDS,
        reports::COMMANDS,
        rollup::COMMANDS,
        settings::COMMANDS,
        sync::COMMANDS,
        tracking::COMMANDS,
        update::COMMANDS,
        upstream::COMMANDS,
    ]
    .concat()
}

/// `PlanDetail` → `plan_detail`: the rule that ties a request type to its command's name.
pub fn snake_case(type_name: &str) -> String {
    let mut out = String::new();
    for (i, c) in type_name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_request_type_is_named_after_its_command_and_no_name_is_used_twice() {
        let all = all();
        for (ty, name) in &all {
            assert_eq!(&snake_case(ty), name, "request type {ty} for command {name}");
        }
        let mut names: Vec<_> = all.iter().map(|(_, n)| *n).collect();
        names.sort();
        let before = names.len();
        names.dedup();
        assert_eq!(names.len(), before, "a command name is declared twice");
    }

    #[test]
    fn an_error_crosses_as_kind_and_message() {
        let e = CommandError::new(ErrorKind::Untrusted, "Thiết bị gửi chưa được tin cậy");
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json, serde_json::json!({ "kind": "untrusted", "message": "Thiết bị gửi chưa được tin cậy" }));
        assert_eq!(serde_json::from_value::<CommandError>(json).unwrap(), e);
    }
}
