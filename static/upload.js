// tlkc server: upload an evidence folder with its relative paths, show the
// progress of the upload and of the check. No inline script anywhere (the
// pages' Content-Security-Policy forbids it); this is the only script.
"use strict";
(function () {
  var form = document.getElementById("upload");
  if (form) {
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var folder = document.getElementById("folder").files;
      var zip = document.getElementById("zip").files;
      var status = document.getElementById("status");
      var bar = document.getElementById("bar");
      var data = new FormData();
      data.append("csrf", form.dataset.csrf);
      var count = 0;
      if (folder && folder.length > 0) {
        for (var i = 0; i < folder.length; i++) {
          var f = folder[i];
          // webkitRelativePath starts with the chosen folder's own name:
          // the paths sent start inside it, as on the officer's disk.
          var rel = f.webkitRelativePath || f.name;
          var cut = rel.indexOf("/");
          if (cut >= 0) { rel = rel.slice(cut + 1); }
          // tlkc's own folder (a check run at home) is not evidence; the
          // server skips it too, this only spares the upload.
          if (/^\.tlkc\//i.test(rel)) { continue; }
          data.append("file", f, rel);
          count++;
        }
      } else if (zip && zip.length > 0) {
        data.append("file", zip[0], zip[0].name);
        count = 1;
      }
      if (count === 0) {
        status.textContent = "Chưa chọn thư mục hoặc tệp .zip.";
        return;
      }
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("X-CSRF-Token", form.dataset.csrf);
      xhr.setRequestHeader("Accept", "application/json");
      bar.hidden = false;
      status.textContent = "Đang tải lên " + count + " tệp…";
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) { bar.value = Math.floor(100 * e.loaded / e.total); }
      });
      xhr.addEventListener("load", function () {
        var body = {};
        try { body = JSON.parse(xhr.responseText); } catch (e) { body = {}; }
        if (xhr.status === 201 && body.page_url) {
          status.textContent = "Đã tải lên; đang kiểm tra…";
          window.location.assign(body.page_url);
        } else {
          bar.hidden = true;
          status.textContent = body.error || ("Tải lên không thành công (mã " + xhr.status + ").");
          status.className = "status error";
        }
      });
      xhr.addEventListener("error", function () {
        bar.hidden = true;
        status.textContent = "Mất kết nối tới máy chủ khi đang tải lên; thử lại.";
        status.className = "status error";
      });
      xhr.send(data);
    });
  }
  var watch = document.getElementById("watch");
  if (watch && watch.dataset.finished !== "true") {
    var poll = function () {
      var xhr = new XMLHttpRequest();
      xhr.open("GET", watch.dataset.status);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.addEventListener("load", function () {
        var u = {};
        try { u = JSON.parse(xhr.responseText); } catch (e) { u = {}; }
        var state = document.getElementById("state");
        var bar = document.getElementById("checkbar");
        if (u.state === "done") { window.location.assign(watch.dataset.report); return; }
        if (u.state === "failed") { window.location.reload(); return; }
        if (u.progress && bar) {
          bar.max = u.progress.files || 1;
          bar.value = u.progress.inspected;
          state.textContent = "Đang kiểm tra: " + u.progress.inspected + "/" + u.progress.files + " tệp";
        } else if (u.state === "queued") {
          state.textContent = "Đang chờ kiểm tra…";
        }
        setTimeout(poll, 1000);
      });
      xhr.send();
    };
    setTimeout(poll, 500);
  }
})();
