// editor.js keeps the editor's panels (preview, SEO analysis, internal
// link suggestions, suggested sections, tags and entities) in step with
// the text as the author types, and applies a link suggestion or accepts
// a suggested tag or section with one click. It needs no framework and runs under
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

  // Images: chosen with the button or dropped on the text, uploaded to
  // the library and put in the text at the cursor as ![alt](media:ID),
  // or made the featured image.
  var body = document.getElementById("body");
  var bar = form.querySelector(".image-bar");
  var picker = document.getElementById("image-upload");
  var asFeatured = document.getElementById("image-featured");
  var featured = document.getElementById("featured_image");

  function insertAtCursor(text) {
    var start = body.selectionStart, end = body.selectionEnd;
    var before = body.value.slice(0, start), after = body.value.slice(end);
    // An image stands in a paragraph of its own.
    var lead = before === "" || /\n\n$/.test(before) ? "" : (/\n$/.test(before) ? "\n" : "\n\n");
    var tail = /^\n\n/.test(after) ? "" : (/^\n/.test(after) ? "\n" : "\n\n");
    body.value = before + lead + text + tail + after;
    body.selectionStart = body.selectionEnd = (before + lead + text).length;
    body.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function upload(file) {
    var data = new FormData();
    data.append("file", file);
    say("Uploading " + file.name + "…");
    fetch("/admin/media", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Accept": "application/json" },
      body: data
    }).then(function (res) {
      // A body over the upload limit is refused before the handler, as a
      // page, not JSON.
      return res.json().catch(function () {
        return { error: res.status === 413 ? "the file is larger than the upload limit" : "the upload failed (" + res.status + ")" };
      }).then(function (answer) {
        if (!res.ok) {
          throw new Error(answer.error || "the upload failed (" + res.status + ")");
        }
        return answer;
      });
    }).then(function (answer) {
      if (asFeatured && asFeatured.checked && featured) {
        featured.value = String(answer.id);
        featured.dispatchEvent(new Event("change", { bubbles: true }));
        say(file.name + " is the featured image (image " + answer.id + "). Describe it under Photos.");
      } else {
        insertAtCursor(answer.markdown);
        say(file.name + " added as image " + answer.id + ": write what it shows between the brackets.");
      }
    }).catch(function (err) {
      say("Image: " + err.message);
    });
  }

  if (bar && picker && body) {
    bar.hidden = false;
    picker.addEventListener("change", function () {
      if (picker.files.length > 0) {
        upload(picker.files[0]);
        picker.value = "";
      }
    });
    body.addEventListener("dragover", function (ev) {
      if (ev.dataTransfer && Array.prototype.indexOf.call(ev.dataTransfer.types, "Files") >= 0) {
        ev.preventDefault();
      }
    });
    body.addEventListener("drop", function (ev) {
      if (!ev.dataTransfer || ev.dataTransfer.files.length === 0) {
        return;
      }
      ev.preventDefault();
      Array.prototype.forEach.call(ev.dataTransfer.files, upload);
    });
  }

  // One click accepts a suggested tag or section: it goes into the form
  // as if typed, for the author to save (without this script the button
  // submits the form, which saves it with the suggestion).
  function addTag(name) {
    var tags = form.elements.tags;
    var have = tags.value.split(",").map(function (t) { return t.trim().toLowerCase(); });
    if (have.indexOf(name.toLowerCase()) < 0) {
      tags.value = tags.value.trim() === "" ? name : tags.value.replace(/[\s,]*$/, "") + ", " + name;
    }
    tags.dispatchEvent(new Event("input", { bubbles: true }));
    say("Tag " + name + " added; save to keep it.");
  }

  function chooseSection(slug) {
    var select = form.elements.section;
    if (!select) {
      return;
    }
    select.value = slug;
    select.dispatchEvent(new Event("change", { bubbles: true }));
    say("Section " + select.options[select.selectedIndex].text + " chosen; save to keep it.");
  }

  panels.addEventListener("click", function (ev) {
    var button = ev.target.closest("button.accept");
    if (!button) {
      return;
    }
    ev.preventDefault();
    button.disabled = true;
    if (button.name === "accept_tag") {
      addTag(button.value);
    } else if (button.name === "accept_section") {
      chooseSection(button.value);
    }
  });

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
