/// The HTML the viewer serves: a pan-and-zoom page per image and a gallery of them. Everything is
/// inline (no external script, style or font), so the pages work offline.
enum ViewerPage {
    /// The viewer of one image, reading its `.dzi` descriptor and tiles from `/images/NAME…`.
    /// The URL's hash may set the view: `x`, `y` (the image pixel at the centre), `zoom` (screen
    /// pixels per image pixel) and `in` (zoom-in steps from the fitted view, as the + button).
    static func viewer(name: String, galleryLink: Bool) -> String {
        let title = escaped(name)
        let back = galleryLink ? "<a href=\"/\">gallery</a> " : ""
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width,initial-scale=1">
            <title>\(title) · Atelier</title>
            <style>
            html,body{margin:0;height:100%;overflow:hidden;background:#1d1d1f}
            canvas{display:block;width:100vw;height:100vh;cursor:grab;touch-action:none}
            #bar{position:fixed;top:8px;left:8px;font:13px system-ui,sans-serif;color:#ddd;
              background:rgba(0,0,0,.55);padding:4px 8px;border-radius:6px;user-select:none}
            #bar a{color:#9cf}#bar button{font:inherit;min-width:2em;margin:0 1px}
            </style></head>
            <body><canvas id="view"></canvas>
            <div id="bar">\(back)<b>\(title)</b> <button id="in" title="zoom in (+)">+</button>\
            <button id="out" title="zoom out (-)">&minus;</button><button id="fit" title="fit (0)">fit</button>
            <span id="where"></span></div>
            <script>
            const SOURCE = "/images/\(name)";
            \(script)
            </script></body></html>

            """
    }

    /// The gallery of several images: a thumbnail (the level that fits one tile) and a link each.
    static func gallery(_ images: [(name: String, width: Int, height: Int, thumbnail: String)]) -> String {
        let items = images.map { image in
            let name = escaped(image.name)
            return """
                <a href="/view/\(name)"><img src="\(image.thumbnail)" alt="\(name)">\
                <span>\(name)<br>\(image.width) × \(image.height)</span></a>
                """
        }
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Atelier · \(images.count) images</title>
            <style>
            body{margin:0;padding:16px;background:#1d1d1f;color:#ddd;font:14px system-ui,sans-serif}
            main{display:flex;flex-wrap:wrap;gap:16px}
            a{display:flex;flex-direction:column;align-items:center;gap:6px;color:#ddd;text-decoration:none;
              width:260px;padding:8px;border-radius:8px;background:#2a2a2d}
            a:hover{background:#3a3a3f}img{max-width:254px;max-height:254px}span{text-align:center}
            </style></head>
            <body><h1>Atelier</h1><main>
            \(items.joined(separator: "\n"))
            </main></body></html>

            """
    }

    /// `text` safe inside HTML text and attribute values (names are already cut to a safe
    /// alphabet; this is the second guard).
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// The viewer's script: Deep Zoom levels on a canvas. It draws the finest level whose pixels
    /// are no larger than the screen's, over coarser levels already loaded (so a pan never shows
    /// a hole), and fetches the visible tiles of that level, nearest the centre first.
    static let script = #"""
        (async function () {
          const canvas = document.getElementById("view");
          const context = canvas.getContext("2d");
          const where = document.getElementById("where");
          const descriptor = new DOMParser().parseFromString(
            await (await fetch(SOURCE + ".dzi")).text(), "application/xml").documentElement;
          const size = descriptor.getElementsByTagName("Size")[0];
          const width = +size.getAttribute("Width"), height = +size.getAttribute("Height");
          const tileSize = +descriptor.getAttribute("TileSize"), overlap = +descriptor.getAttribute("Overlap");
          const format = descriptor.getAttribute("Format");
          let maxLevel = 0;
          while ((1 << maxLevel) < Math.max(width, height)) maxLevel++;
          const tiles = new Map();
          let view = { x: width / 2, y: height / 2, scale: 1 };
          // Until the user moves the view it follows the window (and the URL's hash) on a resize.
          let fitted = 1, pending = false, moved = false;

          function resize() {
            const ratio = window.devicePixelRatio || 1;
            canvas.width = Math.round(canvas.clientWidth * ratio);
            canvas.height = Math.round(canvas.clientHeight * ratio);
            fitted = Math.min(canvas.width / width, canvas.height / height);
          }
          function fit() { view = { x: width / 2, y: height / 2, scale: fitted }; }
          function clampScale(scale) { return Math.min(Math.max(scale, fitted / 2), 16); }
          function levelFor(scale) {
            return Math.max(0, Math.min(maxLevel, Math.ceil(maxLevel + Math.log2(scale) - 1e-9)));
          }
          function zoom(factor, screenX, screenY) {
            moved = true;
            const before = toImage(screenX, screenY);
            view.scale = clampScale(view.scale * factor);
            const after = toImage(screenX, screenY);
            view.x += before.x - after.x;
            view.y += before.y - after.y;
            draw();
          }
          function toImage(screenX, screenY) {
            return { x: view.x + (screenX - canvas.width / 2) / view.scale,
                     y: view.y + (screenY - canvas.height / 2) / view.scale };
          }
          function tile(level, column, row) {
            const key = level + "/" + column + "_" + row;
            let entry = tiles.get(key);
            if (!entry) {
              entry = { image: new Image(), ready: false };
              entry.image.onload = () => { entry.ready = true; draw(); };
              entry.image.src = SOURCE + "_files/" + key + "." + format;
              tiles.set(key, entry);
            }
            return entry;
          }
          function visibleTiles(level) {
            const factor = 2 ** (maxLevel - level);
            const left = view.x - canvas.width / 2 / view.scale, top = view.y - canvas.height / 2 / view.scale;
            const right = view.x + canvas.width / 2 / view.scale, bottom = view.y + canvas.height / 2 / view.scale;
            const columns = Math.ceil(Math.ceil(width / factor) / tileSize);
            const rows = Math.ceil(Math.ceil(height / factor) / tileSize);
            const found = [];
            for (let row = Math.max(0, Math.floor(top / factor / tileSize));
                 row <= Math.min(rows - 1, Math.floor(bottom / factor / tileSize)); row++) {
              for (let column = Math.max(0, Math.floor(left / factor / tileSize));
                   column <= Math.min(columns - 1, Math.floor(right / factor / tileSize)); column++) {
                const centreX = (column + 0.5) * tileSize * factor - view.x;
                const centreY = (row + 0.5) * tileSize * factor - view.y;
                found.push({ column, row, distance: centreX * centreX + centreY * centreY });
              }
            }
            return found.sort((a, b) => a.distance - b.distance);
          }
          function drawLevel(level, fetchMissing) {
            const factor = 2 ** (maxLevel - level);
            let complete = true;
            for (const { column, row } of visibleTiles(level)) {
              const entry = fetchMissing ? tile(level, column, row) : tiles.get(level + "/" + column + "_" + row);
              if (!entry || !entry.ready) { complete = false; continue; }
              const x = column * tileSize - (column > 0 ? overlap : 0);
              const y = row * tileSize - (row > 0 ? overlap : 0);
              const scale = factor * view.scale;
              context.drawImage(entry.image,
                Math.round((x * factor - view.x) * view.scale + canvas.width / 2),
                Math.round((y * factor - view.y) * view.scale + canvas.height / 2),
                Math.round(entry.image.width * scale), Math.round(entry.image.height * scale));
            }
            return complete;
          }
          function draw() {
            if (pending) return;
            pending = true;
            requestAnimationFrame(() => {
              pending = false;
              context.fillStyle = "#1d1d1f";
              context.fillRect(0, 0, canvas.width, canvas.height);
              context.imageSmoothingEnabled = view.scale < 1;
              const level = levelFor(view.scale);
              for (let coarser = 0; coarser < level; coarser++) drawLevel(coarser, false);
              const complete = drawLevel(level, true);
              document.body.dataset.level = level;
              document.body.dataset.complete = complete ? "yes" : "no";
              where.textContent = " level " + level + "/" + maxLevel + " · " + Math.round(view.scale * 100) + "%";
            });
          }
          function applyHash() {
            const settings = new URLSearchParams(location.hash.slice(1));
            fit();
            for (let step = 0; step < Math.min(+settings.get("in") || 0, 12); step++) {
              view.scale = clampScale(view.scale * 2);
            }
            if (settings.has("zoom")) view.scale = clampScale(+settings.get("zoom"));
            if (settings.has("x")) view.x = +settings.get("x");
            if (settings.has("y")) view.y = +settings.get("y");
            draw();
          }

          let drag = null;
          canvas.addEventListener("pointerdown", (event) => {
            drag = { x: event.clientX, y: event.clientY };
            canvas.setPointerCapture(event.pointerId);
            canvas.style.cursor = "grabbing";
          });
          canvas.addEventListener("pointermove", (event) => {
            if (!drag) return;
            moved = true;
            const ratio = window.devicePixelRatio || 1;
            view.x -= (event.clientX - drag.x) * ratio / view.scale;
            view.y -= (event.clientY - drag.y) * ratio / view.scale;
            drag = { x: event.clientX, y: event.clientY };
            draw();
          });
          canvas.addEventListener("pointerup", () => { drag = null; canvas.style.cursor = "grab"; });
          canvas.addEventListener("wheel", (event) => {
            event.preventDefault();
            const ratio = window.devicePixelRatio || 1;
            zoom(2 ** (-event.deltaY / 300), event.offsetX * ratio, event.offsetY * ratio);
          }, { passive: false });
          canvas.addEventListener("dblclick", (event) => {
            const ratio = window.devicePixelRatio || 1;
            zoom(event.shiftKey ? 0.5 : 2, event.offsetX * ratio, event.offsetY * ratio);
          });
          document.getElementById("in").onclick = () => zoom(2, canvas.width / 2, canvas.height / 2);
          document.getElementById("out").onclick = () => zoom(0.5, canvas.width / 2, canvas.height / 2);
          document.getElementById("fit").onclick = () => { fit(); draw(); };
          window.addEventListener("keydown", (event) => {
            const step = 64 / view.scale;
            const centred = (factor) => () => zoom(factor, canvas.width / 2, canvas.height / 2);
            const actions = {
              "+": centred(2), "=": centred(2), "-": centred(0.5), "0": () => { fit(); draw(); },
              ArrowLeft: () => { view.x -= step; draw(); }, ArrowRight: () => { view.x += step; draw(); },
              ArrowUp: () => { view.y -= step; draw(); }, ArrowDown: () => { view.y += step; draw(); },
            };
            if (actions[event.key]) { event.preventDefault(); moved = true; actions[event.key](); }
          });
          window.addEventListener("resize", () => { resize(); if (moved) draw(); else applyHash(); });
          window.addEventListener("hashchange", applyHash);
          resize();
          applyHash();
        })();
        """#
}
