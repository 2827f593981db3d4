//! A minimal Chrome DevTools Protocol connection over one websocket.
//!
//! A spawned reader task owns the receiving half of the socket: replies are
//! routed to the waiting caller by `id` through oneshot channels, events are
//! fanned out on a broadcast channel. Every call is bounded by a timeout, and
//! when the socket dies all pending callers are woken with [`BrowserError::Closed`].

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use futures_util::stream::{SplitSink, SplitStream};
use futures_util::{SinkExt, StreamExt};
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio::sync::{broadcast, oneshot};
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::BrowserError;

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;
type Reply = Result<Value, BrowserError>;
/// Pending calls by id; `None` once the socket has closed so late callers fail fast.
type Pending = Arc<Mutex<Option<HashMap<u64, (String, oneshot::Sender<Reply>)>>>>;

/// Full-page screenshots are large base64 strings; lift tungstenite's default caps.
const MAX_MESSAGE: usize = 512 << 20;

/// A CDP event (a message without `id`).
#[derive(Debug, Clone)]
pub(crate) struct Event {
    /// E.g. `Page.loadEventFired`.
    pub method: String,
    /// The event payload.
    pub params: Value,
    /// The flattened session the event belongs to (`None` for browser-level events).
    pub session_id: Option<String>,
}

/// One incoming websocket message: either a reply (`id`) or an event (`method`).
#[derive(Deserialize)]
struct Incoming {
    id: Option<u64>,
    result: Option<Value>,
    error: Option<WireError>,
    method: Option<String>,
    params: Option<Value>,
    #[serde(rename = "sessionId")]
    session_id: Option<String>,
}

#[derive(Deserialize)]
struct WireError {
    code: i64,
    message: String,
    data: Option<String>,
}

/// A live DevTools connection. Dropping it stops the reader task.
pub(crate) struct Connection {
    sink: tokio::sync::Mutex<SplitSink<Ws, Message>>,
    pending: Pending,
    events: broadcast::Sender<Event>,
    next_id: AtomicU64,
    reader: JoinHandle<()>,
}

impl Connection {
    /// Connects to a `ws://.../devtools/browser/...` endpoint within `timeout`.
    pub async fn connect(url: &str, timeout: Duration) -> Result<Self, BrowserError> {
        let config = WebSocketConfig::default().max_message_size(Some(MAX_MESSAGE)).max_frame_size(Some(MAX_MESSAGE));
        let connecting = tokio_tungstenite::connect_async_with_config(url, Some(config), true);
        let (ws, _response) = tokio::time::timeout(timeout, connecting)
            .await
            .map_err(|_| BrowserError::Timeout(format!("websocket connection to {url}")))?
            .map_err(|e| BrowserError::WebSocket(format!("connecting to {url}: {e}")))?;
        let (sink, stream) = ws.split();
        let pending: Pending = Arc::new(Mutex::new(Some(HashMap::new())));
        let (events, _) = broadcast::channel(1024);
        let reader = tokio::spawn(read_loop(stream, Arc::clone(&pending), events.clone()));
        Ok(Self { sink: tokio::sync::Mutex::new(sink), pending, events, next_id: AtomicU64::new(1), reader })
    }

    /// Subscribes to all events received from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.events.subscribe()
    }

    /// Sends `method` (to the flattened `session` if given) and waits for its
    /// reply, giving up after `timeout`.
    pub async fn call(
        &self,
        method: &str,
        params: Value,
        session: Option<&str>,
        timeout: Duration,
    ) -> Result<Value, BrowserError> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = oneshot::channel();
        match lock(&self.pending).as_mut() {
            Some(map) => map.insert(id, (method.to_owned(), tx)),
            None => return Err(BrowserError::Closed),
        };
        let mut msg = json!({ "id": id, "method": method, "params": params });
        if let Some(session) = session {
            msg["sessionId"] = Value::from(session);
        }
        let result = tokio::time::timeout(timeout, async {
            self.sink
                .lock()
                .await
                .send(Message::Text(msg.to_string().into()))
                .await
                .map_err(|e| BrowserError::WebSocket(format!("sending {method}: {e}")))?;
            rx.await.map_err(|_| BrowserError::Closed)?
        })
        .await;
        if let Some(map) = lock(&self.pending).as_mut() {
            map.remove(&id);
        }
        result.map_err(|_| BrowserError::Timeout(format!("reply to CDP {method}")))?
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.reader.abort();
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Routes replies and events until the socket ends, then fails all pending calls.
async fn read_loop(mut stream: SplitStream<Ws>, pending: Pending, events: broadcast::Sender<Event>) {
    while let Some(Ok(message)) = stream.next().await {
        let text = match message {
            Message::Text(text) => text,
            Message::Close(_) => break,
            _ => continue,
        };
        let Ok(incoming) = serde_json::from_str::<Incoming>(text.as_str()) else {
            continue;
        };
        if let Some(id) = incoming.id {
            let waiter = lock(&pending).as_mut().and_then(|map| map.remove(&id));
            if let Some((method, tx)) = waiter {
                let reply = match incoming.error {
                    Some(err) => Err(BrowserError::Protocol {
                        method,
                        code: err.code,
                        message: match err.data {
                            Some(data) => format!("{} ({data})", err.message),
                            None => err.message,
                        },
                    }),
                    None => Ok(incoming.result.unwrap_or(Value::Null)),
                };
                // The caller may have timed out and gone away; nothing to do then.
                let _ = tx.send(reply);
            }
        } else if let Some(method) = incoming.method {
            // No subscribers is fine: events nobody waits for are simply dropped.
            let _ = events.send(Event {
                method,
                params: incoming.params.unwrap_or(Value::Null),
                session_id: incoming.session_id,
            });
        }
    }
    // Dropping the senders wakes every waiter with `Closed`.
    lock(&pending).take();
}
