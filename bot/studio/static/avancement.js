// Follows a running training without reloading the page: the status line (role="status") is
// updated every 3 seconds, and the page reloads once the job ends to show its evaluation.
(function () {
  "use strict";
  var box = document.getElementById("etat");
  if (!box || box.dataset.state !== "running") return;
  var line = document.getElementById("avancement");
  var timer = setInterval(function () {
    fetch("/modele/etat", { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (job) {
        if (job.state === "running") {
          line.textContent = "En cours — " + job.step + " : " + job.progress;
        } else {
          clearInterval(timer);
          window.location.assign("/modele");
        }
      })
      .catch(function () {});
  }, 3000);
})();
