// Polls an import job's status while it runs in Celery, moves the progress bar, reloads when done.
(function () {
  var bar = document.getElementById("job-progress");
  if (!bar) return;
  function poll() {
    fetch(bar.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (job) {
        bar.value = job.progress;
        bar.textContent = job.progress + "%";
        if (job.running) { setTimeout(poll, 1000); } else { window.location.reload(); }
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 1000);
})();
