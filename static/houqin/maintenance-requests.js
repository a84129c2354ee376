// Houqin repair requests: scan a room's QR poster to pick the room on the staff form, and
// count the chosen photos (at most 9). No inline script (CSP). The scanner uses the camera
// with BarcodeDetector where the browser has it, else the vendored jsQR loaded on demand.
// Posters hold the URL /maintenance/p/<public code>/; the room options carry that code.
(function () {
  "use strict";

  function codeFrom(text) {
    var match = /\/maintenance\/p\/([A-Za-z0-9]+)\/?/.exec(text || "");
    return (match ? match[1] : (text || "").trim()).toUpperCase();
  }

  function setUpRoomScanner() {
    var box = document.getElementById("room-picker");
    if (!box) { return; }
    var select = document.getElementById("id_room");
    var video = document.getElementById("room-video");
    var status = document.getElementById("room-status");
    var startButton = box.querySelector("[data-scan-start]");
    var stopButton = box.querySelector("[data-scan-stop]");
    var canvas = document.createElement("canvas");
    var stream = null;
    var timer = null;
    var detector = null;
    var busy = false;

    function say(text, kind) {
      status.textContent = text;
      status.className = "small mt-1 " + (kind === "error" ? "text-danger" : kind === "ok" ? "text-success" : "text-muted");
    }

    // Choose the room whose poster code was scanned (also callable from tests).
    function choose(text) {
      var code = codeFrom(text);
      var option = code ? select.querySelector('option[data-code="' + code + '"]') : null;
      if (!option) { say(box.getAttribute("data-msg-unknown"), "error"); return false; }
      select.value = option.value;
      select.dispatchEvent(new Event("change", { bubbles: true }));
      say(box.getAttribute("data-msg-found") + " " + option.textContent, "ok");
      if (navigator.vibrate) { navigator.vibrate(60); }
      return true;
    }
    window.houqinChooseRoom = choose;

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
      if ("BarcodeDetector" in window) {
        try { return Promise.resolve(new window.BarcodeDetector({ formats: ["qr_code"] })); } catch (e) { /* fall back */ }
      }
      return loadDecoder().then(function () { return null; });
    }

    function decodeFrame() {
      if (!video.videoWidth) { return Promise.resolve(""); }
      if (detector) {
        return detector.detect(video).then(function (codes) { return codes.length ? codes[0].rawValue : ""; });
      }
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      var context = canvas.getContext("2d", { willReadFrequently: true });
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      var image = context.getImageData(0, 0, canvas.width, canvas.height);
      var found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
      return Promise.resolve(found ? found.data : "");
    }

    function stop() {
      if (timer) { clearInterval(timer); timer = null; }
      if (stream) { stream.getTracks().forEach(function (track) { track.stop(); }); stream = null; }
      video.classList.add("d-none");
      stopButton.classList.add("d-none");
      startButton.classList.remove("d-none");
    }

    function tick() {
      if (!stream || busy) { return; }
      busy = true;
      decodeFrame().then(function (text) {
        if (text && choose(text)) { stop(); }
      }).catch(function () { return null; }).then(function () { busy = false; });
    }

    startButton.addEventListener("click", function () {
      if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
        say(box.getAttribute("data-msg-no-camera"), "error");
        return;
      }
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
        .catch(function () { stop(); say(box.getAttribute("data-msg-no-camera"), "error"); });
    });
    stopButton.addEventListener("click", stop);
    window.addEventListener("pagehide", stop);
  }

  function setUpPhotoCount() {
    document.querySelectorAll("input[type=file][data-max-files]").forEach(function (input) {
      var note = input.parentElement.querySelector("[data-photo-count]");
      var initial = note ? note.textContent : "";
      input.addEventListener("change", function () {
        var max = parseInt(input.getAttribute("data-max-files"), 10);
        var count = input.files ? input.files.length : 0;
        if (!note) { return; }
        if (count > max) {
          note.textContent = input.getAttribute("data-msg-too-many");
          note.classList.add("text-danger");
          input.classList.add("is-invalid");
        } else {
          note.textContent = count ? initial + " (" + count + ")" : initial;
          note.classList.remove("text-danger");
          input.classList.remove("is-invalid");
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpRoomScanner();
    setUpPhotoCount();
  });
})();
