// front_page.js lets an editor drag the pinned stories of the front page
// screen into another order, and then posts the new order with the
// screen's own order form (a normal form submit, so the admin's
// cross-origin check and redirect apply as to any button). It needs no
// framework and runs under the admin's strict Content-Security-Policy.
// Without it the up and down buttons of each story do the same.
(function () {
  "use strict";
  var list = document.getElementById("pins");
  var form = document.getElementById("pin-order");
  if (!list || !form || !("draggable" in list)) {
    return;
  }
  var rows = function () { return Array.prototype.slice.call(list.querySelectorAll("li.pin")); };
  if (rows().length < 2) {
    return;
  }
  var hint = document.querySelector(".drag-hint");
  if (hint) {
    hint.hidden = false;
  }
  var dragged = null;
  var before = ""; // the order when the drag started

  function order() {
    return rows().map(function (li) { return li.getAttribute("data-slug"); });
  }

  rows().forEach(function (li) {
    li.draggable = true;
    li.classList.add("pin-draggable");
  });

  list.addEventListener("dragstart", function (e) {
    var li = e.target.closest ? e.target.closest("li.pin") : null;
    if (!li) {
      return;
    }
    dragged = li;
    before = order().join("\n");
    li.classList.add("pin-dragging");
    e.dataTransfer.effectAllowed = "move";
    // Firefox starts a drag only with some data.
    e.dataTransfer.setData("text/plain", li.getAttribute("data-slug"));
  });

  list.addEventListener("dragover", function (e) {
    if (!dragged) {
      return;
    }
    e.preventDefault();
    e.dataTransfer.dropEffect = "move";
    var over = e.target.closest ? e.target.closest("li.pin") : null;
    if (!over || over === dragged) {
      return;
    }
    // Above the middle of a row goes before it, below it after.
    var box = over.getBoundingClientRect();
    if (e.clientY < box.top + box.height / 2) {
      list.insertBefore(dragged, over);
    } else {
      list.insertBefore(dragged, over.nextSibling);
    }
  });

  list.addEventListener("drop", function (e) {
    if (dragged) {
      e.preventDefault();
    }
  });

  list.addEventListener("dragend", function () {
    if (!dragged) {
      return;
    }
    dragged.classList.remove("pin-dragging");
    dragged = null;
    var now = order();
    if (now.join("\n") === before) {
      return;
    }
    // The order form gets the new order and goes as if its button were
    // pressed.
    Array.prototype.slice.call(form.querySelectorAll('input[name="slug"]')).forEach(function (input) {
      input.remove();
    });
    now.forEach(function (slug) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = "slug";
      input.value = slug;
      form.appendChild(input);
    });
    list.classList.add("pin-saving");
    form.submit();
  });
})();
