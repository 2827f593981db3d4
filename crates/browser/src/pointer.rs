//! Dragging with the mouse, as a person does: the mouse is pressed, moved in steps and released
//! through the browser's input, so Chromium runs a real drag and drop and the page's own
//! `dragstart`, `dragover` and `drop` handlers see it.

use crate::{Browser, BrowserError, js_str};
use serde_json::{Value, json};

impl Browser {
    /// Presses the mouse on the first match of `handle` (an element inside something
    /// draggable), drags it to just inside the top of the first match of `target` (so it lands
    /// before it) and drops it there.
    pub async fn drag(&self, handle: &str, target: &str) -> Result<(), BrowserError> {
        // The target's top is brought to just below any fixed header, and the handle must then
        // be in view too (a person drags only between what they see).
        let js = format!(
            "const to = document.querySelector({}); if (!to) return null; \
             window.scrollBy(0, to.getBoundingClientRect().top - 120); \
             const a = el.getBoundingClientRect(), b = to.getBoundingClientRect(); \
             if (a.top < 0 || a.bottom > innerHeight) return 'apart'; \
             return [a.left + a.width / 2, a.top + a.height / 2, b.left + b.width / 2, b.top + Math.min(b.height / 4, 24)];",
            js_str(target)
        );
        let points = self.on_element(handle, &js).await?;
        if points == "apart" {
            return Err(BrowserError::Script(format!("`{handle}` and `{target}` are not in view together")));
        }
        let at = |n: usize| points.get(n).and_then(Value::as_f64);
        let (Some(x0), Some(y0), Some(x1), Some(y1)) = (at(0), at(1), at(2), at(3)) else {
            return Err(BrowserError::NoSuchElement(target.to_owned()));
        };
        let mouse = |kind: &str, x: f64, y: f64| json!({"type": kind, "x": x, "y": y, "button": "left", "buttons": 1, "clickCount": 1});
        self.cmd("Input.dispatchMouseEvent", mouse("mousePressed", x0, y0)).await?;
        // In steps, as a hand moves: the drag starts past a few pixels, then passes over the way.
        // It rests at the target a moment, as the browser sends `dragover` while the mouse moves.
        const STEPS: u32 = 8;
        for step in 1..=STEPS + 3 {
            let f = f64::from(step.min(STEPS)) / f64::from(STEPS);
            let wobble = if step > STEPS { f64::from(step - STEPS) } else { 0.0 };
            let (x, y) = (x0 + (x1 - x0) * f + wobble, y0 + (y1 - y0) * f);
            self.cmd("Input.dispatchMouseEvent", mouse("mouseMoved", x, y)).await?;
            tokio::time::sleep(std::time::Duration::from_millis(30)).await;
        }
        self.cmd("Input.dispatchMouseEvent", mouse("mouseReleased", x1, y1)).await.map(drop)
    }
}
