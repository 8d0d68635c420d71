//! HTTP: routes, authentication (session cookie or bearer token), the
//! permission on every unit route, uploads streamed to the store, and the
//! security headers. Pages are rendered by [`super::pages`].
//!
//! Permissions: a unit account reads and changes only its own unit; the
//! province account reads every unit and changes none. Every refusal is
//! logged with time and address.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, DefaultBodyLimit, Multipart, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use serde::Deserialize;
use serde_json::json;
use tower_http::set_header::SetResponseHeaderLayer;

use super::auth::{self, Auth, RateLimit};
use super::data::{Budget, Refusal};
use super::db::{self, StoredFile, Unit, User};
use super::pages;
use super::queue::Core;
use super::ServerError;

pub const SESSION_COOKIE: &str = "tlkc_session";
const PRE_COOKIE: &str = "tlkc_login";
/// Sessions last a working day.
const SESSION_SECONDS: i64 = 12 * 3600;

pub struct App {
    pub core: Arc<Core>,
    pub rate: RateLimit,
    /// Cookies marked Secure (served behind HTTPS).
    pub secure_cookies: bool,
    /// Take the client address from X-Forwarded-For (behind nginx/Caddy).
    pub trust_proxy: bool,
    /// An upload sending nothing for this long is cut off.
    pub idle: std::time::Duration,
    /// Uploads being received now, in all and per unit.
    pub receiving: Receiving,
    /// BagIt exports being written or sent now.
    pub bags: Arc<tokio::sync::Semaphore>,
}

/// How many uploads are being received at once, in all and per unit: each
/// holds a connection and writes up to the upload limit to `tmp/`, so a
/// client opening many (or trickling one byte a minute into each) would
/// otherwise fill the disk and the connections.
pub struct Receiving {
    max_total: usize,
    max_per_unit: usize,
    now: std::sync::Mutex<std::collections::HashMap<i64, usize>>,
}

/// One upload being received; leaves its place when dropped.
pub struct ReceivingGuard<'a> {
    of: &'a Receiving,
    unit: i64,
}

impl Receiving {
    /// Uploads at most `max_total` at once, at most 4 of one unit.
    pub fn new(max_total: usize) -> Receiving {
        Receiving {
            max_total: max_total.max(1),
            max_per_unit: max_total.clamp(1, 4),
            now: Default::default(),
        }
    }

    fn enter(&self, unit: i64) -> Option<ReceivingGuard<'_>> {
        let mut now = self.now.lock().unwrap_or_else(|p| p.into_inner());
        let total: usize = now.values().sum();
        let mine = now.get(&unit).copied().unwrap_or(0);
        if total >= self.max_total || mine >= self.max_per_unit {
            return None;
        }
        now.insert(unit, mine + 1);
        Some(ReceivingGuard { of: self, unit })
    }
}

impl Drop for ReceivingGuard<'_> {
    fn drop(&mut self) {
        let mut now = self.of.now.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = now.get_mut(&self.unit) {
            *n -= 1;
            if *n == 0 {
                now.remove(&self.unit);
            }
        }
    }
}

type Shared = State<Arc<App>>;

/// A refusal or failure, as JSON (API) or as a page.
#[derive(Debug)]
pub struct Fail {
    pub status: StatusCode,
    pub message: String,
    pub html: bool,
}

impl Fail {
    fn new(status: StatusCode, message: impl Into<String>, html: bool) -> Fail {
        Fail {
            status,
            message: message.into(),
            html,
        }
    }
}

impl IntoResponse for Fail {
    fn into_response(self) -> Response {
        if self.html {
            let body = pages::error_page(self.status.as_u16(), &self.message);
            (self.status, html_type(), body).into_response()
        } else {
            (self.status, Json(json!({ "error": self.message }))).into_response()
        }
    }
}

fn internal(html: bool) -> impl Fn(ServerError) -> Fail {
    move |e| {
        eprintln!("tlkc server: {e}");
        Fail::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Máy chủ gặp lỗi khi xử lý yêu cầu; thử lại sau hoặc báo quản trị viên.",
            html,
        )
    }
}

fn html_type() -> [(header::HeaderName, &'static str); 1] {
    [(header::CONTENT_TYPE, "text/html; charset=utf-8")]
}

/// The router with every route and the security headers.
pub fn router(app: Arc<App>) -> Router {
    let csp = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
               img-src 'self' data:; connect-src 'self'; form-action 'self'; \
               frame-ancestors 'none'; base-uri 'none'";
    Router::new()
        .route("/", get(home))
        .route("/login", get(login_page).post(login_form))
        .route("/logout", post(logout_form))
        .route("/static/upload.js", get(static_js))
        .route("/static/tlkc.css", get(static_css))
        // Browsers ask for it on every page (the HTML report too); a 404
        // would be a console error on each of them.
        .route("/favicon.ico", get(favicon))
        .route("/units/{unit}", get(unit_page))
        .route("/units/{unit}/uploads/{id}", get(upload_page))
        .route("/units/{unit}/uploads/{id}/report.html", get(report_page))
        .route("/units/{unit}/uploads/{id}/diff", get(diff_page))
        .route("/units/{unit}/uploads/{id}/files/{*path}", get(stored_file))
        .route("/province", get(province_page))
        .route("/province/report.html", get(province_report_page))
        .route("/province/export.xlsx", get(province_xlsx))
        .route("/rules", get(rules_page))
        .route("/rules/{id}", get(rule_page))
        .route("/api/login", post(api_login))
        .route("/api/logout", post(api_logout))
        .route("/api/units", get(api_units))
        .route(
            "/api/units/{unit}/uploads",
            post(api_upload)
                .get(api_uploads)
                .layer(DefaultBodyLimit::disable()),
        )
        .route("/api/units/{unit}/uploads/{id}", get(api_upload_status))
        .route(
            "/api/units/{unit}/uploads/{id}/report",
            get(api_upload_report),
        )
        .route("/api/units/{unit}/uploads/{id}/bag", get(api_bag))
        .route("/api/units/{unit}/report", get(api_latest_report))
        .route("/api/units/{unit}/log", get(api_log))
        .route("/api/province", get(api_province))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(csp),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        ))
        .with_state(app)
}

// ---------------------------------------------------------------- helpers

fn address(app: &App, peer: SocketAddr, headers: &HeaderMap) -> String {
    if app.trust_proxy {
        if let Some(v) = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
        {
            return v.trim().to_string();
        }
    }
    peer.ip().to_string()
}

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

fn set_cookie(app: &App, name: &str, value: &str, max_age: i64) -> HeaderValue {
    let secure = if app.secure_cookies { "; Secure" } else { "" };
    let v = format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}");
    HeaderValue::from_str(&v).unwrap_or_else(|_| HeaderValue::from_static(""))
}

fn now_secs() -> i64 {
    chrono::Utc::now().timestamp()
}

/// The session (cookie) or token (Authorization: Bearer) user.
fn authenticate(app: &App, headers: &HeaderMap) -> Result<Option<Auth>, ServerError> {
    let c = app.core.conn();
    if let Some(token) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    {
        return Ok(
            db::user_by_token(&c, &auth::digest(token.trim()))?.map(|user| Auth {
                user,
                csrf: None,
                session: None,
            }),
        );
    }
    if let Some(sid) = cookie(headers, SESSION_COOKIE) {
        return Ok(
            db::session(&c, &auth::digest(&sid), now_secs())?.map(|(user, csrf)| Auth {
                user,
                csrf: Some(csrf),
                session: Some(sid),
            }),
        );
    }
    Ok(None)
}

fn required(app: &App, headers: &HeaderMap, html: bool) -> Result<Auth, Fail> {
    match authenticate(app, headers).map_err(internal(html))? {
        Some(a) => Ok(a),
        None => Err(Fail::new(
            StatusCode::UNAUTHORIZED,
            "Cần đăng nhập (hoặc mã truy cập Bearer hợp lệ).",
            html,
        )),
    }
}

fn csrf_header_ok(a: &Auth, headers: &HeaderMap) -> bool {
    match &a.csrf {
        None => true,
        Some(expected) => headers
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| constant_eq(v, expected)),
    }
}

fn constant_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

fn refuse_logged(
    app: &App,
    a: &Auth,
    addr: &str,
    unit: Option<i64>,
    what: &str,
    html: bool,
) -> Fail {
    let _ = db::log(
        &app.core.conn(),
        db::Event {
            kind: "refused",
            login: Some(&a.user.login),
            unit_id: unit,
            address: addr,
            details: json!({ "request": what }),
        },
    );
    Fail::new(
        StatusCode::FORBIDDEN,
        "Tài khoản này không có quyền với đơn vị này: mỗi đơn vị chỉ xem và tải lên tài liệu của mình; tài khoản Sở chỉ xem.",
        html,
    )
}

/// The unit named in the path, when `a` may read it (or change it, `write`).
fn unit_for(
    app: &App,
    a: &Auth,
    key: &str,
    write: bool,
    addr: &str,
    what: &str,
    html: bool,
) -> Result<Unit, Fail> {
    let unit = db::find_unit(&app.core.conn(), key).map_err(internal(html))?;
    let Some(unit) = unit else {
        // A unit account learns nothing about other units: refused alike.
        if !a.user.province {
            return Err(refuse_logged(app, a, addr, None, what, html));
        }
        return Err(Fail::new(
            StatusCode::NOT_FOUND,
            format!("Không có đơn vị `{key}`."),
            html,
        ));
    };
    let own = a.user.unit_id == Some(unit.id);
    let allowed = own || (a.user.province && !write);
    if !allowed {
        return Err(refuse_logged(app, a, addr, Some(unit.id), what, html));
    }
    Ok(unit)
}

fn province_only(app: &App, a: &Auth, addr: &str, what: &str, html: bool) -> Result<(), Fail> {
    if a.user.province {
        Ok(())
    } else {
        Err(refuse_logged(app, a, addr, a.user.unit_id, what, html))
    }
}

fn upload_of(app: &App, unit: &Unit, id: i64, html: bool) -> Result<db::Upload, Fail> {
    match db::upload(&app.core.conn(), id).map_err(internal(html))? {
        Some(u) if u.unit_id == unit.id => Ok(u),
        _ => Err(Fail::new(
            StatusCode::NOT_FOUND,
            format!("Đơn vị {} không có lần tải lên số {id}.", unit.name),
            html,
        )),
    }
}

// ---------------------------------------------------------------- login

#[derive(Deserialize)]
struct LoginForm {
    login: String,
    password: String,
    #[serde(default)]
    csrf: String,
}

async fn login_page(State(app): Shared, headers: HeaderMap) -> Response {
    if let Ok(Some(a)) = authenticate(&app, &headers) {
        return Redirect::to(&home_of(&app, &a.user)).into_response();
    }
    let token = auth::random_hex(16);
    let body = pages::login_page(&app.core.province, &token, None);
    let mut r = (html_type(), body).into_response();
    r.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&app, PRE_COOKIE, &token, 3600),
    );
    r
}

fn home_of(app: &App, user: &User) -> String {
    match user.unit_id {
        Some(id) => match db::unit_by_id(&app.core.conn(), id) {
            Ok(Some(u)) => format!("/units/{}", u.slug),
            _ => "/login".into(),
        },
        None => "/province".into(),
    }
}

/// Check a login and password with the rate limit; log either way.
async fn check_login(
    app: &Arc<App>,
    login: &str,
    password: &str,
    addr: &str,
) -> Result<User, Fail> {
    let log = |kind: &str, details: serde_json::Value, unit: Option<i64>| {
        let _ = db::log(
            &app.core.conn(),
            db::Event {
                kind,
                login: Some(login),
                unit_id: unit,
                address: addr,
                details,
            },
        );
    };
    if !app.rate.begin(login, addr) {
        log("login_throttled", json!({}), None);
        return Err(Fail::new(
            StatusCode::TOO_MANY_REQUESTS,
            "Đăng nhập sai quá nhiều lần; chờ 15 phút rồi thử lại, hoặc nhờ quản trị viên đặt lại mật khẩu.",
            false,
        ));
    }
    let found = db::user_by_login(&app.core.conn(), login).map_err(internal(false))?;
    let (hash, user) = match found {
        Some((u, h)) => (h, Some(u)),
        None => (auth::decoy_hash().to_string(), None),
    };
    let pw = password.to_string();
    let ok = tokio::task::spawn_blocking(move || auth::verify_password(&pw, &hash))
        .await
        .unwrap_or(false);
    match user {
        Some(u) if ok && !u.disabled => {
            app.rate.succeeded_from(login, addr);
            log("login", json!({}), u.unit_id);
            Ok(u)
        }
        other => {
            let why = match &other {
                Some(u) if u.disabled => "disabled",
                Some(_) => "wrong password",
                None => "no such login",
            };
            log(
                "login_failed",
                json!({ "why": why }),
                other.and_then(|u| u.unit_id),
            );
            Err(Fail::new(
                StatusCode::UNAUTHORIZED,
                "Sai tên đăng nhập hoặc mật khẩu (hoặc tài khoản đã bị khoá).",
                false,
            ))
        }
    }
}

fn new_session(app: &App, user: &User) -> Result<(String, String), ServerError> {
    let sid = auth::random_hex(32);
    let csrf = auth::random_hex(16);
    db::add_session(
        &app.core.conn(),
        &auth::digest(&sid),
        user.id,
        &csrf,
        now_secs() + SESSION_SECONDS,
    )?;
    Ok((sid, csrf))
}

async fn login_form(
    State(app): Shared,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Response {
    let addr = address(&app, peer, &headers);
    let pre = cookie(&headers, PRE_COOKIE).unwrap_or_default();
    if pre.is_empty() || !constant_eq(&pre, &f.csrf) {
        return Fail::new(
            StatusCode::FORBIDDEN,
            "Phiên đăng nhập đã hết hạn; mở lại trang đăng nhập rồi thử lại.",
            true,
        )
        .into_response();
    }
    match check_login(&app, f.login.trim(), &f.password, &addr).await {
        Ok(user) => match new_session(&app, &user) {
            Ok((sid, _)) => {
                let mut r = Redirect::to(&home_of(&app, &user)).into_response();
                r.headers_mut().append(
                    header::SET_COOKIE,
                    set_cookie(&app, SESSION_COOKIE, &sid, SESSION_SECONDS),
                );
                r.headers_mut()
                    .append(header::SET_COOKIE, set_cookie(&app, PRE_COOKIE, "", 0));
                r
            }
            Err(e) => internal(true)(e).into_response(),
        },
        Err(fail) => {
            let body = pages::login_page(&app.core.province, &pre, Some(&fail.message));
            (fail.status, html_type(), body).into_response()
        }
    }
}

#[derive(Deserialize)]
struct LoginJson {
    login: String,
    password: String,
}

async fn api_login(
    State(app): Shared,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Json(f): Json<LoginJson>,
) -> Response {
    let addr = address(&app, peer, &headers);
    match check_login(&app, f.login.trim(), &f.password, &addr).await {
        Ok(user) => match new_session(&app, &user) {
            Ok((sid, csrf)) => {
                let mut r = Json(json!({ "login": user.login, "csrf": csrf })).into_response();
                r.headers_mut().append(
                    header::SET_COOKIE,
                    set_cookie(&app, SESSION_COOKIE, &sid, SESSION_SECONDS),
                );
                r
            }
            Err(e) => internal(false)(e).into_response(),
        },
        Err(f) => f.into_response(),
    }
}

fn end_session(app: &App, a: &Auth, addr: &str) {
    if let Some(sid) = &a.session {
        let c = app.core.conn();
        let _ = db::end_session(&c, &auth::digest(sid));
        let _ = db::log(
            &c,
            db::Event {
                kind: "logout",
                login: Some(&a.user.login),
                unit_id: a.user.unit_id,
                address: addr,
                details: json!({}),
            },
        );
    }
}

#[derive(Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

async fn logout_form(
    State(app): Shared,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(f): Form<CsrfForm>,
) -> Response {
    let addr = address(&app, peer, &headers);
    if let Ok(Some(a)) = authenticate(&app, &headers) {
        if a.csrf.as_deref().is_some_and(|c| constant_eq(c, &f.csrf)) {
            end_session(&app, &a, &addr);
        } else {
            return Fail::new(
                StatusCode::FORBIDDEN,
                "Mã chống giả mạo (CSRF) không đúng.",
                true,
            )
            .into_response();
        }
    }
    let mut r = Redirect::to("/login").into_response();
    r.headers_mut()
        .append(header::SET_COOKIE, set_cookie(&app, SESSION_COOKIE, "", 0));
    r
}

async fn api_logout(
    State(app): Shared,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Result<Response, Fail> {
    let addr = address(&app, peer, &headers);
    let a = required(&app, &headers, false)?;
    if !csrf_header_ok(&a, &headers) {
        return Err(Fail::new(StatusCode::FORBIDDEN, "Thiếu mã CSRF.", false));
    }
    end_session(&app, &a, &addr);
    Ok(StatusCode::NO_CONTENT.into_response())
}

// ---------------------------------------------------------------- pages

async fn home(State(app): Shared, headers: HeaderMap) -> Response {
    match authenticate(&app, &headers) {
        Ok(Some(a)) => Redirect::to(&home_of(&app, &a.user)).into_response(),
        _ => Redirect::to("/login").into_response(),
    }
}

async fn static_js() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        pages::UPLOAD_JS,
    )
        .into_response()
}

/// No icon: "nothing here", not an error.
async fn favicon() -> Response {
    (
        StatusCode::NO_CONTENT,
        [(header::CACHE_CONTROL, "max-age=86400")],
    )
        .into_response()
}

async fn static_css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        pages::CSS,
    )
        .into_response()
}

async fn unit_page(
    State(app): Shared,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(key): Path<String>,
) -> Result<Response, Fail> {
    let addr = address(&app, peer, &headers);
    let a = match authenticate(&app, &headers).map_err(internal(true))? {
        Some(a) => a,
        None => return Ok(Redirect::to("/login").into_response()),
    };
    let unit = unit_for(&app, &a, &key, false, &addr, "unit page", true)?;
    let uploads = db::uploads(&app.core.conn(), unit.id).map_err(internal(true))?;
    let body = pages::unit_page(&app.core, &a, &unit, &uploads);
    Ok((html_type(), body).into_response())
}

async fn upload_page(
    State(app): Shared,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path((key, id)): Path<(String, i64)>,
) -> Result<Response, Fail> {
    let addr = address(&app, peer, &headers);
    let a = required(&app, &headers, true)?;
    let unit = unit_for(&app, &a, &key, false, &addr, "upload page", true)?;
    let upload = upload_of(&app, &unit, id, true)?;
    let progress = app.core.progress(id);
    let body = pages::upload_page(&a, &unit, &upload, progress);
    Ok((html_type(), body).into_response())
}

async fn report_page(
    State(app): Shared,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path((key, id)): Path<(String, i64)>,
) -> Result<Response, Fail> {
    let addr = address(&app, peer, &headers);
    let a = required(&app, &headers, true)?;
    let unit = unit_for(&app, &a, &key, false, &addr, "report page", true)?;
    upload_of(&app, &unit, id, true)?;
    match db::report(&app.core.conn(), id, true).map_err(internal(true))? {
        Some(html) => Ok((html_type(), html).into_response()),
        None => Ok(Redirect::to(&format!("/units/{}/uploads/{id}", unit.slug)).into_response()),
    }
}

async fn diff_page(
    State(app): Shared,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path((key, id)): Path<(String, i64)>,
) -> Result<Response, Fail> {
    let addr = address(&app, peer, &headers);
    let a = required(&app, &headers, true)?;
    let unit = unit_for(&app, &a, &key, false, &addr, "diff page", true)?;
    let upload = upload_of(&app, &unit, id, true)?;
    let c = app.core.conn();
    let all = db::uploads(&c, unit.id).map_err(internal(true))?;
    let previous = all.iter().find(|u| u.id < id).cloned();
    let now = db::files(&c, id).map_err(internal(true))?;
    let before = match &previous {
        Some(p) => db::files(&c, p.id).map_err(internal(true))?,
        None => Vec::new(),
    };
    drop(c);
    let body = pages::diff_page(&a, &unit, &upload, previous.as_ref(), &before, &now);
    Ok((html_type(), body).into_response())
}

/// An uploaded file, always as a download: never rendered by the browser.
async fn stored_file(
    State(app): Shared,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path((key, id, path)): Path<(String, i64, String)>,
) -> Result<Response, Fail> {
    let addr = address(&app, peer, &headers);
    let a = required(&app, &headers, true)?;
    let unit = unit_for(&app, &a, &key, false, &addr, "stored file", true)?;
    upload_of(&app, &unit, id, true)?;
    let wanted = crate::text::nfc(&path);
    let files = db::files(&app.core.conn(), id).map_err(internal(true))?;
    let Some(f) = files.into_iter().find(|f| f.path == wanted) else {
        return Err(Fail::new(
            StatusCode::NOT_FOUND,
            format!("Lần tải lên này không có tệp `{wanted}`."),
            true,
        ));
    };
    let name = crate::text::file_name(&f.path).to_string();
    let kind = if name.to_lowercase().ends_with(".pdf") {
        "application/pdf"
    } else {
        "application/octet-stream"
    };
    let disposition = format!(
        "attachment; filename=\"{}\"; filename*=UTF-8''{}",
        ascii_fallback(&name),
        crate::report::escape::uri_path(&name)
    );
    let body = file_body(app.core.store.object(&f.sha256)).map_err(internal(true))?;
    let mut r = Response::new(body);
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(f.size));
    // Even if opened in place, it runs nothing.
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("sandbox; default-src 'none'"),
    );
    Ok(r)
}

fn ascii_fallback(name: &str) -> String {
    crate::text::fold(name)
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// A file streamed in 64 KiB chunks.
fn file_body(path: PathBuf) -> Result<Body, ServerError> {
    file_body_holding(path, None)
}

/// [`file_body`], keeping `held` (a place among the bag exports) until the
/// body has been sent or dropped.
fn file_body_holding(
    path: PathBuf,
    held: Option<tokio::sync::OwnedSemaphorePermit>,
) -> Result<Body, ServerError> {
    let file = std::fs::File::open(&path).map_err(ServerError::io(&path))?;
    let stream = futures_util::stream::unfold(Some(file), |state| async move {
        let mut file = state?;
        let read = tokio::task::spawn_blocking(move || {
            use std::io::Read;
            let mut buf = vec![0u8; 64 * 1024];
            let n = file.read(&mut buf)?;
            buf.truncate(n);
            Ok::<_, std::io::Error>((file, buf))
        })
        .await;
        match read {
            Ok(Ok((_, buf))) if buf.is_empty() => None,
            Ok(Ok((file, buf))) => Some((Ok::<_, std::io::Error>(Bytes::from(buf)), Some(file))),
            Ok(Err(e)) => Some((Err(e), None)),
            Err(e) => Some((Err(std::io::Error::other(e)), None)),
        }
    });
    let stream = futures_util::StreamExt::map(stream, move |chunk| {
        let _ = &held;
        chunk
    });
    Ok(Body::from_stream(stream))
}

async fn province_page(
    State(app): Shared,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Result<Response, Fail> {
    let addr = address(&app, peer, &headers);
    let a = match authenticate(&app, &headers).map_err(internal(true))? {
        Some(a) => a,
        None => return Ok(Redirect::to("/login").into_response()),
    };
    province_only(&app, &a, &addr, "province page", true)?;
    let (report, units) = super::province::report(&app.core.conn()).map_err(internal(true))?;
    let body = pages::province_page(&app.core, &a, &report, &units);
    Ok((html_type(), body).into_response())
}

async fn province_report_page(
    State(app): Shared,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Result<Response, Fail> {
    let addr = address(&app, peer, &headers);
    let a = required(&app, &headers, true)?;
    province_only(&app, &a, &addr, "province report", true)?;
    let (report, _) = super::province::report(&app.core.conn()).map_err(internal(true))?;
    let mut out = Vec::new();
    let opts = crate::report::Options {
        lang: crate::findings::Lang::Vi,
        ..Default::default()
    };
    crate::report::units::html::render(&report, &opts, &mut out)
        .map_err(|e| internal(true)(ServerError::Invalid(e.to_string())))?;
    Ok((html_type(), out).into_response())
}

async fn province_xlsx(
    State(app): Shared,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Result<Response, Fail> {
    let addr = address(&app, peer, &headers);
    let a = required(&app, &headers, true)?;
    province_only(&app, &a, &addr, "province export", true)?;
    let (report, _) = super::province::report(&app.core.conn()).map_err(internal(true))?;
    let mut out = Vec::new();
    crate::report::units::table::xlsx(&report, crate::findings::Lang::Vi, &mut out)
        .map_err(|e| internal(true)(ServerError::Invalid(e.to_string())))?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"tlkc-xep-hang-don-vi.xlsx\"",
            ),
        ],
        out,
    )
        .into_response())
}

async fn rules_page(State(app): Shared, headers: HeaderMap) -> Result<Response, Fail> {
    let a = required(&app, &headers, true)?;
    let mut out = Vec::new();
    crate::report::rules::list(&app.core.rules, crate::findings::Lang::Vi, &mut out)
        .map_err(|e| internal(true)(ServerError::Invalid(e.to_string())))?;
    let body = pages::rules_page(&a, &app.core.rules, None, &String::from_utf8_lossy(&out));
    Ok((html_type(), body).into_response())
}

async fn rule_page(
    State(app): Shared,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, Fail> {
    let a = required(&app, &headers, true)?;
    let mut out = Vec::new();
    let found =
        crate::report::rules::show(&app.core.rules, &id, crate::findings::Lang::Vi, &mut out)
            .map_err(|e| internal(true)(ServerError::Invalid(e.to_string())))?;
    if !found {
        return Err(Fail::new(
            StatusCode::NOT_FOUND,
            format!("Bộ tiêu chí không có mục `{id}`."),
            true,
        ));
    }
    let body = pages::rules_page(
        &a,
        &app.core.rules,
        Some(&id),
        &String::from_utf8_lossy(&out),
    );
    Ok((html_type(), body).into_response())
}

// ---------------------------------------------------------------- API

async fn api_units(State(app): Shared, headers: HeaderMap) -> Result<Response, Fail> {
    let a = required(&app, &headers, false)?;
    let units = db::units(&app.core.conn()).map_err(internal(false))?;
    let list: Vec<_> = units
        .iter()
        .filter(|u| a.user.province || a.user.unit_id == Some(u.id))
        .map(|u| json!({ "id": u.id, "name": u.name, "slug": u.slug }))
        .collect();
    Ok(Json(json!({ "units": list })).into_response())
}

async fn api_uploads(
    State(app): Shared,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(key): Path<String>,
) -> Result<Response, Fail> {
    let addr = address(&app, peer, &headers);
    let a = required(&app, &headers, false)?;
    let unit = unit_for(&app, &a, &key, false, &addr, "list uploads", false)?;
    let uploads = db::uploads(&app.core.conn(), unit.id).map_err(internal(false))?;
    let list: Vec<_> = uploads
        .iter()
        .map(|u| upload_json(&app, &unit, u))
        .collect();
    Ok(Json(json!({ "unit": unit.name, "uploads": list })).into_response())
}

fn upload_json(app: &App, unit: &Unit, u: &db::Upload) -> serde_json::Value {
    let mut v = serde_json::to_value(u).unwrap_or_default();
    if let Some((done, total)) = app.core.progress(u.id) {
        v["progress"] = json!({ "inspected": done, "files": total });
    }
    v["report_url"] = format!("/api/units/{}/uploads/{}/report", unit.slug, u.id).into();
    v["page_url"] = format!("/units/{}/uploads/{}", unit.slug, u.id).into();
    v
}

async fn api_upload_status(
    State(app): Shared,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path((key, id)): Path<(String, i64)>,
) -> Result<Response, Fail> {
    let addr = address(&app, peer, &headers);
    let a = required(&app, &headers, false)?;
    let unit = unit_for(&app, &a, &key, false, &addr, "upload status", false)?;
    let upload = upload_of(&app, &unit, id, false)?;
    Ok(Json(upload_json(&app, &unit, &upload)).into_response())
}

/// The JSON report of upload `id`, once checked: a script asking right
/// after uploading waits for the check (up to ten minutes).
async fn report_when_ready(app: &Arc<App>, unit: &Unit, id: i64) -> Result<Response, Fail> {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(600);
    loop {
        let upload = upload_of(app, unit, id, false)?;
        match upload.state.as_str() {
            "done" => {
                let json = db::report(&app.core.conn(), id, false).map_err(internal(false))?;
                return Ok((
                    [(header::CONTENT_TYPE, "application/json")],
                    json.unwrap_or_default(),
                )
                    .into_response());
            }
            "failed" => {
                return Err(Fail::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    format!(
                        "Không kiểm tra được lần tải lên số {id}: {}",
                        upload.error.unwrap_or_default()
                    ),
                    false,
                ))
            }
            _ if tokio::time::Instant::now() > deadline
                || app.core.closing.load(std::sync::atomic::Ordering::SeqCst) =>
            {
                return Ok(
                    (StatusCode::ACCEPTED, Json(upload_json(app, unit, &upload))).into_response(),
                )
            }
            _ => tokio::time::sleep(std::time::Duration::from_millis(100)).await,
        }
    }
}

async fn api_upload_report(
    State(app): Shared,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path((key, id)): Path<(String, i64)>,
) -> Result<Response, Fail> {
    let addr = address(&app, peer, &headers);
    let a = required(&app, &headers, false)?;
    let unit = unit_for(&app, &a, &key, false, &addr, "upload report", false)?;
    report_when_ready(&app, &unit, id).await
}

async fn api_latest_report(
    State(app): Shared,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(key): Path<String>,
) -> Result<Response, Fail> {
    let addr = address(&app, peer, &headers);
    let a = required(&app, &headers, false)?;
    let unit = unit_for(&app, &a, &key, false, &addr, "latest report", false)?;
    let latest = db::uploads(&app.core.conn(), unit.id)
        .map_err(internal(false))?
        .into_iter()
        .next();
    match latest {
        Some(u) => report_when_ready(&app, &unit, u.id).await,
        None => Err(Fail::new(
            StatusCode::NOT_FOUND,
            format!("{}: {}", unit.name, super::province::NOT_UPLOADED),
            false,
        )),
    }
}

async fn api_log(
    State(app): Shared,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(key): Path<String>,
) -> Result<Response, Fail> {
    let addr = address(&app, peer, &headers);
    let a = required(&app, &headers, false)?;
    let unit = unit_for(&app, &a, &key, false, &addr, "ledger", false)?;
    let events = db::unit_log(&app.core.conn(), unit.id).map_err(internal(false))?;
    Ok(Json(json!({ "unit": unit.name, "events": events })).into_response())
}

async fn api_province(
    State(app): Shared,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Result<Response, Fail> {
    let addr = address(&app, peer, &headers);
    let a = required(&app, &headers, false)?;
    province_only(&app, &a, &addr, "province", false)?;
    let (report, _) = super::province::report(&app.core.conn()).map_err(internal(false))?;
    let mut out = Vec::new();
    crate::report::units::json::render(&report, &mut out)
        .map_err(|e| internal(false)(ServerError::Invalid(e.to_string())))?;
    Ok(([(header::CONTENT_TYPE, "application/json")], out).into_response())
}

/// The upload as a BagIt bag (RFC 8493, written by [`crate::bag`]), zipped.
async fn api_bag(
    State(app): Shared,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path((key, id)): Path<(String, i64)>,
) -> Result<Response, Fail> {
    let addr = address(&app, peer, &headers);
    let a = required(&app, &headers, false)?;
    let unit = unit_for(&app, &a, &key, false, &addr, "bag", false)?;
    let upload = upload_of(&app, &unit, id, false)?;
    // Each export writes the upload twice to tmp/ (the bag, its zip) and
    // keeps the zip until the client has read it: a few at a time.
    let Ok(place) = Arc::clone(&app.bags).try_acquire_owned() else {
        return Ok((
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::RETRY_AFTER, "60")],
            Json(json!({ "error": "Máy chủ đang xuất các gói BagIt khác; thử lại sau ít phút." })),
        )
            .into_response());
    };
    let core = Arc::clone(&app.core);
    let unit2 = unit.clone();
    let zip_path =
        tokio::task::spawn_blocking(move || super::bagzip::bag_zip(&core, &unit2, &upload))
            .await
            .map_err(|e| internal(false)(ServerError::Invalid(e.to_string())))?
            .map_err(internal(false))?;
    let body = file_body_holding(zip_path.clone(), Some(place)).map_err(internal(false))?;
    // The zip is open: its name can go (the stream keeps reading it).
    let _ = std::fs::remove_file(&zip_path);
    let name = format!("{}-lan-{id}-bagit.zip", unit.slug);
    let mut r = Response::new(body);
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/zip"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(r)
}

// ---------------------------------------------------------------- upload

/// POST /api/units/{unit}/uploads: multipart, each file part's file name
/// its path relative to the evidence folder (or one .zip of the folder).
async fn api_upload(
    app: Shared,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    key: Path<String>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    // A refusal leaves the body unread (before or after its first bytes):
    // the connection closes after the answer, and says so, so that a
    // client does not send its next request on a connection the server
    // is about to drop.
    let mut r = receive_upload(app, peer, headers, key, multipart)
        .await
        .into_response();
    if r.status().is_client_error() || r.status().is_server_error() {
        r.headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    r
}

async fn receive_upload(
    State(app): Shared,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(key): Path<String>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, Fail> {
    let addr = address(&app, peer, &headers);
    let wants_html = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let a = required(&app, &headers, wants_html)?;
    let unit = unit_for(&app, &a, &key, true, &addr, "upload", wants_html)?;
    let Ok(mut multipart) = multipart else {
        return Err(Fail::new(
            StatusCode::BAD_REQUEST,
            "Cần gửi tệp dạng multipart/form-data (mỗi tệp một phần, tên tệp là đường dẫn trong thư mục).",
            wants_html,
        ));
    };
    let queued = db::queued_count(&app.core.conn()).map_err(internal(wants_html))?;
    if queued >= app.core.max_queued {
        return Err(Fail::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "Máy chủ đang có quá nhiều lần tải lên chờ kiểm tra; thử lại sau ít phút.",
            wants_html,
        ));
    }
    let Some(_receiving) = app.receiving.enter(unit.id) else {
        let mut r = Fail::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "Máy chủ đang nhận quá nhiều lần tải lên cùng lúc (hoặc đơn vị này đang có nhiều lần tải lên dở dang); thử lại sau ít phút.",
            wants_html,
        )
        .into_response();
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
        return Ok(r);
    };
    // A cookie-authenticated upload carries the session's CSRF token: in
    // the X-CSRF-Token header, or as a `csrf` field first. Whether the
    // request "looks like" a browser (Origin, Sec-Fetch-Site) is not asked:
    // older browsers and some proxies send neither, and a cookie is only
    // ever a browser's (scripts use a bearer token, or the token
    // `/api/login` hands out with the cookie).
    let mut csrf_ok = csrf_header_ok(&a, &headers);
    let received = receive(&app, &mut multipart, &mut csrf_ok, &a).await;
    let files = match received {
        Ok(files) => files,
        Err(refusal) => {
            drain(&mut multipart, app.idle).await;
            let (status, message) = match refusal {
                Refusal::TooLarge(m) => (StatusCode::PAYLOAD_TOO_LARGE, m),
                Refusal::Bad(m) => (StatusCode::BAD_REQUEST, m),
                Refusal::Server(e) => return Err(internal(wants_html)(e)),
            };
            let _ = db::log(
                &app.core.conn(),
                db::Event {
                    kind: "upload_refused",
                    login: Some(&a.user.login),
                    unit_id: Some(unit.id),
                    address: &addr,
                    details: json!({ "status": status.as_u16(), "reason": message }),
                },
            );
            // The rest of the body is not read: the connection closes
            // after the answer ([`api_upload`]), so a refused 2 GiB upload
            // costs no more.
            return Err(Fail::new(status, message, wants_html));
        }
    };
    let id = {
        let mut c = app.core.conn();
        db::add_upload(&mut c, &unit, &a.user, &addr, &files).map_err(internal(wants_html))?
    };
    app.core.enqueue(id);
    let page = format!("/units/{}/uploads/{id}", unit.slug);
    if wants_html {
        return Ok(Redirect::to(&page).into_response());
    }
    let bytes: u64 = files.iter().map(|f| f.size).sum();
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, page.clone())],
        Json(json!({
            "id": id,
            "unit": unit.name,
            "files": files.len(),
            "bytes": bytes,
            "state": "queued",
            "report_url": format!("/api/units/{}/uploads/{id}/report", unit.slug),
            "status_url": format!("/api/units/{}/uploads/{id}", unit.slug),
            "page_url": page,
        })),
    )
        .into_response())
}

/// Receive every part into the store, within the limits.
async fn receive(
    app: &Arc<App>,
    multipart: &mut Multipart,
    csrf_ok: &mut bool,
    a: &Auth,
) -> Result<Vec<StoredFile>, Refusal> {
    let store = &app.core.store;
    let mut budget = Budget::new(app.core.limits);
    let mut files: Vec<StoredFile> = Vec::new();
    let mut names = super::names::Layout::default();
    // A lone .zip is kept aside until it is known to be alone.
    let mut zip: Option<(PathBuf, String)> = None;
    let bad = |e: axum::extract::multipart::MultipartError| {
        Refusal::Bad(format!(
            "Dữ liệu tải lên bị lỗi hoặc bị ngắt giữa chừng ({e}); tải lại."
        ))
    };
    // A client that stops sending (a slow-loris body) is cut off after
    // `app.idle` without a byte, instead of holding a connection and a
    // half-written file for ever.
    let idle = app.idle;
    let stalled = || {
        Refusal::Bad(format!(
            "Dữ liệu tải lên dừng quá {} giây giữa chừng; kiểm tra mạng rồi tải lại.",
            idle.as_secs()
        ))
    };
    while let Some(mut field) = tokio::time::timeout(idle, multipart.next_field())
        .await
        .map_err(|_| stalled())?
        .map_err(bad)?
    {
        let Some(raw_name) = field.file_name().map(str::to_string) else {
            // A form field: read in chunks, its bytes counted against the
            // upload's total like a file's (never buffered whole: a `csrf`
            // field of gigabytes would otherwise sit in memory), only the
            // first bytes kept (a CSRF token is 32 characters).
            let is_csrf = field.name() == Some("csrf");
            let mut value = Vec::new();
            while let Some(chunk) = tokio::time::timeout(idle, field.chunk())
                .await
                .map_err(|_| stalled())?
                .map_err(bad)?
            {
                budget.add_bytes(chunk.len() as u64, 0, "")?;
                if is_csrf && value.len() <= 256 {
                    value.extend_from_slice(&chunk[..chunk.len().min(257 - value.len())]);
                }
            }
            let value = String::from_utf8_lossy(&value);
            if is_csrf
                && a.csrf
                    .as_deref()
                    .is_some_and(|c| constant_eq(c, value.trim()))
            {
                *csrf_ok = true;
            }
            continue;
        };
        // An empty file input of a form (the folder picker left empty when
        // a .zip was chosen, or the other way round) sends a nameless part.
        if raw_name.is_empty() {
            skip_part(&mut field, idle, &mut budget, &stalled, &bad).await?;
            continue;
        }
        if !*csrf_ok {
            return Err(Refusal::Bad(
                "Thiếu mã chống giả mạo (CSRF); tải lại trang rồi thử lại.".into(),
            ));
        }
        let name = super::names::clean(&raw_name).map_err(Refusal::Bad)?;
        if super::names::is_tool_state(&name) {
            skip_part(&mut field, idle, &mut budget, &stalled, &bad).await?;
            continue;
        }
        names.claim(&name).map_err(Refusal::Bad)?;
        budget.add_file()?;
        let mut inc = store.incoming()?;
        let result: Result<(), Refusal> = async {
            while let Some(chunk) = tokio::time::timeout(idle, field.chunk())
                .await
                .map_err(|_| stalled())?
                .map_err(bad)?
            {
                tokio::task::block_in_place(|| inc.write(&chunk))
                    .map_err(|e| Refusal::Server(ServerError::io(&inc.path)(e)))?;
                budget.add_bytes(chunk.len() as u64, inc.size, &name)?;
            }
            Ok(())
        }
        .await;
        if let Err(e) = result {
            let _ = std::fs::remove_file(&inc.path);
            return Err(e);
        }
        let tmp_path = inc.path.clone();
        let (tmp, sha, size) = tokio::task::block_in_place(|| inc.finish())
            .map_err(|e| Refusal::Server(ServerError::io(&tmp_path)(e)))?;
        if let Some((zt, zs)) = zip.take() {
            tokio::task::block_in_place(|| store.put(&zt, &zs))?;
        }
        if files.is_empty() && name.to_lowercase().ends_with(".zip") {
            zip = Some((tmp.clone(), sha.clone()));
        } else {
            tokio::task::block_in_place(|| store.put(&tmp, &sha))?;
        }
        files.push(StoredFile {
            path: name,
            sha256: sha,
            size,
        });
    }
    if let Some((zt, zs)) = zip {
        if files.len() == 1 {
            let mut zbudget = Budget::new(app.core.limits);
            let st = store.clone();
            let out = tokio::task::spawn_blocking(move || {
                let r = super::zipin::expand(&zt, &st, &mut zbudget);
                let _ = std::fs::remove_file(&zt);
                r
            })
            .await
            .map_err(|e| Refusal::Server(ServerError::Invalid(e.to_string())))?;
            return out;
        }
        tokio::task::block_in_place(|| store.put(&zt, &zs))?;
    }
    if files.is_empty() {
        return Err(Refusal::Bad(
            "Không có tệp nào được gửi. Chọn thư mục tài liệu kiểm chứng (hoặc tệp .zip của thư mục) rồi tải lên.".into(),
        ));
    }
    Ok(files)
}

/// Read a little of what is left of a refused upload (up to 8 MiB, while
/// it keeps coming), so a client still sending a small body reads the
/// refusal instead of a reset connection; the connection is then closed,
/// so a large body is never read to its end.
/// Read a part that is not kept (an empty file input, tlkc's own `.tlkc/`
/// folder) to its end: cut off when it stalls, and its bytes counted
/// against the upload's total like a kept file's, so a skipped part cannot
/// be an endless body.
async fn skip_part(
    field: &mut axum::extract::multipart::Field<'_>,
    idle: std::time::Duration,
    budget: &mut Budget,
    stalled: &impl Fn() -> Refusal,
    bad: &impl Fn(axum::extract::multipart::MultipartError) -> Refusal,
) -> Result<(), Refusal> {
    while let Some(chunk) = tokio::time::timeout(idle, field.chunk())
        .await
        .map_err(|_| stalled())?
        .map_err(bad)?
    {
        budget.add_bytes(chunk.len() as u64, 0, "")?;
    }
    Ok(())
}

async fn drain(multipart: &mut Multipart, idle: std::time::Duration) {
    let mut left: u64 = 8 << 20;
    while let Ok(Ok(Some(mut field))) = tokio::time::timeout(idle, multipart.next_field()).await {
        while let Ok(Ok(Some(chunk))) = tokio::time::timeout(idle, field.chunk()).await {
            left = left.saturating_sub(chunk.len() as u64);
            if left == 0 {
                return;
            }
        }
    }
}
