// Houqin stocktakes: the scope field of the start form, and the label scanner of the count page.
// No inline script (CSP). The scanner uses the camera (getUserMedia) and BarcodeDetector where
// the browser has it, else the vendored jsQR, loaded only when needed; the typed or pasted code
// goes through the same path. Labels hold the URL /assets/a/<public code>/; the server accepts
// that URL or a bare code.
(function () {
  "use strict";

  // Start form: show only the field that matches the chosen scope.
  function setUpScope() {
    var choice = document.querySelector("select[data-scope-choice]");
    if (!choice) { return; }
    function update() {
      document.querySelectorAll("[data-scope]").forEach(function (field) {
        var wrapper = field.closest(".mb-3") || field;
        wrapper.classList.toggle("d-none", field.getAttribute("data-scope") !== choice.value);
      });
    }
    choice.addEventListener("change", update);
    update();
  }

  function csrfToken(root) {
    var input = root.querySelector("input[name=csrfmiddlewaretoken]") ||
      document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function setUpScanner() {
    var box = document.getElementById("scanner");
    if (!box) { return; }
    var form = document.getElementById("scan-form");
    var input = document.getElementById("scan-code");
    var status = document.getElementById("scan-status");
    var video = document.getElementById("scan-video");
    var startButton = box.querySelector("[data-scan-start]");
    var stopButton = box.querySelector("[data-scan-stop]");
    var room = form.querySelector("input[name=room]").value;
    var stream = null;
    var timer = null;
    var detector = null;
    var canvas = document.createElement("canvas");
    var lastCode = "";
    var lastAt = 0;
    var busy = false;

    function say(text, kind) {
      status.textContent = text;
      status.className = "small mt-2 " + (kind === "error" ? "text-danger" : kind === "ok" ? "text-success" : "text-muted");
    }

    function showLine(payload) {
      var list = document.getElementById("count-lines");
      var holder = document.createElement("ul");
      holder.innerHTML = payload.html;
      var fresh = holder.querySelector("li");
      if (!fresh) { return; }
      var old = document.getElementById("line-" + payload.line_id);
      if (old) { old.replaceWith(fresh); } else { list.prepend(fresh); }
      var empty = document.querySelector("[data-testid=empty]");
      if (empty) { empty.remove(); }
      if (window.htmx) { window.htmx.process(fresh); }
      var progress = document.getElementById("room-progress");
      if (progress && payload.progress) {
        progress.textContent = payload.progress.counted + " / " + payload.progress.expected;
      }
      fresh.scrollIntoView({ block: "nearest" });
    }

    // The entry point: send one scanned or typed code; resolves with the server's answer.
    function submit(code) {
      code = (code || "").trim();
      if (!code) { return Promise.resolve(null); }
      var body = new FormData();
      body.append("code", code);
      body.append("room", room);
      body.append("csrfmiddlewaretoken", csrfToken(box));
      return fetch(box.getAttribute("data-scan-url"), {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "Accept": "application/json", "X-CSRFToken": csrfToken(box) }
      }).then(function (response) {
        return response.json();
      }).then(function (payload) {
        say(payload.message, payload.ok ? "ok" : "error");
        if (payload.ok) {
          showLine(payload);
          if (navigator.vibrate) { navigator.vibrate(60); }
        }
        return payload;
      }).catch(function () {
        say(box.getAttribute("data-msg-failed"), "error");
        return null;
      });
    }
    window.houqinScan = submit;

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var code = input.value;
      input.value = "";
      submit(code).then(function () { input.focus(); });
    });

    function loadDecoder() {
      if (window.jsQR) { return Promise.resolve(); }
      return new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = box.getAttribute("data-decoder-url");
        script.onload = resolve;
        script.onerror = reject;
        document.head.appendChild(script);
      });
    }

    function makeDetector() {
      if (!("BarcodeDetector" in window)) { return loadDecoder().then(function () { return null; }); }
      try {
        return Promise.resolve(new window.BarcodeDetector({ formats: ["qr_code"] }));
      } catch (e) {
        return loadDecoder().then(function () { return null; });
      }
    }

    function decodeFrame() {
      if (!video.videoWidth) { return Promise.resolve(""); }
      if (detector) {
        return detector.detect(video).then(function (codes) {
          return codes.length ? codes[0].rawValue : "";
        });
      }
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      var context = canvas.getContext("2d", { willReadFrequently: true });
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      var image = context.getImageData(0, 0, canvas.width, canvas.height);
      var found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
      return Promise.resolve(found ? found.data : "");
    }

    function tick() {
      if (!stream || busy) { return; }
      busy = true;
      decodeFrame().then(function (code) {
        var now = Date.now();
        if (code && (code !== lastCode || now - lastAt > 4000)) {
          lastCode = code;
          lastAt = now;
          return submit(code);
        }
        return null;
      }).catch(function () { return null; }).then(function () { busy = false; });
    }

    function stop() {
      if (timer) { clearInterval(timer); timer = null; }
      if (stream) { stream.getTracks().forEach(function (track) { track.stop(); }); stream = null; }
      video.classList.add("d-none");
      stopButton.classList.add("d-none");
      startButton.classList.remove("d-none");
    }

    function noCamera() {
      stop();
      say(box.getAttribute("data-msg-no-camera"), "error");
      input.focus();
    }

    startButton.addEventListener("click", function () {
      if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { noCamera(); return; }
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
        .then(function (media) {
          stream = media;
          video.srcObject = media;
          video.classList.remove("d-none");
          stopButton.classList.remove("d-none");
          startButton.classList.add("d-none");
          say(box.getAttribute("data-msg-scanning"), "");
          return video.play().then(makeDetector).then(function (made) {
            detector = made;
            timer = setInterval(tick, 250);
          });
        })
        .catch(noCamera);
    });
    stopButton.addEventListener("click", stop);
    window.addEventListener("pagehide", stop);
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpScope();
    setUpScanner();
  });
})();
