/* militia-kg explorer: the map view. Bases and places as points sized by the attacks they
   suffered, over country and province outlines (a province names itself on hover), drawn as SVG in an equirectangular projection (x = longitude
   times the cosine of the middle latitude, y = latitude; no tiles, no network). Every text goes
   in through textContent. A click on a point opens the entity panel of the graph view. */
(function () {
  "use strict";

  var api = window.kgExplorer;
  if (!api) return;
  var DATA = api.data;
  var MAP = DATA.map || { points: [], countries: [], provinces: [], credit: "", provinceCredit: "" };
  var N = DATA.nodes;
  var TYPES = DATA.types;
  var SVG = "http://www.w3.org/2000/svg";
  var PAD = 28;            // pixels kept clear around the fitted points
  var MIN_SPAN = 6;        // degrees: one point alone is not blown up to a street map
  var view = null;         // the projection of the last render
  var drawn = false;

  function $(id) { return document.getElementById(id); }

  function svgEl(tag, attrs, text) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function radius(p) { return 5 + 5 * Math.sqrt(p.attacks); }

  /* The lon/lat box to show: the points' own box, widened to MIN_SPAN and padded a little. */
  function bounds() {
    var pts = MAP.points;
    var b = { west: 34, east: 50, south: 28, north: 38 };  // Iraq and its neighbours when nothing is placed
    if (pts.length) {
      b = { west: Infinity, east: -Infinity, south: Infinity, north: -Infinity };
      pts.forEach(function (p) {
        b.west = Math.min(b.west, p.lon); b.east = Math.max(b.east, p.lon);
        b.south = Math.min(b.south, p.lat); b.north = Math.max(b.north, p.lat);
      });
    }
    var cx = (b.west + b.east) / 2, cy = (b.south + b.north) / 2;
    var w = Math.max(b.east - b.west, MIN_SPAN) * 1.15, h = Math.max(b.north - b.south, MIN_SPAN) * 1.15;
    return { west: cx - w / 2, east: cx + w / 2, south: cy - h / 2, north: cy + h / 2 };
  }

  /* The projection for a box and a width x height frame: equirectangular, scaled to fit, centred. */
  function projection(b, width, height) {
    var k = Math.cos(((b.north + b.south) / 2) * Math.PI / 180);
    var scale = Math.min((width - 2 * PAD) / ((b.east - b.west) * k), (height - 2 * PAD) / (b.north - b.south));
    var ox = (width - (b.east - b.west) * k * scale) / 2, oy = (height - (b.north - b.south) * scale) / 2;
    return { west: b.west, east: b.east, south: b.south, north: b.north, k: k, scale: scale, ox: ox, oy: oy,
             width: width, height: height };
  }

  function project(v, lon, lat) {
    return { x: v.ox + (lon - v.west) * v.k * v.scale, y: v.oy + (v.north - lat) * v.scale };
  }

  function ringPath(v, ring) {
    var out = [];
    for (var i = 0; i < ring.length; i++) {
      var p = project(v, ring[i][0], ring[i][1]);
      out.push((i ? "L" : "M") + p.x.toFixed(1) + " " + p.y.toFixed(1));
    }
    return out.join("") + "Z";
  }

  function whereLine(p) {
    var parts = [];
    if (p.province) parts.push(p.province);
    if (p.state) parts.push(p.state);
    return parts.join(", ");
  }

  function tooltip(p) {
    var n = N[p.n];
    var lines = [n.name + " (" + TYPES[n.type].name + ")"];
    if (whereLine(p)) lines.push(whereLine(p));
    lines.push(p.attacks + (p.attacks === 1 ? " attack suffered" : " attacks suffered"));
    lines.push(p.lat.toFixed(2) + ", " + p.lon.toFixed(2) + " (" + p.precision + ", from the " + p.source + ")");
    return lines.join("\n");
  }

  /* The panel of the graph view, plus where the point stands and what says so. */
  function openPoint(p) {
    if (api.showPanel(p.n) < 0) return;
    var body = $("kg-panel-body");
    var box = document.createElement("div");
    box.className = "kg-where";
    box.id = "kg-where";
    var head = document.createElement("h3");
    head.textContent = "Where";
    var line = document.createElement("p");
    line.textContent = (whereLine(p) ? whereLine(p) + " \u00b7 " : "") + p.lat.toFixed(2) + ", " + p.lon.toFixed(2) +
      " (" + p.precision + ")";
    var cite = document.createElement("p");
    cite.className = "kg-cite";
    cite.textContent = "From the " + p.source + (p.checked ? ": " + p.checked : "") + ". Not from a document.";
    box.appendChild(head); box.appendChild(line); box.appendChild(cite);
    var name = $("kg-panel-name");
    body.insertBefore(box, name && name.nextSibling ? name.nextSibling.nextSibling : null);
  }

  function render() {
    var svg = $("kg-map");
    if (!svg) return;
    var frame = svg.getBoundingClientRect();
    if (!frame.width || !frame.height) return;
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    var v = view = projection(bounds(), frame.width, frame.height);
    svg.setAttribute("viewBox", "0 0 " + frame.width + " " + frame.height);
    var land = svgEl("g", { "class": "kg-land" });
    MAP.countries.forEach(function (c) {
      var d = c.rings.map(function (r) { return ringPath(v, r); }).join("");
      var path = svgEl("path", { d: d, "data-iso": c.iso });
      path.appendChild(svgEl("title", {}, c.name));
      land.appendChild(path);
    });
    svg.appendChild(land);
    // Provinces over the land and under the points, lighter than the countries; even-odd, so a hole
    // in a province (an enclave) is not drawn as part of it.
    var provinces = svgEl("g", { "class": "kg-provinces" });
    (MAP.provinces || []).forEach(function (p) {
      var d = p.rings.map(function (r) { return ringPath(v, r); }).join("");
      var path = svgEl("path", { d: d, "data-code": p.code, "fill-rule": "evenodd" });
      path.appendChild(svgEl("title", {}, p.name + ", " + p.country));
      provinces.appendChild(path);
    });
    svg.appendChild(provinces);
    var dots = svgEl("g", { "class": "kg-points" });
    var labels = svgEl("g", { "class": "kg-point-labels" });
    // Biggest first, so a small point is never hidden under a big one.
    MAP.points.slice().sort(function (a, b) { return b.attacks - a.attacks; }).forEach(function (p) {
      var at = project(v, p.lon, p.lat);
      var n = N[p.n];
      var dot = svgEl("circle", {
        cx: at.x.toFixed(1), cy: at.y.toFixed(1), r: radius(p), fill: TYPES[n.type].color,
        "class": p.attacks ? "kg-point kg-hit" : "kg-point", "data-id": n.id, tabindex: 0, role: "button"
      });
      dot.setAttribute("aria-label", n.name);
      dot.appendChild(svgEl("title", {}, tooltip(p)));
      dot.addEventListener("click", function () { openPoint(p); });
      dot.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); openPoint(p); } });
      dots.appendChild(dot);
      if (p.attacks) {
        labels.appendChild(svgEl("text", { x: (at.x + radius(p) + 3).toFixed(1), y: (at.y + 4).toFixed(1) }, n.name));
      }
    });
    svg.appendChild(dots);
    svg.appendChild(labels);
    $("kg-map-note").textContent = MAP.points.length + (MAP.points.length === 1 ? " place" : " places") +
      " on the map; a point's area grows with the attacks it suffered. Outlines: " + MAP.credit +
      (MAP.provinceCredit ? "; provinces: " + MAP.provinceCredit : "") + ".";
    drawn = true;
  }

  /* Each point's drawn centre in page coordinates, with its coordinates: for tests and scripts. */
  function positions() {
    var out = [];
    document.querySelectorAll("#kg-map circle.kg-point").forEach(function (c) {
      var b = c.getBoundingClientRect();
      var id = c.getAttribute("data-id");
      var p = MAP.points.filter(function (q) { return N[q.n].id === id; })[0];
      out.push({ id: id, lat: p.lat, lon: p.lon, attacks: p.attacks, r: Number(c.getAttribute("r")),
                 x: b.left + b.width / 2, y: b.top + b.height / 2 });
    });
    return out;
  }

  /* The provinces whose drawn outline holds the page point (x, y), by their code: read from the
     painted path itself (isPointInFill), so a test checks the outline as drawn. */
  function provincesAt(x, y) {
    var svg = $("kg-map");
    var m = svg.getScreenCTM().inverse();
    var pt = svg.createSVGPoint();
    pt.x = x; pt.y = y;
    var local = pt.matrixTransform(m);
    var out = [];
    svg.querySelectorAll(".kg-provinces path").forEach(function (path) {
      if (path.isPointInFill(local)) out.push(path.getAttribute("data-code"));
    });
    return out;
  }

  function frameBox() {
    var b = $("kg-map").getBoundingClientRect();
    return { left: b.left, top: b.top, width: b.width, height: b.height };
  }

  var tab = $("kg-view-map");
  if (tab) {
    tab.hidden = !MAP.points.length;
    tab.addEventListener("click", function () { api.showView("map"); });
  }
  // Drawn again whenever its frame changes size (the window, or the panel opening beside it).
  if (window.ResizeObserver && $("kg-map")) {
    new ResizeObserver(function () { if (!$("kg-map-view").hidden) render(); }).observe($("kg-map"));
  }

  window.kgMap = {
    render: render,
    drawn: function () { return drawn; },
    view: function () { return view; },
    frame: frameBox,
    positions: positions,
    provincesAt: provincesAt,
    points: function () { return MAP.points.length; }
  };
})();
