//! The HTTP face: `GET /healthz`, `POST /v1/push`, `GET /v1/pull?after=&limit=[&commune=]`,
//! `GET /v1/rollup?period=` (also served as `/rollup`), and the attachment files the ops refer
//! to: `PUT /v1/attachments/{name}` (the body is the file), `GET /v1/attachments/{name}`
//! and `POST /v1/attachments/have` (which of these names are here), both `[?commune=]`.
//!
//! Two kinds of caller: a commune's device reads and writes its commune; a parent unit's
//! device (district, province) reads the communes listed at its enrolment and writes nothing.
//! Files are authorised exactly like ops, and a file is stored only under the name of its
//! content's SHA-256, so a name means the same bytes for every reader.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequest, Path, Query, Request, State};
use axum::handler::Handler;
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use kehoach_sync::hub_auth::{self, wire, MAX_ATTACHMENT, MAX_ATTACHMENT_NAMES};
use serde::Deserialize;
use uuid::Uuid;

use crate::quota::{Meter, Quotas, Refusal};
use crate::rollup::Replicas;
use crate::store::{DeviceRecord, HubStore, ParentRecord};

pub type Shared = Arc<dyn HubStore>;

/// What the handlers share: the store and the roll-up replicas built from it.
#[derive(Clone)]
pub struct AppState {
    pub(crate) store: Shared,
    replicas: Arc<Replicas>,
    /// The folder of signed updates the hub hands out (`--updates`), if any.
    updates: Option<Arc<UpdatesFolder>>,
    /// Each device's quotas and what it has used (issue 14, point 2).
    pub(crate) meter: Arc<Meter>,
}

/// A folder of signed updates, and the keys whose signatures make a file in it an update.
pub struct UpdatesFolder {
    pub dir: std::path::PathBuf,
    pub keys: Vec<kehoach_sync::update::VerifyingKey>,
}

impl UpdatesFolder {
    /// `dir`, with the release keys pinned in this build.
    pub fn signed_by_release_keys(dir: std::path::PathBuf) -> Self {
        UpdatesFolder { dir, keys: kehoach_sync::update::release_keys() }
    }
}

/// Who is asking, once the request's signature has been checked.
pub(crate) enum Caller {
    Commune(DeviceRecord),
    Parent(ParentRecord),
}

const MAX_PULL: i64 = 5000;

/// Requests holding a large body (pushes, attachment uploads) served at once.
const MAX_HEAVY_REQUESTS: usize = 8;

pub fn router(store: Shared) -> Router {
    router_serving_updates(store, None)
}

/// The hub's routes; with `updates`, also the newest signed update in that folder for each
/// platform (see `kehoach_sync::update::newest_in`).
pub fn router_serving_updates(store: Shared, updates: Option<UpdatesFolder>) -> Router {
    router_with(store, updates, Quotas::default())
}

/// [`router_serving_updates`] with each device held to `quotas`.
pub fn router_with(store: Shared, updates: Option<UpdatesFolder>, quotas: Quotas) -> Router {
    let meter = Arc::new(Meter::new(quotas));
    let state = AppState { store, replicas: Arc::new(Replicas::default()), updates: updates.map(Arc::new), meter };
    // At most this many requests that hold a body of up to 64 MB in memory run at once; more
    // wait their turn (issue 14, point 2).
    let heavy = tower::limit::GlobalConcurrencyLimitLayer::new(MAX_HEAVY_REQUESTS);
    Router::new()
        .route("/v1/updates/latest", get(latest_update))
        .route("/v1/updates/file/{name}", get(update_file))
        .route("/v1/push", post(push).layer(heavy.clone()))
        .route("/v1/pull", get(pull))
        .route("/v1/rollup", get(rollup))
        .route("/rollup", get(rollup))
        .route("/v1/attachments/have", post(attachments_held))
        .route(kehoach_sync::publish::HUB_PATH, post(crate::publications::post).get(crate::publications::list))
        .route(
            "/v1/attachments/{name}",
            get(get_attachment).put(put_attachment.layer(heavy)).layer(DefaultBodyLimit::max(MAX_ATTACHMENT as usize)),
        )
        // Before any handler reads a body: who is asking, from the headers alone.
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), pre_auth))
        // A commune's whole history fits easily; the cap stops a runaway client.
        .layer(DefaultBodyLimit::max(64 * 1024 * 1024))
        .route("/healthz", get(|| async { "ok" }))
        .with_state(state)
}

/// Refuses a request whose headers do not name an enrolled device with a fresh time before its
/// body is read (issue 14, point 2): an unauthenticated client can no longer make the hub hold
/// 64 MB bodies in memory. The signature, which covers the body, is then checked by the
/// handler as before.
async fn pre_auth(
    State(AppState { store, meter, .. }): State<AppState>,
    req: Request,
    next: axum::middleware::Next,
) -> Response {
    // Owned copies: a borrow of the request (its body is not Sync) must not live across an await.
    let (device, time, signature) = {
        let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
        (header(hub_auth::HEADER_DEVICE), header(hub_auth::HEADER_TIME), header(hub_auth::HEADER_SIGNATURE))
    };
    let (Some(device), Some(time), Some(_)) = (device, time, signature) else {
        return unauthorised("Thiếu chữ ký của thiết bị").into_response();
    };
    let Ok(device) = Uuid::parse_str(&device) else {
        return unauthorised("Mã thiết bị không hợp lệ").into_response();
    };
    let Ok(time) = time.parse::<i64>() else {
        return unauthorised("Dấu thời gian không hợp lệ").into_response();
    };
    if (chrono::Utc::now().timestamp_millis() - time).abs() > hub_auth::MAX_SKEW_MS {
        return unauthorised("Đồng hồ của máy lệch quá nhiều so với máy chủ; hãy chỉnh giờ máy tính").into_response();
    }
    let known = match store.device(device).await {
        Ok(Some(_)) => true,
        Ok(None) => matches!(store.parent(device).await, Ok(Some(_))),
        Err(e) => return ApiError::from(e).into_response(),
    };
    if !known {
        return forbidden("Thiết bị chưa được đăng ký với máy chủ đồng bộ").into_response();
    }
    // The device's quotas, before its body is read: its requests running at once, and the
    // bytes it declares against what its day has left.
    let declared = req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    let slot = match meter.start(device).and_then(|s| meter.would_fit(device, declared.unwrap_or(0)).map(|()| s)) {
        Ok(slot) => slot,
        Err(r) => return ApiError::from(r).into_response(),
    };
    let response = next.run(req).await;
    drop(slot);
    response
}

impl From<Refusal> for ApiError {
    fn from(r: Refusal) -> Self {
        ApiError(StatusCode::from_u16(r.status).unwrap_or(StatusCode::TOO_MANY_REQUESTS), r.message)
    }
}

impl Caller {
    fn id(&self) -> Uuid {
        match self {
            Caller::Commune(d) => d.id,
            Caller::Parent(p) => p.id,
        }
    }
}

pub struct ApiError(pub(crate) StatusCode, pub(crate) String);

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

pub(crate) fn forbidden(msg: &str) -> ApiError {
    ApiError(StatusCode::FORBIDDEN, msg.into())
}

/// Who is asking: an enrolled device (of a commune or of a parent unit) whose signature over
/// this exact request verifies with the key the hub holds for it, within the allowed clock skew.
pub(crate) async fn authenticate(
    store: &Shared,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Caller, ApiError> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
    let (Some(device), Some(time), Some(sig)) =
        (header(hub_auth::HEADER_DEVICE), header(hub_auth::HEADER_TIME), header(hub_auth::HEADER_SIGNATURE))
    else {
        return Err(unauthorised("Thiếu chữ ký của thiết bị"));
    };
    let device = Uuid::parse_str(&device).map_err(|_| unauthorised("Mã thiết bị không hợp lệ"))?;
    let time: i64 = time.parse().map_err(|_| unauthorised("Dấu thời gian không hợp lệ"))?;
    if (chrono::Utc::now().timestamp_millis() - time).abs() > hub_auth::MAX_SKEW_MS {
        return Err(unauthorised("Đồng hồ của máy lệch quá nhiều so với máy chủ; hãy chỉnh giờ máy tính"));
    }
    let caller = match store.device(device).await? {
        Some(record) => Caller::Commune(record),
        None => match store.parent(device).await? {
            Some(parent) => Caller::Parent(parent),
            None => return Err(forbidden("Thiết bị chưa được đăng ký với máy chủ đồng bộ")),
        },
    };
    let key = match &caller {
        Caller::Commune(d) => &d.public_key,
        Caller::Parent(p) => &p.public_key,
    };
    let path = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let msg = hub_auth::signed_message(method.as_str(), path, time, body);
    if !hub_auth::verify(key, &msg, &sig) {
        return Err(unauthorised("Chữ ký của thiết bị không hợp lệ"));
    }
    Ok(caller)
}

async fn push(
    State(AppState { store, meter, .. }): State<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    Query(q): Query<CommuneQuery>,
    body: Bytes,
) -> Result<Json<wire::PushResponse>, ApiError> {
    let caller = authenticate(&store, &method, &uri, &headers, &body).await?;
    let req: wire::PushRequest = serde_json::from_slice(&body)
        .map_err(|e| ApiError(StatusCode::BAD_REQUEST, format!("Dữ liệu gửi lên không hợp lệ: {e}")))?;
    meter.admit(caller.id(), req.ops.len(), body.len() as u64)?;
    // The device's enrolment, not anything in the request, decides the commune written — but
    // a parent unit's device may send its decisions on the reports of one of its communes.
    let commune = match (&caller, q.commune) {
        (Caller::Parent(p), Some(c)) if p.communes.contains(&c) => {
            let own = |op: &kehoach_core::Op| op.device == p.id && kehoach_sync::district::is_parent_op(op);
            if !req.ops.iter().all(own) {
                return Err(forbidden(
                    "Máy của đơn vị cấp trên chỉ được gửi quyết định chấp nhận hoặc trả lại báo cáo của xã",
                ));
            }
            c
        }
        (Caller::Parent(p), Some(_)) => return Err(forbidden(&format!("Xã này không thuộc {}", p.unit))),
        _ => writable(&caller, q.commune)?,
    };
    // The same checks every PC runs on what it receives (issue 14, points 1 and 3): the hub's
    // own clock bounds the stamps, and an op no PC could apply (a required field emptied, a
    // value of the wrong type, a field its record lacks, a record given another kind than its
    // ops so far) is refused here instead of being set aside by every PC of the commune.
    let now = chrono::Utc::now().timestamp_millis().max(0) as u64;
    let entities: Vec<Uuid> = req.ops.iter().map(|o| o.entity).collect::<BTreeSet<_>>().into_iter().collect();
    let known = store.kinds(commune, &entities).await?;
    kehoach_core::record::check_incoming(&req.ops, now, &known)
        .map_err(|e| ApiError(StatusCode::BAD_REQUEST, e.to_string()))?;
    let (ops, refused) = authored(store.as_ref(), req.ops).await?;
    let p = store.push(commune, &ops).await?;
    meter.count_new_ops(caller.id(), p.accepted);
    Ok(Json(wire::PushResponse { accepted: p.accepted, duplicates: p.duplicates, refused }))
}

/// Who wrote what, as far as the hub can tell (issue 14, points 4 and 5): an op signed by a
/// device enrolled here must carry that device's signature over this very op, and an op made
/// by a device revoked here after its revocation is not taken, whoever relays it. Such ops are
/// left out with their reason and the rest stored: the PC relaying them (which may have taken
/// them before the revocation was known) must not be kept from syncing. Ops of devices the hub
/// does not know (joined by invitation only) and unsigned ops of older PCs are for the PCs to
/// check, as they do.
async fn authored(
    store: &dyn HubStore,
    ops: Vec<kehoach_core::Op>,
) -> Result<(Vec<kehoach_core::Op>, Vec<String>), ApiError> {
    let mut keys: HashMap<Uuid, (Option<String>, Option<u64>)> = HashMap::new();
    let (mut kept, mut refused) = (Vec::with_capacity(ops.len()), Vec::new());
    for op in ops {
        if let std::collections::hash_map::Entry::Vacant(e) = keys.entry(op.device) {
            let key = match store.device(op.device).await? {
                Some(d) => Some(d.public_key),
                None => store.parent(op.device).await?.map(|p| p.public_key),
            };
            e.insert((key, store.revoked_at(op.device).await?));
        }
        let (key, revoked) = &keys[&op.device];
        let forged = match (&op.sig, key) {
            (Some(sig), Some(key)) => !hub_auth::verify(key, &op.signing_bytes(), sig),
            _ => false,
        };
        if forged {
            refused.push(format!(
                "thao tác {} của máy {}: chữ ký không khớp với khóa của máy đó (đã bị sửa sau khi ký)",
                op.id, op.device
            ));
        } else if let Some(at) = revoked.filter(|at| op.hlc.millis() > *at) {
            refused.push(format!(
                "thao tác {} của máy {}: máy đã bị thu hồi trên máy chủ từ {}",
                op.id,
                op.device,
                chrono::DateTime::<chrono::Utc>::from_timestamp_millis(at as i64).unwrap_or_default().to_rfc3339()
            ));
        } else {
            kept.push(op);
        }
    }
    Ok((kept, refused))
}

#[derive(Deserialize)]
struct PullQuery {
    #[serde(default)]
    after: i64,
    limit: Option<i64>,
    /// Which commune: required of a parent unit's device, optional (its own) for a commune's.
    commune: Option<Uuid>,
}

/// The commune a caller may read: its own, or one its parent unit oversees.
fn readable(caller: &Caller, asked: Option<Uuid>) -> Result<Uuid, ApiError> {
    match (caller, asked) {
        (Caller::Commune(d), None) => Ok(d.commune),
        (Caller::Commune(d), Some(c)) if c == d.commune => Ok(c),
        (Caller::Commune(_), Some(_)) => Err(forbidden("Thiết bị chỉ được đọc dữ liệu của xã mình")),
        (Caller::Parent(_), None) => Err(ApiError(
            StatusCode::BAD_REQUEST,
            "Máy của đơn vị cấp trên không đồng bộ như máy của xã: xem các xã bằng kehoach rollup, \
             hoặc chọn một xã (tham số commune)"
                .into(),
        )),
        (Caller::Parent(p), Some(c)) if p.communes.contains(&c) => Ok(c),
        (Caller::Parent(p), Some(_)) => Err(forbidden(&format!("Xã này không thuộc {}", p.unit))),
    }
}

async fn pull(
    State(AppState { store, .. }): State<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    Query(q): Query<PullQuery>,
) -> Result<Json<wire::PullResponse>, ApiError> {
    let caller = authenticate(&store, &method, &uri, &headers, b"").await?;
    let commune = readable(&caller, q.commune)?;
    let limit = q.limit.unwrap_or(1000).clamp(1, MAX_PULL);
    let rows = store.pull(commune, q.after, limit + 1).await?;
    let more = rows.len() as i64 > limit;
    let rows: Vec<_> = rows.into_iter().take(limit as usize).collect();
    let cursor = rows.last().map(|(s, _)| *s).unwrap_or(q.after);
    // Who wrote each op is checked where it arrives (issue 14, point 4): a parent unit's copy
    // of the commune learns the commune's devices here, once; a commune's PC learns the level
    // above's devices, whose decisions on reports come this way.
    let (mut devices, mut parents) = (Vec::new(), Vec::new());
    match caller {
        Caller::Parent(_) => {
            devices = store
                .devices_of(commune)
                .await?
                .into_iter()
                .map(|d| wire::EnrolledDevice { id: d.id, public_key: d.public_key })
                .collect()
        }
        Caller::Commune(_) => {
            parents = store
                .parents_of(commune)
                .await?
                .into_iter()
                .map(|p| wire::ParentDevice { id: p.id, unit: p.unit, public_key: p.public_key })
                .collect()
        }
    }
    let ops = rows.into_iter().map(|(_, o)| o).collect();
    Ok(Json(wire::PullResponse { ops, cursor, more, devices, parents }))
}

#[derive(Deserialize)]
struct RollupQuery {
    period: String,
}

/// The communes a parent unit oversees (a commune's device: its own commune) for one period:
/// tasks, done, overdue at the period's end, whether the period's report exists, and target
/// figures summed. Read-only.
async fn rollup(
    State(AppState { store, replicas, .. }): State<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    Query(q): Query<RollupQuery>,
) -> Result<Json<wire::Rollup>, ApiError> {
    let caller = authenticate(&store, &method, &uri, &headers, b"").await?;
    kehoach_core::reports::parse_period(&q.period).map_err(|e| ApiError(StatusCode::BAD_REQUEST, e.to_string()))?;
    let (unit, communes) = match caller {
        Caller::Parent(p) => (p.unit, p.communes),
        Caller::Commune(d) => (String::new(), vec![d.commune]),
    };
    let mut r = replicas.rollup(store.as_ref(), &unit, &communes, &q.period).await?;
    if r.unit.is_empty() {
        r.unit = r.communes.first().map(|c| c.name.clone()).unwrap_or_default();
    }
    Ok(Json(r))
}

#[derive(Deserialize)]
struct CommuneQuery {
    /// Which commune: required of a parent unit's device reading, optional (its own) for a
    /// commune's.
    commune: Option<Uuid>,
}

/// The commune a caller may write: its own (asking for another is refused), and none for a
/// parent unit.
fn writable(caller: &Caller, asked: Option<Uuid>) -> Result<Uuid, ApiError> {
    match (caller, asked) {
        (Caller::Parent(_), _) => {
            Err(forbidden("Máy của đơn vị cấp trên chỉ được xem dữ liệu của các xã, không được gửi dữ liệu lên"))
        }
        (Caller::Commune(d), Some(c)) if c != d.commune => Err(forbidden("Thiết bị chỉ được ghi dữ liệu của xã mình")),
        (Caller::Commune(d), _) => Ok(d.commune),
    }
}

fn bad_name(name: &str) -> ApiError {
    ApiError(StatusCode::BAD_REQUEST, format!("Tên tệp đính kèm không hợp lệ: {name}"))
}

fn too_large() -> ApiError {
    ApiError(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!("Tệp đính kèm lớn hơn {} MB: máy chủ không nhận; hãy chuyển tệp này bằng USB", MAX_ATTACHMENT >> 20),
    )
}

/// The body of an attachment upload, at most `MAX_ATTACHMENT` bytes: a declared length over
/// it is refused before anything is read, and a body that runs past it as soon as it does.
struct AttachmentBody(Bytes);

impl<S: Send + Sync> FromRequest<S> for AttachmentBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let declared = req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
        if declared.is_some_and(|n| n > MAX_ATTACHMENT) {
            return Err(too_large());
        }
        match Bytes::from_request(req, state).await {
            Ok(body) => Ok(AttachmentBody(body)),
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => Err(too_large()),
            Err(e) => Err(ApiError(StatusCode::BAD_REQUEST, format!("Không nhận được tệp gửi lên: {e}"))),
        }
    }
}

/// Stores a file of the caller's commune, once its name is checked and its content is what
/// the name says. Storing a file the commune already has changes nothing.
async fn put_attachment(
    State(AppState { store, meter, .. }): State<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    Path(name): Path<String>,
    Query(q): Query<CommuneQuery>,
    AttachmentBody(body): AttachmentBody,
) -> Result<Json<wire::AttachmentStored>, ApiError> {
    let caller = authenticate(&store, &method, &uri, &headers, &body).await?;
    meter.admit(caller.id(), 0, body.len() as u64)?;
    let commune = writable(&caller, q.commune)?;
    if !hub_auth::is_attachment_name(&name) {
        return Err(bad_name(&name));
    }
    if !hub_auth::attachment_matches(&name, &body) {
        return Err(ApiError(
            StatusCode::BAD_REQUEST,
            format!("Nội dung tệp đính kèm không khớp với tên (mã SHA-256) của nó: {name}"),
        ));
    }
    let stored = store.put_attachment(commune, &name, &body).await?;
    Ok(Json(wire::AttachmentStored { stored }))
}

/// A file of a commune the caller may read: the bytes, or 404.
async fn get_attachment(
    State(AppState { store, .. }): State<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    Path(name): Path<String>,
    Query(q): Query<CommuneQuery>,
) -> Result<Response, ApiError> {
    let caller = authenticate(&store, &method, &uri, &headers, b"").await?;
    let commune = readable(&caller, q.commune)?;
    if !hub_auth::is_attachment_name(&name) {
        return Err(bad_name(&name));
    }
    match store.get_attachment(commune, &name).await? {
        Some(body) => Ok(([(header::CONTENT_TYPE, "application/octet-stream")], body).into_response()),
        None => Err(ApiError(StatusCode::NOT_FOUND, format!("Máy chủ đồng bộ chưa có tệp đính kèm {name}"))),
    }
}

/// Which of the names asked about (at most `MAX_ATTACHMENT_NAMES`) a commune the caller may
/// read has: a PC asks before uploading (to send only what is lacking) and before downloading.
async fn attachments_held(
    State(AppState { store, .. }): State<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    Query(q): Query<CommuneQuery>,
    body: Bytes,
) -> Result<Json<wire::AttachmentNames>, ApiError> {
    let caller = authenticate(&store, &method, &uri, &headers, &body).await?;
    let commune = readable(&caller, q.commune)?;
    let req: wire::AttachmentNames = serde_json::from_slice(&body)
        .map_err(|e| ApiError(StatusCode::BAD_REQUEST, format!("Dữ liệu gửi lên không hợp lệ: {e}")))?;
    if req.names.len() > MAX_ATTACHMENT_NAMES {
        return Err(ApiError(
            StatusCode::BAD_REQUEST,
            format!("Hỏi quá nhiều tệp đính kèm trong một lần (tối đa {MAX_ATTACHMENT_NAMES})"),
        ));
    }
    let names: Vec<String> = req.names.into_iter().filter(|n| hub_auth::is_attachment_name(n)).collect();
    let held = store.has_attachments(commune, &names).await?;
    Ok(Json(wire::AttachmentNames { names: held.into_iter().collect() }))
}

#[derive(Deserialize)]
struct PlatformQuery {
    platform: String,
}

fn no_update(platform: &str) -> ApiError {
    ApiError(StatusCode::NOT_FOUND, format!("Máy chủ đồng bộ chưa có bản cập nhật cho {platform}"))
}

/// The newest signed update for the caller's platform: its signed description, which the PC
/// checks before downloading anything. Any enrolled device may ask.
async fn latest_update(
    State(AppState { store, updates, .. }): State<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    Query(q): Query<PlatformQuery>,
) -> Result<Json<kehoach_sync::update::UpdateManifest>, ApiError> {
    authenticate(&store, &method, &uri, &headers, b"").await?;
    let Some(dir) = updates else { return Err(no_update(&q.platform)) };
    let platform = q.platform.clone();
    let found = tokio::task::spawn_blocking(move || kehoach_sync::update::newest_in(&dir.dir, &platform, &dir.keys))
        .await
        .map_err(anyhow::Error::from)?;
    found.map(|(m, _)| Json(m)).ok_or_else(|| no_update(&q.platform))
}

/// An installer named by an update's description, streamed from the updates folder.
async fn update_file(
    State(AppState { store, updates, .. }): State<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    Path(name): Path<String>,
) -> Result<Response, ApiError> {
    authenticate(&store, &method, &uri, &headers, b"").await?;
    let missing = || ApiError(StatusCode::NOT_FOUND, format!("Máy chủ đồng bộ không có bộ cài {name}"));
    let Some(dir) = updates else { return Err(missing()) };
    let wanted = name.clone();
    let path = tokio::task::spawn_blocking(move || kehoach_sync::update::installer_in(&dir.dir, &wanted, &dir.keys))
        .await
        .map_err(anyhow::Error::from)?
        .ok_or_else(missing)?;
    let file = tokio::fs::File::open(&path).await.map_err(|_| missing())?;
    let size = file.metadata().await.map_err(anyhow::Error::from)?.len();
    let body = axum::body::Body::from_stream(tokio_util::io::ReaderStream::new(file));
    Ok((
        [(header::CONTENT_TYPE, "application/octet-stream".to_string()), (header::CONTENT_LENGTH, size.to_string())],
        body,
    )
        .into_response())
}
