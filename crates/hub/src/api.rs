//! The HTTP face: `GET /healthz`, `POST /v1/push`, `GET /v1/pull?after=&limit=`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use kehoach_sync::hub_auth::{self, wire};
use serde::Deserialize;
use uuid::Uuid;

use crate::store::{DeviceRecord, HubStore};

pub type Shared = Arc<dyn HubStore>;

const MAX_PULL: i64 = 5000;

pub fn router(store: Shared) -> Router {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/v1/push", post(push))
        .route("/v1/pull", get(pull))
        // A commune's whole history fits easily; the cap stops a runaway client.
        .layer(axum::extract::DefaultBodyLimit::max(64 * 1024 * 1024))
        .with_state(store)
}

pub struct ApiError(StatusCode, String);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.0, Json(wire::ErrorBody { error: self.1 })).into_response()
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(e: anyhow::Error) -> Self {
        eprintln!("hub error: {e:#}");
        ApiError(StatusCode::INTERNAL_SERVER_ERROR, "Lỗi máy chủ đồng bộ".into())
    }
}

fn unauthorised(msg: &str) -> ApiError {
    ApiError(StatusCode::UNAUTHORIZED, msg.into())
}

/// Who is asking: an enrolled device whose signature over this exact request verifies with
/// the key the hub holds for it, within the allowed clock skew.
async fn authenticate(
    store: &Shared,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<DeviceRecord, ApiError> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
    let (Some(device), Some(time), Some(sig)) = (
        header(hub_auth::HEADER_DEVICE),
        header(hub_auth::HEADER_TIME),
        header(hub_auth::HEADER_SIGNATURE),
    ) else {
        return Err(unauthorised("Thiếu chữ ký của thiết bị"));
    };
    let device = Uuid::parse_str(&device).map_err(|_| unauthorised("Mã thiết bị không hợp lệ"))?;
    let time: i64 = time.parse().map_err(|_| unauthorised("Dấu thời gian không hợp lệ"))?;
    if (chrono::Utc::now().timestamp_millis() - time).abs() > hub_auth::MAX_SKEW_MS {
        return Err(unauthorised("Đồng hồ của máy lệch quá nhiều so với máy chủ; hãy chỉnh giờ máy tính"));
    }
    let Some(record) = store.device(device).await? else {
        return Err(ApiError(StatusCode::FORBIDDEN, "Thiết bị chưa được đăng ký với máy chủ đồng bộ".into()));
    };
    let path = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let msg = hub_auth::signed_message(method.as_str(), path, time, body);
    if !hub_auth::verify(&record.public_key, &msg, &sig) {
        return Err(unauthorised("Chữ ký của thiết bị không hợp lệ"));
    }
    Ok(record)
}

async fn push(
    State(store): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<wire::PushResponse>, ApiError> {
    let device = authenticate(&store, &method, &uri, &headers, &body).await?;
    let req: wire::PushRequest = serde_json::from_slice(&body)
        .map_err(|e| ApiError(StatusCode::BAD_REQUEST, format!("Dữ liệu gửi lên không hợp lệ: {e}")))?;
    for op in &req.ops {
        op.validate().map_err(|e| ApiError(StatusCode::BAD_REQUEST, e.to_string()))?;
    }
    // The device's enrolment, not anything in the request, decides the commune written.
    let p = store.push(device.commune, &req.ops).await?;
    Ok(Json(wire::PushResponse { accepted: p.accepted, duplicates: p.duplicates }))
}

#[derive(Deserialize)]
struct PullQuery {
    #[serde(default)]
    after: i64,
    limit: Option<i64>,
}

async fn pull(
    State(store): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    Query(q): Query<PullQuery>,
) -> Result<Json<wire::PullResponse>, ApiError> {
    let device = authenticate(&store, &method, &uri, &headers, b"").await?;
    let limit = q.limit.unwrap_or(1000).clamp(1, MAX_PULL);
    let rows = store.pull(device.commune, q.after, limit + 1).await?;
    let more = rows.len() as i64 > limit;
    let rows: Vec<_> = rows.into_iter().take(limit as usize).collect();
    let cursor = rows.last().map(|(s, _)| *s).unwrap_or(q.after);
    Ok(Json(wire::PullResponse { ops: rows.into_iter().map(|(_, o)| o).collect(), cursor, more }))
}
