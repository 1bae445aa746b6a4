// The web chat: send what the person types, show the assistant's replies and buttons.
(function () {
  "use strict";
  var EXIT_TO = "https://www.bbc.co.uk/weather";
  var log = document.getElementById("log");
  var form = document.getElementById("chat");
  var input = document.getElementById("message");
  var status = document.getElementById("status");
  var token = document.querySelector('meta[name="csrf-token"]').content;
  var safety = log.dataset.safety;
  var max = parseInt(input.dataset.max, 10);
  var length = document.getElementById("message-length");

  // Say when a message is too long instead of cutting it off; it stays in the box to be split.
  function tooLong() {
    var over = input.value.trim().length > max;
    length.textContent = over
      ? "Your message is " + input.value.trim().length.toLocaleString("en-GB") + " characters. I can read up to " +
        max.toLocaleString("en-GB") + " at once: please send it in shorter parts."
      : "";
    input.setAttribute("aria-invalid", over ? "true" : "false");
    return over;
  }
  input.addEventListener("input", tooLong);

  function show(text, who) {
    var item = document.createElement("p");
    item.className = "msg " + who;
    item.textContent = text;
    log.appendChild(item);
    item.scrollIntoView({ block: "nearest" });
  }

  function showChoices(buttons) {
    if (!buttons.length) return;
    var group = document.createElement("div");
    group.className = "choices";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "Choices");
    buttons.forEach(function (b) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = b.title;
      button.addEventListener("click", function () {
        group.remove();
        send(b.payload, b.title);
      });
      group.appendChild(button);
    });
    log.appendChild(group);
  }

  function send(message, shown) {
    show(shown, "you");
    status.textContent = "The assistant is replying…";
    fetch("chat/api", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify({ message: message })
    })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (data) {
        data.replies.forEach(function (reply) {
          show(reply.text, "bot");
          showChoices(reply.buttons || []);
        });
      })
      // Whatever fails, the person still gets safety information.
      .catch(function () { show(safety, "bot"); })
      .finally(function () { status.textContent = ""; });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text || tooLong()) { input.focus(); return; }
    input.value = "";
    tooLong();
    send(text, text);
    input.focus();
  });

  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  document.getElementById("quick-exit").addEventListener("click", function () {
    log.textContent = "";
    input.value = "";
    // replace() leaves this page out of the back-button history.
    window.location.replace(EXIT_TO);
  });
})();
