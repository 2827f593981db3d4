// QOBE's small script: progressive enhancement only; every page works without it.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector(".menu-toggle");
  const nav = document.getElementById("nav");
  if (toggle && nav) {
    toggle.addEventListener("click", () => {
      const open = nav.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
  // Forms that change something serious ask first.
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
  // Prevent double submission of a form while it is being sent.
  document.querySelectorAll("form[method=post]").forEach((form) => {
    form.addEventListener("submit", () => {
      form.querySelectorAll("button[type=submit]").forEach((b) => { b.disabled = true; });
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
        const response = await fetch(url, { headers: { "X-Requested-With": "fetch" }, credentials: "same-origin" });
        if (!response.ok || request !== latest) return;
        const page = new DOMParser().parseFromString(await response.text(), "text/html");
        const fresh = page.querySelector(selector);
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
