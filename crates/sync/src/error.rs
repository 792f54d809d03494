use thiserror::Error;
use uuid::Uuid;

/// Why a sync step failed. The messages are shown to officers as they are, so they are in
/// Vietnamese and say what to do next where there is something to do.
#[derive(Debug, Error)]
pub enum SyncError {
    #[error(transparent)]
    Core(#[from] kehoach_core::CoreError),
    #[error(transparent)]
    Update(#[from] crate::update::UpdateError),
    #[error("Không đọc hoặc ghi được tệp: {0}")]
    Io(#[from] std::io::Error),
    #[error("Tệp đồng bộ bị hỏng hoặc không đầy đủ: {0}")]
    Corrupt(String),
    #[error("Tệp đồng bộ đã bị sửa đổi: {0}")]
    Tampered(String),
    #[error("Tệp đồng bộ dùng định dạng phiên bản {found}; phần mềm này chỉ đọc được phiên bản {supported}. Hãy cập nhật phần mềm.")]
    UnsupportedVersion { found: u32, supported: u32 },
    #[error("Tệp đồng bộ đến từ xã khác (mã xã {found}; máy này thuộc xã {ours})")]
    OtherCommune { found: Uuid, ours: Uuid },
    #[error("Máy này chưa thuộc xã nào. Trên máy đầu tiên của xã hãy tạo lời mời (kehoach device invite), rồi dùng lời mời đó để tham gia (kehoach join).")]
    NotEnrolled,
    #[error("Thiết bị gửi chưa được tin cậy (mã thiết bị {device}, dấu vân tay khóa {fingerprint}). Nếu đúng là máy của xã, hãy chấp nhận thiết bị: kehoach device accept <tệp>")]
    UntrustedDevice { device: Uuid, fingerprint: String },
    #[error("Tệp đồng bộ giả mạo: khóa ký không khớp với khóa đã đăng ký của thiết bị {device}")]
    Forged { device: Uuid },
    #[error("Tệp đồng bộ này đã được nhập trước đây (mã tệp {0}); dữ liệu không thay đổi")]
    Replayed(Uuid),
    #[error("Tệp đồng bộ được mã hóa cho thiết bị khác; máy này không mở được")]
    NotForThisDevice,
    #[error("Tệp đồng bộ này do chính máy này tạo ra; hãy nhập nó trên máy khác")]
    OwnBundle,
    #[error("Máy này đã thuộc xã khác (mã {ours}); không thể tham gia xã {theirs}")]
    AlreadyEnrolled { ours: Uuid, theirs: Uuid },
    #[error("Máy gửi (mã {device}) đã bị thu hồi khỏi xã từ {since}; không nhận dữ liệu của nó")]
    Revoked { device: Uuid, since: String },
    #[error("Lời mời này đã được dùng cho một thiết bị khác; hãy tạo lời mời mới")]
    InviteUsed,
    #[error(
        "Lời mời đã hết hạn: tạo lúc {made}, chỉ dùng được trong {days} ngày; hãy tạo lời mời mới trên máy của xã"
    )]
    InviteExpired { made: String, days: i64 },
    #[error("Lời mời này được bảo vệ bằng mật khẩu: hãy nhập mật khẩu do người tạo lời mời đặt rồi chọn lại tệp. Máy này chưa thay đổi gì.")]
    InviteNeedsPassphrase,
    #[error("Mật khẩu của lời mời không đúng. Máy này chưa thay đổi gì; hãy hỏi lại người tạo lời mời.")]
    InviteWrongPassphrase,
    #[error("Mật khẩu cho lời mời cần ít nhất {0} ký tự.")]
    InvitePassphraseTooShort(usize),
    #[error("Tệp này không phải {expected}")]
    WrongKind { expected: &'static str },
    #[error("Người nhận không hợp lệ: {0} (cần khóa age1… hoặc mã của một thiết bị đã tin cậy)")]
    BadRecipient(String),
    #[error("Không mã hóa được tệp đồng bộ: {0}")]
    Encrypt(String),
    #[error("Tệp này không phải bản sao lưu của kehoach ({0})")]
    NotABackup(String),
    #[error("Bản sao lưu bị hỏng, không dùng được: {0}. Dữ liệu trên máy không thay đổi.")]
    BackupDamaged(String),
    #[error("Bản sao lưu này có mật khẩu: nhập mật khẩu của bản sao lưu rồi chọn lại tệp.")]
    BackupNeedsPassphrase,
    #[error("Mật khẩu của bản sao lưu không đúng. Dữ liệu trên máy không thay đổi.")]
    BackupWrongPassphrase,
    #[error("Mật khẩu cho bản sao lưu cần ít nhất {0} ký tự.")]
    BackupPassphraseTooShort(usize),
    #[error("Bản sao lưu này do phiên bản kehoach mới hơn tạo ra; hãy cập nhật phần mềm rồi khôi phục lại.")]
    BackupTooNew,
    #[error("Bản sao lưu này của {theirs}, còn máy này đang giữ dữ liệu của {ours}; không khôi phục để tránh trộn dữ liệu hai xã.")]
    OtherCommuneBackup { theirs: String, ours: String },
    #[error("Không kết nối được máy chủ đồng bộ: {0}")]
    Hub(String),
    #[error("Máy chủ đồng bộ từ chối yêu cầu (mã {status}): {message}")]
    HubRefused { status: u16, message: String },
}

pub type Result<T> = std::result::Result<T, SyncError>;

/// A backup copy refused by the core's checks, in the officer's words.
impl From<kehoach_core::backup_file::BackupFileError> for SyncError {
    fn from(e: kehoach_core::backup_file::BackupFileError) -> Self {
        use kehoach_core::backup_file::BackupFileError as E;
        match e {
            E::NotSqlite => SyncError::NotABackup("không phải tệp dữ liệu SQLite".into()),
            E::NotKehoach => SyncError::NotABackup("không có dữ liệu của kehoach".into()),
            E::Damaged(why) => SyncError::BackupDamaged(why),
            E::TooNew => SyncError::BackupTooNew,
            E::Core(e) => SyncError::Core(e),
        }
    }
}
