//! `kehoach sync …`, `kehoach device …` and `kehoach join`: bundles on USB sticks, the hub,
//! enrolling PCs into their commune.
//! Each command maps onto one `kehoach_sync` call.

// File sizes the Vietnamese way ("12,5 KB").
use kehoach_model::format_size_vi as size;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use kehoach_core::Store;
use kehoach_sync::{ExportOptions, ImportOptions};
use serde::Serialize;

#[derive(Subcommand)]
pub enum SyncCmd {
    /// Write a bundle of the ops the recipients may lack (for a USB stick).
    Export {
        #[arg(long)]
        out: PathBuf,
        /// Encrypt to this recipient: an `age1…` key or the id of a trusted device (repeatable).
        /// With device ids only, the bundle holds just what they have not acknowledged.
        #[arg(long = "to")]
        to: Vec<String>,
        /// Include the ops after this position of the local log (0 = everything).
        #[arg(long)]
        since: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Check a bundle completely, then apply it in one transaction.
    Import {
        file: PathBuf,
        /// Accept the sending device if it is not trusted yet (after checking its fingerprint).
        #[arg(long)]
        accept_device: bool,
        #[arg(long)]
        json: bool,
    },
    /// Pull from and push to a hub server.
    Hub {
        /// e.g. http://127.0.0.1:8080 or https://dongbo.example.gov.vn
        #[arg(long)]
        url: String,
        /// The CA certificate (PEM) the province issues its hub's certificate from, when it is
        /// not one the operating system trusts; kept on this PC for later syncs and the app.
        #[arg(long)]
        ca: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// List the changes other PCs sent that could not be applied (set aside, with who sent
    /// them and why), while the rest synced.
    SetAside {
        #[arg(long)]
        json: bool,
    },
    /// The commune's devices: officer, id, fingerprint, how each was let in, since when, last
    /// seen (its newest change this PC holds), revoked (when, by whom).
    Devices {
        #[arg(long)]
        json: bool,
    },
    /// Withdraw a lost or stolen PC from the commune: its changes made after now are refused
    /// by every PC once they sync. DEVICE: its id, or a start of it naming one device only.
    /// This PC itself cannot be revoked here.
    Revoke {
        device: String,
        #[arg(long)]
        json: bool,
    },
}

/// "14:05 ngày 03/12/2026" of an RFC 3339 time, in this PC's time zone.
fn shown_time(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|d| d.with_timezone(&chrono::Local).format("%H:%M ngày %d/%m/%Y").to_string())
        .unwrap_or_else(|_| rfc3339.to_string())
}

/// One device of `kehoach sync devices`, in lines the officer reads.
fn device_lines(d: &kehoach_model::CommuneDevice) -> String {
    let who = d.officer.clone().unwrap_or_else(|| "(chưa đặt tên người dùng)".into());
    let me = if d.this_pc { " — máy này" } else { "" };
    let mut s = format!("{who}{me}\n  Mã máy: {}\n  Dấu vân tay: {}\n  Vào xã: {}", d.device, d.fingerprint, d.how_vi);
    s += &format!(
        "\n  Lần cuối thấy: {}",
        d.last_seen.as_deref().map(shown_time).unwrap_or_else(|| "chưa có thay đổi nào của máy này".into())
    );
    if let Some(r) = &d.revoked {
        s += &format!("\n  ĐÃ THU HỒI từ {}, do {}", shown_time(&r.at), r.by_name);
    }
    s
}

/// The lines a sync's summary adds for devices it learnt ("Máy mới: …").
fn new_device_lines(lines: &[String]) -> String {
    lines.iter().map(|l| format!("\n{l}")).collect()
}

/// The line a sync's summary adds when some received changes were set aside.
fn set_aside_line(n: u64) -> String {
    if n == 0 {
        return String::new();
    }
    format!("\n{n} thay đổi nhận được không hợp lệ nên được để riêng, không áp dụng: xem kehoach sync set-aside")
}

#[derive(Subcommand)]
pub enum DeviceCmd {
    /// Write an invitation for a new PC of this commune (founds the commune on the first PC).
    Invite {
        #[arg(long)]
        out: PathBuf,
        /// Protect the invitation with the passphrase held in this environment variable (at
        /// least 8 characters); tell it to the new PC's officer apart from the file.
        #[arg(long)]
        passphrase_env: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Make this PC the commune's first: give the commune its sync id (what the hub's
    /// administrator enrols, with this PC's public key). Nothing changes on a PC already in
    /// a commune.
    Found {
        #[arg(long)]
        json: bool,
    },
    /// Trust the device that sent this bundle (its data is not applied: import it afterwards).
    Accept {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Who works on this PC (shown beside their changes in task histories on every PC);
    /// without --name, prints it.
    User {
        #[arg(long)]
        name: Option<String>,
        /// The desk: "Công an xã", "Văn phòng – Thống kê".
        #[arg(long)]
        unit: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// This device and the devices it trusts.
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
pub struct JoinArgs {
    /// The invitation file written by `kehoach device invite` on a PC of the commune.
    file: PathBuf,
    /// The environment variable holding the invitation's passphrase, for one that has one.
    #[arg(long)]
    passphrase_env: Option<String>,
    #[arg(long)]
    json: bool,
}

fn print<T: Serialize>(json: bool, value: &T, text: impl FnOnce(&T) -> String) {
    if json {
        println!("{}", serde_json::to_string_pretty(value).unwrap_or_default());
    } else {
        println!("{}", text(value));
    }
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("không đọc được tệp {}", path.display()))
}

/// Writes next to the target and renames, so a pulled-out USB stick never holds half a bundle
/// under the final name.
pub(crate) fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    kehoach_sync::write_durably(path, bytes).with_context(|| format!("không ghi được tệp {}", path.display()))
}

fn kinds(by_kind: &std::collections::BTreeMap<String, u64>) -> String {
    if by_kind.is_empty() {
        return "không có".into();
    }
    by_kind.iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join(", ")
}

/// The attachment lines of an export summary.
fn exported_attachments(s: &kehoach_sync::ExportSummary) -> String {
    let mut t = format!("\nTệp đính kèm gửi kèm: {} ({})", s.attachments, size(s.attachment_bytes));
    if s.attachments_missing > 0 {
        t += &format!(
            "\nCó {} tệp đính kèm không có (hoặc bị hỏng) trên máy này nên không được gửi kèm; bản ghi vẫn được gửi",
            s.attachments_missing
        );
    }
    if s.attachments_too_large > 0 {
        t += &format!(
            "\nCó {} tệp đính kèm vượt quá kích thước tối đa của tệp đồng bộ nên không được gửi kèm",
            s.attachments_too_large
        );
    }
    t
}

pub fn sync(store: &mut Store, cmd: SyncCmd) -> Result<()> {
    match cmd {
        SyncCmd::Export { out, to, since, json } => {
            kehoach_sync::update::note_this_program(store)?;
            let (bytes, s) = kehoach_sync::export_bundle(store, &ExportOptions { to, since, ..Default::default() })?;
            write(&out, &bytes)?;
            print(json, &s, |s| {
                format!(
                    "Đã ghi {} thao tác vào {}{} ({}){}",
                    s.ops,
                    out.display(),
                    if s.encrypted_to > 0 {
                        format!(", mã hóa cho {} người nhận", s.encrypted_to)
                    } else {
                        String::new()
                    },
                    kinds(&s.by_kind),
                    exported_attachments(s)
                )
            });
        }
        SyncCmd::Import { file, accept_device, json } => {
            let bytes = read(&file)?;
            let r = kehoach_sync::import_bundle(store, &bytes, &ImportOptions { accept_new_device: accept_device })?;
            print(json, &r, |r| {
                let mut s = format!(
                    "Đã nhập từ thiết bị {}: {} thao tác mới, {} đã có ({})",
                    r.sender,
                    r.applied.applied,
                    r.applied.duplicates,
                    kinds(&r.applied.by_kind)
                );
                s += &format!("\nTệp đính kèm mới lưu vào máy: {}", r.attachments);
                s += &set_aside_line(r.applied.set_aside);
                if r.applied.conflicts > 0 {
                    s += &format!(
                        "\nCó {} trường bị sửa đồng thời: giá trị không được chọn vẫn được giữ lại để xem xét",
                        r.applied.conflicts
                    );
                }
                for d in &r.newly_trusted {
                    s += &format!("\nTừ nay tin cậy thiết bị {d}");
                }
                s += &new_device_lines(&r.new_devices);
                s
            });
        }
        SyncCmd::Hub { url, ca, json } => {
            if let Some(ca) = ca {
                kehoach_sync::set_hub_ca(store, Some(&read(&ca)?))?;
            }
            kehoach_sync::update::note_this_program(store)?;
            let r = kehoach_sync::HubClient::for_store(store, &url)?.sync(store)?;
            print(json, &r, |r| {
                let mut s = format!(
                    "Đã đồng bộ với máy chủ: gửi {} thao tác, nhận {} thao tác mới ({})",
                    r.pushed,
                    r.pulled.applied,
                    kinds(&r.pulled.by_kind)
                );
                s +=
                    &format!("\nTệp đính kèm: gửi lên {}, tải về {}", r.attachments_uploaded, r.attachments_downloaded);
                s += &set_aside_line(r.pulled.set_aside);
                s += &new_device_lines(&r.new_devices);
                for why in &r.refused_by_hub {
                    s += &format!("\nMáy chủ không nhận {why}");
                }
                if r.attachments_missing > 0 {
                    s += &format!(
                        "\nCòn {} tệp đính kèm chưa có trên máy này lẫn trên máy chủ: lần đồng bộ sau sẽ tìm lại",
                        r.attachments_missing
                    );
                }
                if r.attachments_too_large > 0 {
                    s += &format!(
                        "\n{} tệp đính kèm lớn hơn {} MB không gửi lên máy chủ được: hãy chuyển bằng USB (kehoach sync export)",
                        r.attachments_too_large,
                        kehoach_sync::hub_auth::MAX_ATTACHMENT >> 20
                    );
                }
                s
            });
        }
        SyncCmd::Devices { json } => {
            let list = kehoach_sync::commune_devices(store)?;
            print(json, &list, |list| {
                if list.is_empty() {
                    return "Máy này chưa có khóa và chưa biết máy nào của xã.".into();
                }
                let active = list.iter().filter(|d| d.revoked.is_none()).count();
                let mut s = format!("Các máy của xã: {} máy ({active} đang hoạt động)", list.len());
                for d in list {
                    s += &format!("\n\n{}", device_lines(d));
                }
                s
            });
        }
        SyncCmd::Revoke { device, json } => {
            let r = kehoach_sync::revoke_named(store, &device)?;
            print(json, &r, |r| {
                let d = &r.device;
                let who = d.officer.clone().unwrap_or_else(|| "chưa đặt tên người dùng".into());
                let since = d.revoked.as_ref().map(|x| shown_time(&x.at)).unwrap_or_default();
                if r.already {
                    format!("Máy {} ({who}) đã bị thu hồi từ {since}; không thay đổi gì.", d.device)
                } else {
                    format!(
                        "Đã thu hồi máy {} ({who}, dấu vân tay {}) từ {since}.\nMáy đó không gửi được dữ liệu cho xã nữa; \
                         các thay đổi nó tạo sau thời điểm này bị từ chối trên mọi máy của xã khi các máy đồng bộ \
                         (hãy đồng bộ ngay để lời thu hồi đến các máy khác).",
                        d.device, d.fingerprint
                    )
                }
            });
        }
        SyncCmd::SetAside { json } => {
            let list = kehoach_core::set_aside::list(store)?;
            print(json, &list, |list| {
                if list.is_empty() {
                    return "Không có thay đổi nào bị để riêng.".into();
                }
                let mut s = format!("{} thay đổi nhận được không áp dụng được:", list.len());
                for o in list {
                    let sender = o.sender.clone().unwrap_or_else(|| "chưa rõ tên".into());
                    s += &format!(
                        "\n- {} — {}: {} (máy {}, {}, lúc {})",
                        o.kind, o.field, o.reason, o.device, sender, o.at
                    );
                }
                s
            });
        }
    }
    Ok(())
}

#[derive(Serialize)]
struct DeviceInfo {
    device: uuid::Uuid,
    commune: Option<uuid::Uuid>,
    public_key: String,
    fingerprint: String,
    age_recipient: String,
    trusted: Vec<kehoach_sync::TrustedDevice>,
}

pub fn device(store: &mut Store, cmd: DeviceCmd) -> Result<()> {
    match cmd {
        DeviceCmd::User { name: Some(name), unit, json } => {
            let u = kehoach_core::pc_users::set_pc_user(store, &kehoach_model::PcUser { name, unit })?;
            print(json, &u, |u| format!("Người dùng máy này: {}", u.label()));
        }
        DeviceCmd::User { name: None, unit: _, json } => {
            let u = kehoach_core::pc_users::this_pc_user(store)?;
            print(json, &u, |u| match u {
                Some(u) => format!("Người dùng máy này: {}", u.label()),
                None => "Máy này chưa đặt tên người dùng (kehoach device user --name …)".into(),
            });
        }
        DeviceCmd::Invite { out, passphrase_env, json } => {
            let pass = passphrase_env.as_deref().map(|v| crate::env_secret(v, "mật khẩu của lời mời")).transpose()?;
            let bytes = kehoach_sync::create_invitation_with(store, pass.as_deref())?;
            write(&out, &bytes)?;
            let commune = kehoach_sync::commune(store)?;
            let protected = pass.is_some();
            print(json, &serde_json::json!({ "file": out, "commune": commune, "passphrase": protected }), |_| {
                let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                if protected {
                    format!(
                        "Đã ghi lời mời có mật khẩu vào {}. Báo mật khẩu cho người dùng máy mới riêng, không gửi kèm \
                         tệp. Trên máy mới, chạy: kehoach join {name} --passphrase-env <biến chứa mật khẩu>",
                        out.display()
                    )
                } else {
                    format!("Đã ghi lời mời vào {}. Trên máy mới, chạy: kehoach join {name}", out.display())
                }
            });
        }
        DeviceCmd::Found { json } => {
            let before = kehoach_sync::commune(store)?;
            let commune = kehoach_sync::found_commune(store)?;
            let me = kehoach_sync::Device::load_or_create(store)?;
            let out = serde_json::json!({
                "commune": commune,
                "founded": before.is_none(),
                "device": me.id,
                "public_key": me.public_key_hex(),
            });
            print(json, &out, |_| {
                let head = if before.is_none() {
                    "Đã lập mã xã cho máy này (máy đầu tiên của xã)."
                } else {
                    "Máy này đã thuộc một xã; mã xã giữ nguyên."
                };
                format!(
                    "{head}\nMã xã: {commune}\nMã máy: {}\nKhóa công khai (gửi cho người quản trị máy chủ): {}",
                    me.id,
                    me.public_key_hex()
                )
            });
        }
        DeviceCmd::Accept { file, json } => {
            let d = kehoach_sync::accept_device(store, &read(&file)?)?;
            print(json, &d, |d| {
                format!("Đã tin cậy thiết bị {} (dấu vân tay {})", d.id, kehoach_sync::fingerprint(&d.public_key))
            });
        }
        DeviceCmd::List { json } => {
            let me = kehoach_sync::Device::load_or_create(store)?;
            let info = DeviceInfo {
                device: me.id,
                commune: kehoach_sync::commune(store)?,
                public_key: me.public_key_hex(),
                fingerprint: kehoach_sync::fingerprint(&me.public_key_hex()),
                age_recipient: me.age_recipient(),
                trusted: kehoach_sync::trusted_devices(store)?,
            };
            print(json, &info, |i| {
                let mut s = format!(
                    "Máy này: {} (dấu vân tay {})\nKhóa nhận tệp mã hóa: {}\nXã: {}",
                    i.device,
                    i.fingerprint,
                    i.age_recipient,
                    i.commune.map(|c| c.to_string()).unwrap_or_else(|| "chưa tham gia".into())
                );
                for t in &i.trusted {
                    s += &format!("\nTin cậy: {}\t{}\t{}", t.id, kehoach_sync::fingerprint(&t.public_key), t.via);
                }
                s
            });
        }
    }
    Ok(())
}

pub fn join(store: &mut Store, args: JoinArgs) -> Result<()> {
    let pass = args.passphrase_env.as_deref().map(|v| crate::env_secret(v, "mật khẩu của lời mời")).transpose()?;
    let r = kehoach_sync::join_with(store, &read(&args.file)?, pass.as_deref())?;
    print(args.json, &r, |r| {
        format!(
            "Đã tham gia xã {} qua thiết bị {} (dấu vân tay {}); nhận {} thao tác, {} tệp đính kèm{}",
            r.commune,
            r.inviter,
            r.inviter_fingerprint,
            r.applied.applied,
            r.attachments,
            new_device_lines(&r.new_devices)
        )
    });
    Ok(())
}

#[derive(Args)]
pub struct BackupArgs {
    #[arg(long)]
    out: PathBuf,
    /// Protect the backup with the passphrase held in this environment variable (at least 8
    /// characters); without it the backup is a plain SQLite file.
    #[arg(long)]
    passphrase_env: Option<String>,
    #[arg(long)]
    json: bool,
}

/// The backup passphrase from the environment variable the officer named, if any.
fn passphrase(var: &Option<String>) -> Result<Option<String>> {
    var.as_deref().map(|v| crate::env_secret(v, "mật khẩu của bản sao lưu")).transpose()
}

pub fn backup(store: &Store, args: BackupArgs) -> Result<()> {
    let pass = passphrase(&args.passphrase_env)?;
    let s = kehoach_sync::create_backup(store, &args.out, pass.as_deref())?;
    print(args.json, &s, |s| {
        let lock = if s.encrypted { ", có mật khẩu" } else { "" };
        format!("Đã sao lưu {} thao tác và {} tệp đính kèm vào {} ({}{lock})", s.ops, s.files, s.path, size(s.bytes))
    });
    Ok(())
}

#[derive(Args)]
pub struct RestoreArgs {
    file: PathBuf,
    /// The environment variable holding the backup's passphrase, for a backup that has one.
    #[arg(long)]
    passphrase_env: Option<String>,
    #[arg(long)]
    json: bool,
}

/// After a whole restore from a backup without the keys (issue 14, point 8).
const NEW_DEVICE: &str = "Bản sao lưu không mang khóa của máy cũ (sao lưu không đặt mật khẩu): máy này là một máy \
                          mới của xã. Hãy nhận lời mời từ một máy khác của xã, hoặc để máy đó chấp nhận tệp đồng bộ \
                          đầu tiên của máy này.";

pub fn restore(store: &mut Store, args: RestoreArgs) -> Result<()> {
    let pass = passphrase(&args.passphrase_env)?;
    let r = kehoach_sync::restore_backup(store, &args.file, pass.as_deref())?;
    print(args.json, &r, |r| {
        let what = r.commune.as_deref().unwrap_or("(chưa thiết lập)");
        match r.mode {
            kehoach_sync::RestoreMode::Whole if r.new_device => {
                format!("Đã khôi phục dữ liệu của {what}: {} thao tác, {} tệp đính kèm.\n{NEW_DEVICE}", r.ops, r.files)
            }
            kehoach_sync::RestoreMode::Whole => {
                format!("Đã khôi phục dữ liệu của {what}: {} thao tác, {} tệp đính kèm", r.ops, r.files)
            }
            kehoach_sync::RestoreMode::Merged => format!(
                "Đã thêm từ bản sao lưu của {what}: {} thao tác mới ({}), {} đã có; {} tệp đính kèm",
                r.applied.applied,
                kinds(&r.applied.by_kind),
                r.applied.duplicates,
                r.files
            ),
        }
    });
    Ok(())
}
