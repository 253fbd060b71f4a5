// editor.js keeps the editor's panels (preview, SEO analysis, internal
// link suggestions) in step with the text as the author types, and applies
// a link suggestion with one click. It needs no framework and runs under
// the admin's strict Content-Security-Policy: no inline script, no eval.
// Without it the panels still render on the editor page after saving.
(function () {
  "use strict";
  var form = document.getElementById("editor");
  var panels = document.getElementById("panels");
  var status = document.getElementById("editor-status");
  if (!form || !panels || !window.fetch) {
    return;
  }
  var panelsURL = form.getAttribute("data-panels");
  var delay = 600; // ms after typing stops
  var timer = null;
  var seq = 0; // answers to older requests are dropped

  function say(msg) {
    if (status) {
      status.textContent = msg;
    }
  }

  function fields(extra) {
    var data = new URLSearchParams(new FormData(form));
    if (extra) {
      Object.keys(extra).forEach(function (k) { data.append(k, extra[k]); });
    }
    return data;
  }

  function refresh() {
    var mine = ++seq;
    fetch(panelsURL, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Accept": "text/html" },
      body: fields()
    }).then(function (res) {
      if (!res.ok) {
        throw new Error("the panels could not be updated (" + res.status + ")");
      }
      return res.text();
    }).then(function (html) {
      if (mine !== seq) {
        return;
      }
      // The fragment is the server's own template output; the preview
      // in it is sanitised by the same renderer as the public page.
      panels.innerHTML = html;
    }).catch(function (err) {
      say("Panels: " + err.message);
    });
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(refresh, delay);
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);

  // One click applies a suggestion: the server writes the link into the
  // text as typed and saves it (or, for an unsaved article, sends the new
  // text back).
  panels.addEventListener("click", function (ev) {
    var button = ev.target.closest("button.apply-link");
    if (!button) {
      return;
    }
    ev.preventDefault();
    button.disabled = true;
    fetch(button.getAttribute("formaction"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Accept": "application/json" },
      body: fields({ suggestion: button.value })
    }).then(function (res) {
      return res.json().catch(function () {
        return { error: "the server's answer could not be read (" + res.status + ")" };
      });
    }).then(function (out) {
      if (out.error) {
        say(out.error);
        button.disabled = false;
        refresh();
        return;
      }
      form.elements.body.value = out.body;
      if (out.version) {
        form.elements.version.value = out.version;
      }
      say(out.message || "Link applied.");
      refresh();
    }).catch(function (err) {
      say("The link was not applied: " + err.message);
      button.disabled = false;
    });
  });
})();
