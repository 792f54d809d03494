//! `kehoach update`: checking a signed update (from the province hub's download or a USB stick)
//! before it is installed, and signing the installers for a release.

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::Subcommand;
use kehoach_sync::update;

#[derive(Subcommand)]
pub enum UpdateCmd {
    /// Check an update: the installer, or its `.kehoach-update.json` beside it. Says whether it
    /// is signed by kehoach's release key, whole, for this PC and newer than this version.
    Check {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Sign an installer with the release key (its secret, hex, in the environment variable
    /// named); writes `<installer>.kehoach-update.json` beside it.
    Sign {
        installer: PathBuf,
        #[arg(long)]
        version: String,
        /// windows-x64 or linux-amd64.
        #[arg(long)]
        platform: String,
        #[arg(long)]
        key_env: String,
    },
    /// Make a new release key pair: prints the secret (keep it off the repository) and the public
    /// key (to pin in `kehoach_sync::update::RELEASE_KEYS`).
    Keygen,
}

pub fn update(cmd: &UpdateCmd) -> Result<()> {
    match cmd {
        UpdateCmd::Check { file, json } => {
            let manifest = if file.to_string_lossy().ends_with(update::SUFFIX) {
                file.clone()
            } else {
                let mut name = file.file_name().context("chưa chọn tệp")?.to_os_string();
                name.push(update::SUFFIX);
                file.with_file_name(name)
            };
            let got =
                update::verify_update(&manifest, &update::release_keys(), env!("CARGO_PKG_VERSION"), update::PLATFORM)?;
            crate::print(*json, &got, |u| {
                format!(
                    "Có phiên bản mới: kehoach {} (bộ cài {}, {}); chữ ký hợp lệ.",
                    u.version,
                    u.installer.display(),
                    kehoach_model::format_size_vi(u.size)
                )
            });
        }
        UpdateCmd::Sign { installer, version, platform, key_env } => {
            if !["windows-x64", "linux-amd64"].contains(&platform.as_str()) {
                bail!("nền tảng không hợp lệ: {platform:?} (windows-x64 hoặc linux-amd64)");
            }
            let secret = crate::env_secret(key_env, "khóa phát hành")?;
            let key = update::signing_key(&secret).context("khóa phát hành không hợp lệ (64 chữ số hex)")?;
            let out = update::sign_update(&key, installer, version, platform)?;
            println!("{}", out.display());
        }
        UpdateCmd::Keygen => {
            let (secret, public) = update::generate_key();
            println!("secret {secret}\npublic {public}");
        }
    }
    Ok(())
}
