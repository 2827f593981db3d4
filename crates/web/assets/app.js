// QOBE's small script: progressive enhancement only; every page works without it.
"use strict";

// Tables with more body rows than this scroll inside their frame, under a sticky header.
const LONG_TABLE = 25;

// A button that switches a class on the whole page (narrow navigation, compact tables) and is
// remembered on this device under `key` as `words[0]` (on) or `words[1]` (off); a hidden button
// shows, since it works now.
const rememberedSwitch = (button, className, key, words) => {
  if (!button) return;
  const apply = (on) => {
    document.documentElement.classList.toggle(className, on);
    button.setAttribute("aria-pressed", on ? "true" : "false");
  };
  apply(localStorage.getItem(key) === words[0]);
  button.hidden = false;
  button.addEventListener("click", () => {
    const on = !document.documentElement.classList.contains(className);
    localStorage.setItem(key, on ? words[0] : words[1]);
    apply(on);
  });
};

// One part of another page: the element `selector` of the page at `url` (as the server renders
// it for a signed-in fetch), `null` when that page has no such element, `undefined` when the
// page could not be had.
const fetchPart = async (url, selector) => {
  const response = await fetch(url, { headers: { "X-Requested-With": "fetch" }, credentials: "same-origin" });
  if (!response.ok) return undefined;
  const page = new DOMParser().parseFromString(await response.text(), "text/html");
  return page.querySelector(selector);
};
document.addEventListener("DOMContentLoaded", () => {
  // The side navigation: a drawer on phones (the menu button, Escape closes it), narrowed to
  // icons on wider screens when the person asks (remembered on this device).
  const toggle = document.querySelector(".menu-toggle");
  const side = document.getElementById("side");
  if (toggle && side) {
    const show = (open) => {
      side.classList.toggle("open", open);
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    };
    toggle.addEventListener("click", () => show(!side.classList.contains("open")));
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && side.classList.contains("open")) {
        show(false);
        toggle.focus();
      }
    });
  }
  rememberedSwitch(document.querySelector(".collapse-toggle"), "nav-collapsed", "qobe.nav", ["icons", "full"]);
  // A table wider (or a grid taller) than its frame scrolls inside it: the frame then takes the
  // keyboard's focus, so the arrow keys scroll it.
  const reachable = () => {
    document.querySelectorAll(".table-wrap, .grid-wrap").forEach((frame) => {
      const scrolls = frame.scrollWidth > frame.clientWidth + 1 || frame.scrollHeight > frame.clientHeight + 1;
      if (scrolls && !frame.hasAttribute("tabindex")) {
        frame.setAttribute("tabindex", "0");
        frame.dataset.scrollFocus = "true";
      } else if (!scrolls && frame.dataset.scrollFocus) {
        frame.removeAttribute("tabindex");
        delete frame.dataset.scrollFocus;
      }
    });
  };
  reachable();
  window.addEventListener("resize", reachable);
  // The search box answers as the person types (the search page's answers, shown under the
  // box); "/" reaches it from anywhere. The arrow keys walk from the box through the answers and
  // back, Escape hides them, Enter opens the search page (or the answer that has the focus).
  const quick = document.getElementById("quick-search");
  if (quick) {
    const input = quick.querySelector("input[name=q]");
    const answers = document.getElementById("quick-answers");
    let timer = 0;
    let latest = 0;
    const show = (open) => {
      answers.hidden = !open;
    };
    const ask = async () => {
      const text = input.value.trim();
      const request = ++latest;
      if (text.length < 2) {
        answers.replaceChildren();
        show(false);
        return;
      }
      const fresh = await fetchPart("/search?q=" + encodeURIComponent(text), "#search-answers");
      if (request !== latest || fresh === undefined) return;
      answers.replaceChildren(...(fresh ? fresh.childNodes : []));
      show(true);
    };
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(ask, 200);
    });
    const links = () => [...answers.querySelectorAll("a[href]")];
    quick.addEventListener("keydown", (event) => {
      if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
      const all = links();
      if (answers.hidden || all.length === 0) return;
      event.preventDefault();
      const at = all.indexOf(document.activeElement);
      const next = event.key === "ArrowDown" ? at + 1 : at - 1;
      if (next < 0) input.focus();
      else all[Math.min(next, all.length - 1)].focus();
    });
    document.addEventListener("keydown", (event) => {
      const typing = ["INPUT", "TEXTAREA", "SELECT"].includes(document.activeElement.tagName) || document.activeElement.isContentEditable;
      if (event.key === "/" && !typing) {
        event.preventDefault();
        input.focus();
      } else if (event.key === "Escape" && quick.contains(document.activeElement)) {
        show(false);
        input.focus();
      }
    });
    document.addEventListener("click", (event) => {
      if (!quick.contains(event.target)) show(false);
    });
  }
  // Tables: a long one scrolls in its own frame under a header that stays in view; the person
  // may ask for compact rows everywhere (remembered on this device).
  document.querySelectorAll(".table-wrap").forEach((frame) => {
    const table = frame.querySelector("table");
    if (table && table.tBodies[0] && table.tBodies[0].rows.length > LONG_TABLE) frame.classList.add("long");
  });
  reachable();
  rememberedSwitch(document.querySelector(".density-toggle"), "dense-tables", "qobe.density", ["compact", "comfortable"]);
  // A notice of what was just done shows as a toast the person can close (the cross is drawn
  // by the style sheet, so the notice's text stays only its message).
  document.querySelectorAll(".toast").forEach((toast) => {
    const close = document.createElement("button");
    close.type = "button";
    close.className = "toast-close";
    close.setAttribute("aria-label", "Close the notice");
    close.addEventListener("click", () => toast.remove());
    toast.appendChild(close);
  });
  // The person's menu closes when they click elsewhere.
  document.addEventListener("click", (event) => {
    document.querySelectorAll("details.account[open]").forEach((menu) => {
      if (!menu.contains(event.target)) menu.removeAttribute("open");
    });
  });
  // Forms that change something serious ask first.
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
  // A form is sent once: a second click while it is on its way does nothing. The buttons are
  // not disabled (a disabled button's name=value is left out of the form, so "Import" or
  // "Approve" would arrive without saying which was clicked); they only look busy.
  document.querySelectorAll("form[method=post]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (event.defaultPrevented) return; // a confirmation was declined
      if (form.dataset.sending) {
        event.preventDefault();
        return;
      }
      form.dataset.sending = "true";
      form.querySelectorAll("button[type=submit]").forEach((b) => b.setAttribute("aria-busy", "true"));
    });
  });
  // Back to a page kept in the browser's memory: its forms can be sent again.
  window.addEventListener("pageshow", () => {
    document.querySelectorAll("form[data-sending]").forEach((form) => {
      delete form.dataset.sending;
      form.querySelectorAll("button[aria-busy]").forEach((b) => b.removeAttribute("aria-busy"));
    });
  });
});

// Partial page updates: a GET form with data-target="#id" refreshes only that element as the
// person types (debounced), keeping the URL shareable. Without the script the form submits.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("form[data-target]").forEach((form) => {
    const selector = form.dataset.target;
    const target = document.querySelector(selector);
    if (!target) return;
    let timer = 0;
    let latest = 0;
    const refresh = async () => {
      const url = new URL(form.getAttribute("action") || location.pathname, location.href);
      url.search = new URLSearchParams(new FormData(form)).toString();
      const request = ++latest;
      target.setAttribute("aria-busy", "true");
      try {
        const fresh = await fetchPart(url, selector);
        if (request !== latest) return;
        if (fresh) {
          target.replaceChildren(...fresh.childNodes);
          history.replaceState(null, "", url);
        }
      } finally {
        if (request === latest) target.removeAttribute("aria-busy");
      }
    };
    form.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(refresh, 250);
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      refresh();
    });
  });
});

// The marks grid: arrow keys and Enter move between cells; each cell saves shortly after
// typing stops (or when left), and the offering's CLO attainment comes back with the answer.
// Without the script the grid is one form with a "Save all" button.
document.addEventListener("DOMContentLoaded", () => {
  const table = document.querySelector("table.marks-grid[data-editable=true]");
  const form = document.getElementById("marks-form");
  if (!table || !form) return;
  const status = document.getElementById("grid-status");
  const csrf = form.querySelector("input[name=csrf_token]").value;
  const rows = [...table.querySelectorAll("tbody tr")].map((tr) => [...tr.querySelectorAll("input.cell")]);
  const saved = new Map();
  rows.flat().forEach((input) => saved.set(input, input.value));
  const show = (text) => { if (status) status.textContent = text; };
  const save = async (input) => {
    if (saved.get(input) === input.value) return;
    const sent = input.value;
    input.classList.remove("error", "saved");
    input.classList.add("saving");
    const body = new URLSearchParams({ [input.name]: sent });
    try {
      const response = await fetch(form.action, {
        method: "POST",
        headers: { "X-Requested-With": "fetch", "X-CSRF-Token": csrf, "Content-Type": "application/x-www-form-urlencoded" },
        credentials: "same-origin",
        body,
      });
      const answer = await response.json();
      input.classList.remove("saving");
      // A refusal is shown beside the cell it is about, not only in a tooltip.
      const note = () => {
        let element = input.parentElement.querySelector(".cell-error");
        if (!element) {
          element = document.createElement("span");
          element.className = "cell-error";
          element.id = `${input.name}-error`;
          input.parentElement.appendChild(element);
          input.setAttribute("aria-describedby", element.id);
        }
        return element;
      };
      if (response.ok) {
        saved.set(input, sent);
        input.classList.add("saved");
        input.removeAttribute("aria-invalid");
        input.title = "";
        const old = input.parentElement.querySelector(".cell-error");
        if (old) { old.remove(); input.removeAttribute("aria-describedby"); }
        const summary = answer.attainment.map((c) => `${c.clo} ${c.value === null ? "—" : Math.round(c.value * 1000) / 10 + "%"}`).join(" · ");
        show(`Saved. CLO attainment now: ${summary}`);
      } else {
        input.classList.add("error");
        input.setAttribute("aria-invalid", "true");
        input.title = (answer.problems || []).map((p) => p.replace(/^row \d+: /, "")).join(" ");
        note().textContent = input.title;
        show(`Not saved: ${input.title}`);
      }
    } catch (e) {
      input.classList.remove("saving");
      input.classList.add("error");
      show("Not saved: the connection failed. Your mark is still in the cell; try again.");
    }
  };
  const timers = new Map();
  rows.forEach((cells, r) => cells.forEach((input, c) => {
    input.addEventListener("input", () => {
      clearTimeout(timers.get(input));
      timers.set(input, setTimeout(() => save(input), 500));
    });
    input.addEventListener("change", () => { clearTimeout(timers.get(input)); save(input); });
    input.addEventListener("keydown", (event) => {
      const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], Enter: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
      const move = moves[event.key];
      if (!move) return;
      if ((event.key === "ArrowLeft" && input.selectionStart > 0) || (event.key === "ArrowRight" && input.selectionEnd < input.value.length)) return;
      const next = rows[r + move[0]] && rows[r + move[0]][c + move[1]];
      if (next) {
        event.preventDefault();
        next.focus();
        next.select();
      }
    });
  }));
  form.addEventListener("submit", () => rows.flat().forEach((input) => clearTimeout(timers.get(input))));
});

// A document being made in the background: follow its progress, then offer the file.
(() => {
  const job = document.querySelector("#job[data-status-url]");
  if (!job || job.dataset.status === "done" || job.dataset.status === "failed") return;
  const bar = document.getElementById("job-progress");
  const stage = document.getElementById("job-stage");
  const follow = async () => {
    const response = await fetch(job.dataset.statusUrl, { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const status = await response.json();
    bar.value = status.progress;
    bar.textContent = `${status.progress}%`;
    stage.textContent = status.status === "done" || status.status === "failed" ? status.stage : `${status.stage} (${status.progress}%)`;
    job.dataset.status = status.status;
    if (status.status === "done") document.getElementById("job-file").hidden = false;
    else if (status.status === "failed") window.location.reload();
    else setTimeout(follow, 700);
  };
  setTimeout(follow, 400);
})();

// Report tables sort by any column: click (or press Enter on) its heading; again to reverse.
// Numbers and percentages sort as numbers, "—" and blanks last.
(() => {
  const value = (cell) => {
    const text = (cell ? cell.innerText : "").trim();
    const number = parseFloat(text.replace(/[%,]/g, ""));
    return Number.isNaN(number) ? text.toLowerCase() : number;
  };
  document.querySelectorAll("table[data-sortable]").forEach((table) => {
    const body = table.tBodies[0];
    if (!body || !table.tHead) return;
    table.tHead.querySelectorAll("th").forEach((th, column) => {
      th.tabIndex = 0;
      th.classList.add("sortable");
      th.setAttribute("aria-sort", "none");
      const sort = () => {
        const ascending = th.getAttribute("aria-sort") !== "ascending";
        table.tHead.querySelectorAll("th").forEach((other) => other.setAttribute("aria-sort", "none"));
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        const rows = Array.from(body.rows);
        rows.sort((a, b) => {
          const [x, y] = [value(a.cells[column]), value(b.cells[column])];
          if (x === "" || x === "—") return 1;
          if (y === "" || y === "—") return -1;
          const order = typeof x === typeof y ? (x < y ? -1 : x > y ? 1 : 0) : typeof x === "number" ? -1 : 1;
          return ascending ? order : -order;
        });
        rows.forEach((row) => body.appendChild(row));
      };
      th.addEventListener("click", sort);
      th.addEventListener("keydown", (event) => { if (event.key === "Enter") sort(); });
    });
  });
})();

// The survey designer: each question shows only the settings of its kind, and questions move by
// drag and drop (within a section or into another); the new order is kept when the form is
// saved, since the questions are read in the order their fields come. The ↑ ↓ buttons move them
// by keyboard, without the script too.
(() => {
  const designer = document.getElementById("designer");
  if (!designer) return;
  const showKind = (question) => {
    const kind = question.querySelector(".question-kind").value;
    question.querySelectorAll(".kind-part").forEach((part) => {
      part.hidden = !part.dataset.kinds.split(" ").includes(kind);
    });
  };
  designer.querySelectorAll(".designer-question").forEach((question) => {
    showKind(question);
    question.querySelector(".question-kind").addEventListener("change", () => showKind(question));
  });
  let dragged = null;
  const unsaved = designer.querySelector(".unsaved");
  designer.addEventListener("dragstart", (event) => {
    dragged = event.target.closest && event.target.closest(".designer-question");
    if (dragged) {
      dragged.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", dragged.id);
    }
  });
  designer.addEventListener("dragend", () => {
    if (dragged) dragged.classList.remove("dragging");
    dragged = null;
  });
  designer.querySelectorAll(".designer-questions").forEach((list) => {
    list.addEventListener("dragover", (event) => {
      if (!dragged) return;
      event.preventDefault();
      const after = [...list.querySelectorAll(".designer-question:not(.dragging)")].find((item) => {
        const box = item.getBoundingClientRect();
        return event.clientY < box.top + box.height / 2;
      });
      if (after) list.insertBefore(dragged, after);
      else list.appendChild(dragged);
      if (unsaved) unsaved.hidden = false;
    });
  });
})();

// Answering a survey: a section or question whose condition (on an earlier answer) fails is
// hidden as the respondent answers, as the server will judge it; without the script every
// question shows and the server drops the answers that do not apply.
(() => {
  const form = document.querySelector("form.survey");
  if (!form) return;
  const answers = (key) =>
    [...form.elements].filter((el) => el.name === key && (!/radio|checkbox/.test(el.type) || el.checked) && el.value !== "").map((el) => el.value);
  const visible = (key) => {
    const holder = document.getElementById(`q-${key}`);
    return holder && !holder.hidden && !(holder.closest(".survey-section") || {}).hidden;
  };
  const holds = (el) => {
    const key = el.dataset.if;
    if (!key) return true;
    if (!visible(key)) return false;
    const given = answers(key);
    if (given.length === 0) return false;
    const value = el.dataset.value || "";
    switch (el.dataset.test) {
      case "any_of": return given.some((v) => value.split("|").includes(v));
      case "at_least": return given.some((v) => Number(v) >= Number(value));
      case "at_most": return given.some((v) => Number(v) <= Number(value));
      default: return true;
    }
  };
  const apply = () => {
    form.querySelectorAll(".survey-section, fieldset.question").forEach((el) => { el.hidden = !holds(el); });
  };
  form.addEventListener("change", apply);
  form.addEventListener("input", apply);
  apply();
})();

// Course content: an editor drags an item within its module's list; the new order is sent to
// the module's order address (the arrows beside each item move it by keyboard without script).
document.addEventListener("DOMContentLoaded", () => {
  const token = document.querySelector("input[name=csrf_token]");
  document.querySelectorAll("ol[data-reorder]").forEach((list) => {
    let dragged = null;
    list.addEventListener("dragstart", (event) => {
      dragged = event.target.closest && event.target.closest("li[data-id]");
      if (!dragged) return;
      dragged.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", dragged.dataset.id);
    });
    list.addEventListener("dragover", (event) => {
      if (!dragged) return;
      event.preventDefault();
      const after = [...list.querySelectorAll("li[data-id]:not(.dragging)")].find((item) => {
        const box = item.getBoundingClientRect();
        return event.clientY < box.top + box.height / 2;
      });
      if (after) list.insertBefore(dragged, after);
      else list.appendChild(dragged);
    });
    list.addEventListener("drop", (event) => event.preventDefault());
    list.addEventListener("dragend", () => {
      if (!dragged || !token) return;
      dragged.classList.remove("dragging");
      dragged = null;
      const order = [...list.querySelectorAll("li[data-id]")].map((item) => item.dataset.id).join(",");
      list.setAttribute("aria-busy", "true");
      fetch(list.dataset.orderUrl, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "x-csrf-token": token.value, "x-requested-with": "fetch" },
        body: new URLSearchParams({ order }),
      }).then((answer) => {
        list.removeAttribute("aria-busy");
        list.dataset.saved = answer.ok ? "true" : "false";
      });
    });
  });
});

// Links and buttons with `data-key` (the grading view's previous and next student) answer to
// Alt and that key anywhere on the page, even while typing in a mark.
document.addEventListener("keydown", (event) => {
  if (!event.altKey || event.ctrlKey || event.metaKey) return;
  const target = document.querySelector(`[data-key="${CSS.escape(event.key)}"]`);
  if (!target) return;
  event.preventDefault();
  target.click();
});

// A quiz attempt: each question's answer is saved shortly after it changes (its own form, sent
// in the background), the status beside it says when; the time left counts down, and at zero
// the page reloads, when the server has closed the attempt. Without the script each question
// has its own "Save answer" button.
document.addEventListener("DOMContentLoaded", () => {
  const forms = document.querySelectorAll("ol.quiz form.answer");
  forms.forEach((form) => {
    const status = form.querySelector(".save-status");
    if (!status) return;
    let timer;
    const save = async () => {
      const body = new URLSearchParams(new FormData(form));
      status.textContent = "Saving…";
      try {
        const response = await fetch(form.action, {
          method: "POST",
          headers: { "X-Requested-With": "fetch", "X-CSRF-Token": body.get("csrf_token"), "Content-Type": "application/x-www-form-urlencoded" },
          credentials: "same-origin",
          body,
        });
        const answer = await response.json();
        status.textContent = response.ok ? answer.saved : answer.error;
        form.dataset.saved = response.ok ? "true" : "false";
      } catch {
        status.textContent = "Not saved: the connection dropped. It is tried again when you change the answer.";
        form.dataset.saved = "false";
      }
    };
    form.addEventListener("change", () => { clearTimeout(timer); save(); });
    form.addEventListener("input", (event) => {
      if (event.target.type !== "text" && event.target.tagName !== "TEXTAREA") return;
      clearTimeout(timer);
      timer = setTimeout(save, 700);
    });
    form.addEventListener("submit", (event) => { event.preventDefault(); clearTimeout(timer); save(); });
  });
  const left = document.getElementById("time-left");
  if (!left) return;
  const deadline = Date.parse(left.dataset.deadline);
  const tick = () => {
    const seconds = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    left.textContent = `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, "0")} s`;
    if (seconds <= 0) { setTimeout(() => window.location.reload(), 1500); return; }
    setTimeout(tick, 1000);
  };
  tick();
});
