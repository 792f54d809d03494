//! `POST /v1/publications` and `GET /v1/publications` (issue 17): a parent unit's device posts a
//! plan it publishes to its communes, signed as a whole (`kehoach_sync::publish`); the hub keeps
//! it for each commune it names that the unit oversees. A commune's device fetches the newest
//! version of each plan kept for its commune and checks the signature itself: the hub is a
//! mailbox here, never the one vouching for the plan.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use kehoach_sync::publish::{self, Posted};
use uuid::Uuid;

use crate::api::{authenticate, forbidden, ApiError, AppState, Caller};

pub(crate) async fn post(
    State(AppState { store, meter, .. }): State<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Posted>, ApiError> {
    let caller = authenticate(&store, &method, &uri, &headers, &body).await?;
    let Caller::Parent(parent) = caller else {
        return Err(forbidden("Chỉ máy của đơn vị cấp trên mới gửi được kế hoạch xuống các xã"));
    };
    meter.admit(parent.id, 0, body.len() as u64)?;
    let (_, p) = publish::open(&body).map_err(|e| ApiError(StatusCode::BAD_REQUEST, e.to_string()))?;
    if p.device != parent.id || !p.public_key.eq_ignore_ascii_case(&parent.public_key) {
        return Err(forbidden("Kế hoạch phải do chính máy gửi lên ký"));
    }
    let communes: Vec<Uuid> = p.communes.iter().copied().filter(|c| parent.communes.contains(c)).collect();
    if communes.is_empty() {
        return Err(forbidden(&format!("Không xã nào nhận kế hoạch này thuộc {}", parent.unit)));
    }
    for &c in &communes {
        store.put_publication(c, p.plan_id, i64::from(p.version), &body).await?;
    }
    Ok(Json(Posted { communes: communes.len() as u32 }))
}

pub(crate) async fn list(
    State(AppState { store, .. }): State<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let caller = authenticate(&store, &method, &uri, &headers, b"").await?;
    let Caller::Commune(device) = caller else {
        return Err(ApiError(
            StatusCode::BAD_REQUEST,
            "Máy của đơn vị cấp trên không nhận kế hoạch cấp trên; đó là việc của máy các xã".into(),
        ));
    };
    let bodies = store.publications(device.commune).await?;
    // Each body is the JSON object posted, kept byte for byte: the answer is their list.
    let mut out = Vec::with_capacity(bodies.iter().map(|b| b.len() + 1).sum::<usize>() + 2);
    out.push(b'[');
    for (i, b) in bodies.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b);
    }
    out.push(b']');
    Ok(([(header::CONTENT_TYPE, "application/json")], out).into_response())
}
