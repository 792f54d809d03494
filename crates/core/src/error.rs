use thiserror::Error;

/// Errors of the core. Their messages are shown to officers as they are, so they are in
/// Vietnamese; the CLI prints them too.
#[derive(Debug, Error)]
pub enum CoreError {
    #[error("Lỗi cơ sở dữ liệu: {0}")]
    Db(#[from] rusqlite::Error),
    #[error("Không nâng cấp được cơ sở dữ liệu: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    #[error("Không mở được tệp dữ liệu {path}: {reason}")]
    Open { path: String, reason: String },
    #[error("Tệp dữ liệu {path} do một phiên bản kehoach mới hơn tạo ra; hãy cài phiên bản mới rồi mở lại (tệp được giữ nguyên).")]
    TooNew { path: String },
    #[error("Tệp dữ liệu {path} đang mở ở cửa sổ khác của kehoach. Hãy dùng cửa sổ đó (xem trên thanh tác vụ), hoặc đóng nó rồi mở lại phần mềm.")]
    InUse { path: String },
    #[error("Không tìm thấy {what} có mã {id}")]
    NotFound { what: &'static str, id: String },
    #[error("Dữ liệu không hợp lệ: {0}")]
    Invalid(String),
    #[error("Thao tác đồng bộ không hợp lệ: {0}")]
    BadOp(String),
}

pub type Result<T> = std::result::Result<T, CoreError>;

impl CoreError {
    pub fn invalid(msg: impl Into<String>) -> Self {
        CoreError::Invalid(msg.into())
    }
}
