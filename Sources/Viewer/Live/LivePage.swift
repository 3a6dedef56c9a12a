/// The live view's page: the current level's overview with the round's tile grid drawn over it
/// (done: a green frame; leased: amber, with the worker's name; queued again after a lost lease:
/// red; queued: greyed), a line of level, round, tiles, rate, ETA and workers, the workers' table
/// and the finished levels' previews. It polls `/status.json` twice a second and fetches the
/// overview again only when its version changed. Inline, offline, like the viewer's pages.
///
/// The URL's hash may set `scale` (screen pixels per overview pixel; default: fit the window).
/// `body` carries `data-state`, `data-done` and `data-complete` ("yes" once the overview of the
/// latest status is drawn), for scripts and tests that must not screenshot a half-drawn page.
enum LivePage {
    static let page = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width,initial-scale=1">
        <title>Atelier · live</title>
        <style>
        html,body{margin:0;height:100%;overflow:hidden;background:#1d1d1f;color:#ddd;font:13px system-ui,sans-serif}
        #bar{position:fixed;top:0;left:0;right:0;height:40px;line-height:40px;padding:0 10px;white-space:nowrap;
          overflow:hidden;background:#111;box-sizing:border-box}
        #stage{position:fixed;top:40px;left:0;right:240px;bottom:0;width:calc(100vw - 240px);height:calc(100vh - 40px)}
        #side{position:fixed;top:40px;right:0;bottom:0;width:240px;overflow:auto;padding:8px;box-sizing:border-box;
          background:#232326}
        h2{font-size:13px;margin:10px 0 4px;color:#aaa}table{border-collapse:collapse;width:100%}
        td{padding:1px 4px}td.n{text-align:right}.dead{color:#888}
        .key span{display:inline-block;width:10px;height:10px;margin:0 4px 0 8px;vertical-align:-1px}
        figure{margin:6px 0}figure img{max-width:100%;display:block}figcaption{color:#aaa}
        </style></head>
        <body data-complete="no"><div id="bar">Atelier · live: waiting for the run…</div>
        <canvas id="stage"></canvas>
        <div id="side">
        <div class="key"><span style="border:2px solid #3c3"></span>done<span style="background:#fb0"></span>leased<br>
        <span style="background:#f44"></span>retried<span style="background:#777"></span>queued</div>
        <h2>Workers</h2><table id="workers"></table>
        <h2>Finished levels</h2><div id="previews"></div>
        </div>
        <script>
        \(script)
        </script></body></html>

        """

    static let script = #"""
        (function () {
          const stage = document.getElementById("stage");
          const context = stage.getContext("2d");
          const bar = document.getElementById("bar");
          const settings = new URLSearchParams(location.hash.slice(1));
          const colours = { done: "#33cc33", leased: "#ffbb00", retried: "#ff4444", queued: "#777777" };
          let status = null, image = null, imageVersion = -1, loading = -1, shownPreviews = "";

          function resize() {
            stage.width = stage.clientWidth;
            stage.height = stage.clientHeight;
            draw();
          }
          function draw() {
            context.fillStyle = "#1d1d1f";
            context.fillRect(0, 0, stage.width, stage.height);
            if (!status || !status.overview || !image) return;
            const overview = status.overview;
            const fit = Math.min((stage.width - 16) / overview.width, (stage.height - 16) / overview.height);
            const scale = settings.has("scale") ? +settings.get("scale") : fit;
            context.imageSmoothingEnabled = scale < 1;
            context.drawImage(image, 8, 8, Math.round(overview.width * scale), Math.round(overview.height * scale));
            const perPixel = scale / overview.factor;
            context.font = "11px system-ui,sans-serif";
            for (const tile of status.tiles) {
              const x = Math.round(8 + tile.x * perPixel), y = Math.round(8 + tile.y * perPixel);
              const width = Math.round(tile.width * perPixel), height = Math.round(tile.height * perPixel);
              const colour = colours[tile.state] || colours.queued;
              if (tile.state !== "done") {
                context.globalAlpha = tile.state === "queued" ? 0.5 : 0.35;
                context.fillStyle = colour;
                context.fillRect(x, y, width, height);
                context.globalAlpha = 1;
              }
              context.strokeStyle = colour;
              context.lineWidth = tile.state === "done" ? 1 : 2;
              context.strokeRect(x + 0.5, y + 0.5, width - 1, height - 1);
              const label = tile.state === "leased" ? (tile.workers || []).join(", ")
                : tile.state === "retried" ? "retry " + tile.lostLeases : "";
              if (label && width > 30) {
                context.fillStyle = "#fff";
                context.fillText(label, x + 4, y + 14, width - 8);
              }
            }
            document.body.dataset.complete = imageVersion === overview.version ? "yes" : "no";
          }
          function load(version) {
            loading = version;
            const next = new Image();
            next.onload = () => { image = next; imageVersion = version; draw(); };
            next.src = "/live/canvas.png?v=" + version;
          }
          function seconds(value) {
            if (value === null || value === undefined) return "–";
            return value < 90 ? Math.round(value) + " s" : value < 5400 ? Math.round(value / 60) + " min"
              : (value / 3600).toFixed(1) + " h";
          }
          function text(tag, value, className) {
            const element = document.createElement(tag);
            element.textContent = value;
            if (className) element.className = className;
            return element;
          }
          function show() {
            const counts = status.counts;
            const parts = ["Atelier · " + status.job + " · " + status.state];
            if (status.level > 0) {
              parts.push("level " + status.level + "/" + status.levels
                + " (" + status.width + "×" + status.height + ")");
            }
            if (status.round > 0) {
              parts.push("round " + status.round + "/" + status.rounds);
              parts.push(counts.done + "/" + counts.total + " tiles");
              parts.push(status.tilesPerSecond.toFixed(2) + " tiles/s");
              parts.push("ETA " + seconds(status.etaSeconds));
            }
            parts.push(status.workersAlive + (status.workersAlive === 1 ? " worker" : " workers") + " alive");
            bar.textContent = parts.join(" · ");
            const table = document.getElementById("workers");
            table.replaceChildren(...status.workers.map((worker) => {
              const row = document.createElement("tr");
              if (!worker.alive) row.className = "dead";
              row.append(text("td", worker.name), text("td", worker.tiles + " tiles", "n"),
                text("td", worker.tiles ? (worker.seconds / worker.tiles).toFixed(1) + " s/tile" : "", "n"));
              return row;
            }));
            const previews = JSON.stringify(status.previews);
            if (previews !== shownPreviews) {
              shownPreviews = previews;
              document.getElementById("previews").replaceChildren(...status.previews.map((preview) => {
                const figure = document.createElement("figure");
                const picture = document.createElement("img");
                picture.src = preview.url + "?job=" + encodeURIComponent(status.job);
                picture.alt = "level " + preview.level;
                figure.append(picture, text("figcaption", "level " + preview.level));
                return figure;
              }));
            }
            document.body.dataset.state = status.state;
            document.body.dataset.done = counts.done;
          }
          async function poll() {
            try {
              const answer = await fetch("/status.json", { cache: "no-store" });
              status = await answer.json();
              show();
              const version = status.overview ? status.overview.version : -1;
              if (version >= 0 && version !== imageVersion && version !== loading) load(version);
              draw();
            } catch (error) {
              bar.textContent = "Atelier · live: the run does not answer (" + error.message + ")";
            }
            setTimeout(poll, 500);
          }
          window.addEventListener("resize", resize);
          window.addEventListener("hashchange", () => location.reload());
          resize();
          poll();
        })();
        """#
}
