/* militia-kg explorer.
 *
 * Reads the JSON data block, draws it with vis-network and builds every piece of DOM from data
 * with textContent and setAttribute: nothing from the documents is ever parsed as HTML, and
 * vis-network gets plain-text titles (it shows those with innerText).
 *
 * It opens on the META.firstView most connected entities, settled and fitted so that labels read
 * (never below MIN_LABEL_PX on screen); entities with no relation wait behind a toggle. The search
 * box folds names as kg.names does and scores misspellings as the CLI does, against the folded
 * forms the page carries, so it finds what `kg linked NAME` finds.
 *
 * window.kgExplorer is a small API for tests, benchmarks and the console.
 */
(function () {
  "use strict";

  var DATA = JSON.parse(document.getElementById("kg-data").textContent);
  var META = DATA.meta;
  var N = DATA.nodes;
  var E = DATA.edges;
  var TYPES = DATA.types;
  var PREDS = DATA.predicates;
  var DOCS = DATA.docs;
  var ATTACKS = DATA.attacks;
  var QID = /^Q[1-9][0-9]*$/;
  var WEB = /^https?:\/\//i;
  var MAX_RELATIONS = 150;
  var MAX_EVIDENCE = 5;
  var FONT = META.large ? 13 : 16;   // node labels, in canvas pixels at zoom 1
  var MIN_LABEL_PX = 12;             // the first view never zooms out below labels this size on screen
  var MAX_FIT_SCALE = 1.5;           // ... nor zooms in past this to fill the window
  var FOCUSED = META.focus !== null && META.focus !== undefined;

  // ------------------------------------------------------------ DOM helpers

  function $(id) { return document.getElementById(id); }

  /* el("a", {className: "x", text: "y", attrs: {href: h}, on: {click: f}}, [children]) */
  function el(tag, props, children) {
    var node = document.createElement(tag);
    props = props || {};
    if (props.className) node.className = props.className;
    if (props.text !== undefined && props.text !== null) node.textContent = String(props.text);
    if (props.attrs) {
      Object.keys(props.attrs).forEach(function (k) { node.setAttribute(k, String(props.attrs[k])); });
    }
    if (props.style) {
      Object.keys(props.style).forEach(function (k) { node.style[k] = props.style[k]; });
    }
    if (props.on) {
      Object.keys(props.on).forEach(function (k) { node.addEventListener(k, props.on[k]); });
    }
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  function fmt(n) { return Number(n).toLocaleString("en-US"); }

  // ------------------------------------------------------------ indexes

  var adjacency = N.map(function () { return []; });
  E.forEach(function (e, j) {
    adjacency[e.s].push(j);
    if (e.o !== e.s) adjacency[e.o].push(j);
  });
  var byId = new Map();
  var byQid = new Map();
  N.forEach(function (n, i) {
    byId.set(n.id, i);
    if (n.qid && !byQid.has(n.qid)) byQid.set(n.qid, i);
  });

  // ------------------------------------------------------------ state

  var state = {
    types: new Set(TYPES.map(function (_, i) { return i; })),
    preds: new Set(PREDS.map(function (_, i) { return i; })),
    from: null,
    to: null,
    limit: FOCUSED || META.firstView >= META.connected ? 0 : META.firstView,  // show the first `limit` (0: all)
    isolated: FOCUSED || META.connected === 0,  // show entities that have no relation
    revealed: new Set(),
    ego: null,
    selected: null,
    view: "graph"
  };
  var shownNodes = new Set();
  var shownEdges = new Set();
  var nodeCache = new Map();
  var edgeCache = new Map();

  function dateActive() { return Boolean(state.from || state.to); }

  function dateIn(d) {
    if (!d) return false;
    if (state.from && d.slice(0, 10) < state.from.slice(0, d.length)) return false;
    if (state.to && d > state.to) return false;
    return true;
  }

  function edgePasses(j) {
    var e = E[j];
    if (!state.preds.has(e.p)) return false;
    if (!dateActive()) return true;
    for (var k = 0; k < e.ev.length; k++) if (dateIn(e.ev[k][2])) return true;
    return false;
  }

  function nodeBase(i) {
    if (i === state.selected) return true;
    if (!state.types.has(N[i].type)) return false;
    if (state.ego) return state.ego.set.has(i);
    if (state.revealed.has(i)) return true;
    if (N[i].degree === 0) return state.isolated;  // the toggle, whatever the limit
    return !state.limit || i < state.limit;
  }

  function computeVisible() {
    var nodes = new Set();
    for (var i = 0; i < N.length; i++) if (nodeBase(i)) nodes.add(i);
    if (dateActive()) {
      var linked = new Set();
      for (var j = 0; j < E.length; j++) {
        var e = E[j];
        if (nodes.has(e.s) && nodes.has(e.o) && edgePasses(j)) { linked.add(e.s); linked.add(e.o); }
      }
      if (state.selected !== null) linked.add(state.selected);
      nodes = linked;
    }
    var edges = new Set();
    for (var k = 0; k < E.length; k++) {
      if (nodes.has(E[k].s) && nodes.has(E[k].o) && edgePasses(k)) edges.add(k);
    }
    return { nodes: nodes, edges: edges };
  }

  // ------------------------------------------------------------ vis items

  function shade(hex, f) {
    var v = parseInt(hex.slice(1), 16);
    var r = Math.round(((v >> 16) & 255) * f), g = Math.round(((v >> 8) & 255) * f), b = Math.round((v & 255) * f);
    return "rgb(" + r + "," + g + "," + b + ")";
  }

  function nodeTitle(n) {
    var lines = [n.name + " (" + TYPES[n.type].name + ")"];
    if (n.aliases.length) lines.push("Also: " + n.aliases.join(", "));
    lines.push(n.degree + " linked entities, " + n.mentions + " mentions");
    return lines.join("\n");
  }

  /* A large graph carries two layouts: the first view packed tight (fx, fy), and the whole graph
     spread out (x, y). The page leaves the first for the second as soon as it shows more. */
  var packed = N.length > 0 && N[0].fx !== undefined;

  function position(i) {
    return packed ? { x: N[i].fx, y: N[i].fy } : { x: N[i].x, y: N[i].y };
  }

  /* Thin, translucent edges for a large graph seen whole; the first view's few are drawn bold. */
  function thin() { return META.large && !packed; }

  function unpack() {
    packed = false;
    nodeCache.clear();
    var bold = Array.from(shownEdges);
    edgeCache.clear();
    edgesDS.update(bold.map(edgeItem));
    var moved = [];
    shownNodes.forEach(function (i) { moved.push({ id: i, x: N[i].x, y: N[i].y }); });
    nodesDS.update(moved);
  }

  function nodeItem(i) {
    var item = nodeCache.get(i), at = position(i);
    if (item) { item.x = at.x; item.y = at.y; return item; }
    var n = N[i], t = TYPES[n.type];
    item = {
      id: i, label: n.name, x: at.x, y: at.y, shape: t.shape, size: n.size,
      color: {
        background: t.color, border: shade(t.color, 0.7),
        highlight: { background: t.color, border: "#000000" },
        hover: { background: t.color, border: "#000000" }
      },
      title: nodeTitle(n)
    };
    nodeCache.set(i, item);
    return item;
  }

  function edgeDocs(e) {
    var seen = new Set();
    e.ev.forEach(function (ev) { seen.add(ev[0]); });
    return seen.size;
  }

  function edgeTitle(e) {
    var text = N[e.s].name + " " + PREDS[e.p].name + " " + N[e.o].name;
    if (e.hedged) text += "\n(hedged)";
    var docs = edgeDocs(e);
    text += "\n" + docs + (docs === 1 ? " document" : " documents");
    if (e.d0) text += ", " + e.d0 + (e.d1 && e.d1 !== e.d0 ? " to " + e.d1 : "");
    return text;
  }

  function edgeItem(j) {
    var item = edgeCache.get(j);
    if (item) return item;
    var e = E[j], c = PREDS[e.p].color;
    item = {
      id: j, from: e.s, to: e.o, dashes: e.hedged ? [8, 5] : false,
      width: (thin() ? 1 : 2) + Math.min(3, Math.log2(Math.max(1, edgeDocs(e)))),
      color: { color: c, highlight: c, hover: c, opacity: thin() ? 0.55 : 1 },
      title: edgeTitle(e)
    };
    if (META.edgeLabels) item.label = PREDS[e.p].name;
    edgeCache.set(j, item);
    return item;
  }

  // ------------------------------------------------------------ network

  var nodesDS = new vis.DataSet();
  var edgesDS = new vis.DataSet();
  var network = null;

  /* Where a node that appears after the layout settled goes: beside a neighbour already drawn
     (physics moved those away from the precomputed layout), else on a ring outside the drawing. */
  function placeNear(items) {
    if (!network || !META.physics || !items.length) return;
    var at = network.getPositions(Array.from(shownNodes));
    var xs = Object.keys(at).map(function (k) { return at[k]; });
    var reach = 0;
    xs.forEach(function (p) { reach = Math.max(reach, Math.hypot(p.x, p.y)); });
    var ring = 0;
    items.forEach(function (item) {
      var i = item.id, near = null;
      for (var k = 0; k < adjacency[i].length && !near; k++) {
        var e = E[adjacency[i][k]], other = e.s === i ? e.o : e.s;
        if (at[other]) near = at[other];
      }
      var angle = (i * 2.399963) % (2 * Math.PI);
      if (near) {
        item.x = near.x + 90 * Math.cos(angle);
        item.y = near.y + 90 * Math.sin(angle);
      } else {
        var r = reach + 120 + 30 * Math.floor(ring / 24);
        item.x = r * Math.cos(angle);
        item.y = r * Math.sin(angle);
        ring++;
      }
      at[i] = { x: item.x, y: item.y };
    });
  }

  function sync() {
    var next = computeVisible();
    var dropNodes = [], addNodes = [], dropEdges = [], addEdges = [];
    shownEdges.forEach(function (j) { if (!next.edges.has(j)) dropEdges.push(j); });
    shownNodes.forEach(function (i) { if (!next.nodes.has(i)) dropNodes.push(i); });
    if (packed && Array.from(next.nodes).some(function (i) { return N[i].fx === undefined; })) unpack();
    next.nodes.forEach(function (i) { if (!shownNodes.has(i)) addNodes.push(nodeItem(i)); });
    next.edges.forEach(function (j) { if (!shownEdges.has(j)) addEdges.push(edgeItem(j)); });
    if (network && dropNodes.length) {
      var at = network.getPositions(dropNodes);
      dropNodes.forEach(function (i) {
        if (!at[i]) return;
        if (packed) { N[i].fx = at[i].x; N[i].fy = at[i].y; } else { N[i].x = at[i].x; N[i].y = at[i].y; }
      });
    }
    placeNear(addNodes);
    if (dropEdges.length) edgesDS.remove(dropEdges);
    if (dropNodes.length) nodesDS.remove(dropNodes);
    if (addNodes.length) nodesDS.add(addNodes);
    if (addEdges.length) edgesDS.add(addEdges);
    shownNodes = next.nodes;
    shownEdges = next.edges;
    updateStatus();
    arrowDetail();
    if (state.view === "attacks") renderAttacks();
    return addNodes.length;
  }

  /* Arrowheads cost about as much as the edges under them. In a large graph seen from afar they
     are sub-pixel, so they are drawn only once the view is close enough or the edges few. */
  var arrowsOn = true;
  function arrowDetail() {
    if (!network || !META.large) return;
    var want = shownEdges.size <= 3000 || network.getScale() >= 0.4;
    if (want === arrowsOn) return;
    arrowsOn = want;
    network.setOptions({ edges: { arrows: { to: { enabled: want } } } });
  }

  function options() {
    var large = META.large;
    return {
      autoResize: true,
      layout: { improvedLayout: false, randomSeed: 7 },
      physics: false,
      interaction: {
        hover: !large, tooltipDelay: 250, hideEdgesOnDrag: large, hideEdgesOnZoom: large,
        keyboard: false, multiselect: false, navigationButtons: false
      },
      nodes: {
        borderWidth: 1, borderWidthSelected: 4,
        font: { size: FONT, color: "#1a1a1a", strokeWidth: large ? 3 : 4, strokeColor: "#ffffff" },
        scaling: { label: { drawThreshold: large ? 8 : 5 } }
      },
      edges: {
        arrows: { to: { enabled: true, scaleFactor: large ? 0.4 : 0.7 } },
        smooth: large ? false : { enabled: true, type: "curvedCW", roundness: 0.1 },
        selectionWidth: 2, hoverWidth: 1,
        font: { size: 12, color: "#333333", strokeWidth: 3, strokeColor: "#ffffff", align: "middle" }
      }
    };
  }

  /* The drawn extent of the nodes shown, labels included, in canvas coordinates. */
  function extent() {
    var box = null;
    shownNodes.forEach(function (i) {
      var b = network.getBoundingBox(i);
      if (!b) return;
      if (!box) box = { left: b.left, right: b.right, top: b.top, bottom: b.bottom };
      else {
        box.left = Math.min(box.left, b.left); box.right = Math.max(box.right, b.right);
        box.top = Math.min(box.top, b.top); box.bottom = Math.max(box.bottom, b.bottom);
      }
    });
    return box;
  }

  /* Fit every node shown, labels included, inside the canvas with a margin. With `legible`
     (the first view) the zoom never drops below labels of MIN_LABEL_PX on screen: a graph too big
     for that is centred on its middle and the analyst pans to the rest. */
  function fitView(legible) {
    if (!network || !shownNodes.size) return;
    var frame = $("kg-network");
    network.setSize("100%", "100%");
    network.redraw();  // bounding boxes (labels too) are measured when drawn
    var box = extent();
    if (!box) return;
    var margin = 24;
    var w = Math.max(1, frame.clientWidth - 2 * margin), h = Math.max(1, frame.clientHeight - 2 * margin);
    var scale = Math.min(w / Math.max(1, box.right - box.left), h / Math.max(1, box.bottom - box.top), MAX_FIT_SCALE);
    if (legible) scale = Math.max(scale, MIN_LABEL_PX / FONT);
    network.moveTo({
      position: { x: (box.left + box.right) / 2, y: (box.top + box.bottom) / 2 },
      scale: scale, animation: false
    });
    arrowDetail();
  }

  /* Physics settles into a disc; a screen is wider than tall and labels are wider than nodes.
     Stretching the settled layout sideways to the canvas's proportions gives labels the room. */
  function widen() {
    if (!network || !(META.physics || packed) || shownNodes.size < 3) return;
    var ids = Array.from(shownNodes), at = network.getPositions(ids);
    var xs = ids.map(function (i) { return at[i].x; }), ys = ids.map(function (i) { return at[i].y; });
    var bw = Math.max.apply(null, xs) - Math.min.apply(null, xs), bh = Math.max.apply(null, ys) - Math.min.apply(null, ys);
    var frame = $("kg-network");
    if (!bw || !bh || !frame.clientHeight) return;
    var factor = Math.min(1.6, (frame.clientWidth / frame.clientHeight) / (bw / bh));
    if (factor < 1.05) return;
    ids.forEach(function (i) { network.moveNode(i, at[i].x * factor, at[i].y); });
  }

  function markReady() {
    if (api.ready) return;
    widen();
    if (FOCUSED) {
      select(META.focus, { animate: false, center: false });
      fitView(false);
    } else {
      fitView(true);
    }
    api.ready = true;
    api.readyMs = performance.now();
    document.body.setAttribute("data-ready", "1");
  }

  function physicsOptions(iterations) {
    return {
      enabled: true, solver: "forceAtlas2Based",
      // a large graph's first view has bigger nodes, more edges: pulled in harder to fit the screen
      forceAtlas2Based: META.large
        ? { gravitationalConstant: -50, centralGravity: 0.02, springLength: 100, springConstant: 0.06, avoidOverlap: 0.8 }
        : { gravitationalConstant: -60, centralGravity: 0.012, springLength: 110, springConstant: 0.06, avoidOverlap: 0.8 },
      stabilization: { enabled: true, iterations: iterations, updateInterval: 50, fit: false }
    };
  }

  /* Small graphs: draw the precomputed layout at once, let vis-network's physics settle it in
     the background, then switch physics off so nothing drifts. Large graphs: physics never runs. */
  function settle(done) {
    var started = performance.now();
    api.busy = true;
    network.once("stabilizationIterationsDone", function () {
      api.settleMs = performance.now() - started;
      network.setOptions({ physics: false });
      done();
      api.busy = false;
    });
    network.setOptions({ physics: physicsOptions(200) });
    network.stabilize(200);
  }

  /* After more nodes appear in a small graph: settle them in beside the others, then fit. */
  function resettle() {
    if (!network || !META.physics || !api.ready) { fitView(false); return; }
    settle(function () { fitView(false); });
  }

  function start() {
    sync();
    network = new vis.Network($("kg-network"), { nodes: nodesDS, edges: edgesDS }, options());
    api.network = network;
    network.once("afterDrawing", function () {
      api.firstDrawMs = performance.now();
      // a large graph's packed first view is small enough to settle too
      if ((META.physics || packed) && shownNodes.size > 1) setTimeout(function () { settle(markReady); }, 0);
      else markReady();
    });
    network.on("zoom", arrowDetail);
    network.on("animationFinished", arrowDetail);
    network.on("click", function (params) {
      if (params.nodes.length) select(params.nodes[0], { animate: false, center: false });
    });
    network.on("doubleClick", function (params) {
      if (params.nodes.length) expand(params.nodes[0]);
    });
  }

  // ------------------------------------------------------------ selection

  function indexOf(ref) {
    if (typeof ref === "number") return ref >= 0 && ref < N.length ? ref : -1;
    if (byId.has(ref)) return byId.get(ref);
    var found = suggest(ref, 1);
    return found.length && found[0].resolves ? found[0].index : -1;
  }

  function reveal(i) {
    if (state.ego && !state.ego.set.has(i)) state.ego = null;
    if (!state.types.has(N[i].type)) {
      state.types.add(N[i].type);
      var box = document.querySelector('#kg-type-filters input[data-index="' + N[i].type + '"]');
      if (box) box.checked = true;
    }
    state.revealed.add(i);
  }

  function openPanel() {
    var panel = $("kg-panel");
    if (!panel.hidden) return;
    panel.hidden = false;
    if (network) { network.setSize("100%", "100%"); network.redraw(); }  // the canvas narrows now
  }

  function select(ref, opts) {
    var i = indexOf(ref);
    if (i < 0) return -1;
    opts = opts || {};
    reveal(i);
    state.selected = i;
    sync();
    if (state.view !== "graph" && opts.view !== false) showView("graph");
    network.selectNodes([i]);
    renderPanel(i);
    if (opts.center !== false) {
      network.focus(i, {
        scale: Math.max(network.getScale(), MIN_LABEL_PX / FONT, META.large ? 0.8 : 0.9),
        animation: opts.animate === false ? false : { duration: 300, easingFunction: "easeInOutQuad" }
      });
      arrowDetail();
    }
    return i;
  }

  function expand(ref) {
    var i = indexOf(ref);
    if (i < 0) return 0;
    var added = 0;
    adjacency[i].forEach(function (j) {
      var other = E[j].s === i ? E[j].o : E[j].s;
      if (!shownNodes.has(other)) { state.revealed.add(other); added++; }
      if (state.ego) state.ego.set.add(other);
    });
    sync();
    if (state.selected === i) renderPanel(i);
    return added;
  }

  function hiddenNeighbours(i) {
    var count = 0, seen = new Set();
    adjacency[i].forEach(function (j) {
      var other = E[j].s === i ? E[j].o : E[j].s;
      if (!seen.has(other) && !shownNodes.has(other)) count++;
      seen.add(other);
    });
    return count;
  }

  function ego(ref, hops) {
    var i = indexOf(ref);
    if (i < 0) return 0;
    hops = hops === undefined ? 2 : hops;
    var seen = new Set([i]), frontier = [i];
    for (var h = 0; h < hops && frontier.length; h++) {
      var next = [];
      frontier.forEach(function (u) {
        adjacency[u].forEach(function (j) {
          if (!state.preds.has(E[j].p)) return;
          var v = E[j].s === u ? E[j].o : E[j].s;
          if (!seen.has(v)) { seen.add(v); next.push(v); }
        });
      });
      frontier = next;
    }
    state.ego = { center: i, hops: hops, set: seen };
    state.selected = i;
    var added = sync();
    showView("graph");
    network.selectNodes([i]);
    renderPanel(i);
    if (added) resettle(); else fitView(false);
    return seen.size;
  }

  function fit() {
    fitView(false);
  }

  function whole() {
    state.ego = null;
    if (sync()) resettle(); else fitView(true);
  }

  // ------------------------------------------------------------ panel

  function entityLink(i, text) {
    return el("button", {
      className: "kg-link", text: text === undefined ? N[i].name : text,
      attrs: { type: "button", "data-entity": N[i].id },
      on: { click: function () { select(i); } }
    });
  }

  function refLink(ref) {
    if (!ref) return el("span", { text: "\u2014" });
    if (ref.n >= 0) return entityLink(ref.n, ref.name);
    return el("span", { text: ref.name });
  }

  function citation(ev) {
    var doc = DOCS[ev[0]] || { id: "?", title: "" };
    var parts = [doc.title || doc.id];
    if (ev[2]) parts.push(ev[2]);
    if (ev[3]) parts.push("hedged");
    var cite = el("span", { className: "kg-cite", text: parts.join(" \u00b7 ") });
    if (doc.url && WEB.test(doc.url)) {
      cite.appendChild(document.createTextNode(" \u00b7 "));
      cite.appendChild(el("a", {
        text: "source", attrs: { href: doc.url, target: "_blank", rel: "noopener noreferrer" }
      }));
    }
    return cite;
  }

  function evidenceList(evs) {
    var list = el("ul", { className: "kg-evidence" });
    function add(from, to) {
      for (var k = from; k < to; k++) {
        list.appendChild(el("li", { className: "kg-ev" }, [el("blockquote", { text: evs[k][1] }), citation(evs[k])]));
      }
    }
    add(0, Math.min(evs.length, MAX_EVIDENCE));
    if (evs.length > MAX_EVIDENCE) {
      var more = el("li", {}, [el("button", {
        className: "kg-link kg-more", text: "+" + (evs.length - MAX_EVIDENCE) + " more sentences",
        attrs: { type: "button" },
        on: { click: function () { list.removeChild(more); add(MAX_EVIDENCE, evs.length); } }
      })]);
      list.appendChild(more);
    }
    return list;
  }

  function relationBlock(i, j) {
    var e = E[j];
    var head = el("div", { className: "kg-rel-head" }, [
      e.s === i ? el("span", { text: N[i].name }) : entityLink(e.s),
      " " + PREDS[e.p].name + " ",
      e.o === i ? el("span", { text: N[i].name }) : entityLink(e.o),
      e.hedged ? el("span", { className: "kg-hedged", text: " (hedged)" }) : null
    ]);
    return el("div", {
      className: "kg-rel", style: { borderLeftColor: PREDS[e.p].color },
      attrs: { "data-predicate": PREDS[e.p].name }
    }, [head, evidenceList(e.ev)]);
  }

  function attackLine(a) {
    var bits = [el("strong", { text: a.date || "undated" }), " "];
    if (a.attacker) bits.push(refLink(a.attacker), " attacked ");
    else bits.push("attack on ");
    bits.push(refLink(a.target));
    if (a.weapon) bits.push(" (" + a.weapon + ")");
    if (a.claimedBy.length) {
      bits.push("; claimed by ");
      a.claimedBy.forEach(function (c, k) { if (k) bits.push(", "); bits.push(refLink(c)); });
    }
    return el("div", { className: "kg-rel" }, [el("div", {}, bits), evidenceList(a.ev)]);
  }

  function renderPanel(i) {
    var n = N[i], t = TYPES[n.type];
    var body = $("kg-panel-body");
    clear(body);

    var facts = el("p", { className: "kg-facts" }, [
      el("span", { className: "kg-type", text: t.name, style: { background: t.color } }),
      " " + fmt(n.degree) + (n.degree === 1 ? " linked entity" : " linked entities") +
        " \u00b7 " + fmt(n.mentions) + (n.mentions === 1 ? " mention" : " mentions")
    ]);
    if (n.qid && QID.test(n.qid)) {
      facts.appendChild(document.createTextNode(" \u00b7 "));
      facts.appendChild(el("a", {
        className: "kg-wikidata", text: "Wikidata " + n.qid,
        attrs: { href: "https://www.wikidata.org/wiki/" + n.qid, target: "_blank", rel: "noopener noreferrer" }
      }));
    }

    var hidden = hiddenNeighbours(i);
    var actions = el("div", { className: "kg-actions" }, [
      el("button", { text: "Ego view (2 hops)", attrs: { type: "button", id: "kg-ego" }, on: { click: function () { ego(i, 2); } } }),
      hidden ? el("button", {
        text: "Expand " + fmt(hidden) + " hidden neighbours", attrs: { type: "button", id: "kg-expand" },
        on: { click: function () { expand(i); } }
      }) : null
    ]);

    var rels = adjacency[i].slice().sort(function (a, b) {
      return (E[a].p - E[b].p) || (E[b].ev.length - E[a].ev.length);
    });
    var relBox = el("div", { attrs: { id: "kg-relations" } });
    function addRelations(from, to) {
      for (var k = from; k < to; k++) relBox.appendChild(relationBlock(i, rels[k]));
    }
    addRelations(0, Math.min(rels.length, MAX_RELATIONS));
    if (rels.length > MAX_RELATIONS) {
      var more = el("button", {
        className: "kg-link kg-more", text: "+" + (rels.length - MAX_RELATIONS) + " more relations",
        attrs: { type: "button" },
        on: { click: function () { relBox.removeChild(more); addRelations(MAX_RELATIONS, rels.length); } }
      });
      relBox.appendChild(more);
    }
    if (!rels.length) relBox.appendChild(el("p", { className: "kg-more", text: "No relation found in the documents." }));

    var attacks = ATTACKS.filter(function (a) {
      return (a.target && a.target.n === i) || (a.attacker && a.attacker.n === i) ||
        a.claimedBy.some(function (c) { return c.n === i; });
    });

    body.appendChild(el("h2", { text: n.name, attrs: { id: "kg-panel-name" } }));
    body.appendChild(facts);
    body.appendChild(actions);
    body.appendChild(el("h3", { text: "Relations (" + rels.length + ")" }));
    body.appendChild(relBox);
    if (attacks.length) {
      body.appendChild(el("h3", { text: "Attacks (" + attacks.length + ")" }));
      attacks.forEach(function (a) { body.appendChild(attackLine(a)); });
    }
    // Aliases last and folded: a well-known group has dozens of spellings.
    var aliases = el("details", { className: "kg-aliases", attrs: { id: "kg-aliases" } }, [
      el("summary", { text: "Also known as (" + n.aliases.length + ")" }),
      el("p", { text: n.aliases.length ? n.aliases.join(" \u00b7 ") : "No other names." })
    ]);
    body.appendChild(aliases);
    openPanel();
  }

  // ------------------------------------------------------------ attacks view

  function renderAttacks() {
    var tbody = document.querySelector("#kg-attacks tbody");
    clear(tbody);
    var rows = ATTACKS.filter(function (a) { return !dateActive() || dateIn(a.date); });
    rows.forEach(function (a) {
      var attacker = el("td", {}, [refLink(a.attacker)]);
      if (a.claimedBy.length) {
        var claim = el("div", { className: "kg-cite" }, ["claimed by "]);
        a.claimedBy.forEach(function (c, k) { if (k) claim.appendChild(document.createTextNode(", ")); claim.appendChild(refLink(c)); });
        attacker.appendChild(claim);
      }
      var harm = [];
      if (a.count !== null && a.count !== undefined) harm.push(a.count + " strikes");
      if (a.killed !== null && a.killed !== undefined) harm.push(a.killed + " killed");
      if (a.wounded !== null && a.wounded !== undefined) harm.push(a.wounded + " wounded");
      tbody.appendChild(el("tr", { attrs: { "data-attack": a.id } }, [
        el("td", { text: a.date || "undated" }),
        attacker,
        el("td", {}, [refLink(a.target)]),
        el("td", { text: a.weapon || "" }),
        el("td", {}, [a.place ? refLink(a.place) : null]),
        el("td", { text: harm.join(", ") }),
        el("td", {}, [evidenceList(a.ev)])
      ]));
    });
    $("kg-attacks-empty").hidden = rows.length > 0;
  }

  function showView(name) {
    state.view = name;
    $("kg-graph-view").hidden = name !== "graph";
    $("kg-attacks-view").hidden = name !== "attacks";
    $("kg-map-view").hidden = name !== "map";
    $("kg-view-graph").setAttribute("aria-pressed", String(name === "graph"));
    $("kg-view-attacks").setAttribute("aria-pressed", String(name === "attacks"));
    $("kg-view-map").setAttribute("aria-pressed", String(name === "map"));
    if (name === "attacks") renderAttacks();
    else if (name === "map") { if (window.kgMap) window.kgMap.render(); }
    else if (network) network.redraw();
  }

  // ------------------------------------------------------------ filters and legend

  function buildFilters() {
    var typeBox = $("kg-type-filters");
    TYPES.forEach(function (t, k) {
      var count = N.filter(function (n) { return n.type === k; }).length;
      if (!count && k >= 6) return;
      var box = el("input", {
        attrs: { type: "checkbox", "data-index": k, "data-type": t.name },
        on: { change: function (ev) { setTypeFilter(t.name, ev.target.checked); } }
      });
      box.checked = true;
      typeBox.appendChild(el("label", { className: "kg-type-filter" }, [
        box, " ", el("span", { className: "kg-glyph", text: t.glyph, style: { color: t.color } }),
        " " + t.name + " (" + fmt(count) + ")"
      ]));
    });
    var relBox = $("kg-relation-filters");
    PREDS.forEach(function (p, k) {
      var count = E.filter(function (e) { return e.p === k; }).length;
      if (!count && k >= 6) return;
      var box = el("input", {
        attrs: { type: "checkbox", "data-index": k, "data-predicate": p.name },
        on: { change: function (ev) { setRelationFilter(p.name, ev.target.checked); } }
      });
      box.checked = true;
      relBox.appendChild(el("label", { className: "kg-relation-filter" }, [
        box, " ", el("span", { className: "kg-line", style: { borderTopColor: p.color } }),
        p.name + " (" + fmt(count) + ")"
      ]));
    });
    ["kg-date-from", "kg-date-to"].forEach(function (id) {
      var input = $(id);
      if (META.dateMin) input.min = META.dateMin.slice(0, 10);
      if (META.dateMax) input.max = META.dateMax.slice(0, 10);
      input.addEventListener("change", function () { setDateRange($("kg-date-from").value, $("kg-date-to").value); });
    });
  }

  function findIndex(list, name) {
    for (var k = 0; k < list.length; k++) if (list[k].name === name) return k;
    return -1;
  }

  function setTypeFilter(name, on) {
    var k = findIndex(TYPES, name);
    if (k < 0) return false;
    if (on) state.types.add(k); else state.types.delete(k);
    var box = document.querySelector('#kg-type-filters input[data-index="' + k + '"]');
    if (box) box.checked = Boolean(on);
    if (!on && state.selected !== null && N[state.selected].type === k) state.selected = null;
    sync();
    return true;
  }

  function setRelationFilter(name, on) {
    var k = findIndex(PREDS, name);
    if (k < 0) return false;
    if (on) state.preds.add(k); else state.preds.delete(k);
    var box = document.querySelector('#kg-relation-filters input[data-index="' + k + '"]');
    if (box) box.checked = Boolean(on);
    sync();
    return true;
  }

  function setDateRange(from, to) {
    state.from = from || null;
    state.to = to || null;
    $("kg-date-from").value = state.from || "";
    $("kg-date-to").value = state.to || "";
    sync();
  }

  function resetFilters() {
    TYPES.forEach(function (_, k) { state.types.add(k); });
    PREDS.forEach(function (_, k) { state.preds.add(k); });
    document.querySelectorAll("#kg-filters input[type=checkbox]").forEach(function (b) { b.checked = true; });
    setDateRange(null, null);
  }

  function showMore() {
    if (!state.limit) return;
    state.limit = state.limit * 2 >= META.connected ? 0 : state.limit * 2;
    if (sync()) resettle();
  }

  function showAll() {
    state.limit = 0;
    if (sync()) resettle();
  }

  function showIsolated(on) {
    state.isolated = Boolean(on);
    $("kg-isolated").checked = state.isolated;
    if (sync()) resettle();
  }

  function updateStatus() {
    var text = "Showing " + fmt(shownNodes.size) + " of " + fmt(N.length) + " entities, " +
      fmt(shownEdges.size) + " of " + fmt(E.length) + " relations";
    if (state.ego) text += " \u00b7 ego view of " + N[state.ego.center].name + " (" + state.ego.hops + " hops)";
    $("kg-status").textContent = text;
    var partial = Boolean(state.limit) && !state.ego;
    $("kg-more").hidden = !partial;
    $("kg-all").hidden = !partial;
    $("kg-whole").hidden = !state.ego;
    $("kg-isolated-box").hidden = !META.isolated || FOCUSED;
    var note = "";
    if (FOCUSED) {
      note = "Ego graph of " + N[META.focus].name + ", " + META.hops + " hops, from a graph of " + fmt(META.entities) + " entities.";
    } else if (partial) {
      note = "The " + fmt(state.limit) + " most connected of " + fmt(META.connected) +
        " linked entities. Search, double-click, \u201cExpand\u201d or \u201cShow more\u201d to reveal others.";
    }
    $("kg-size-note").textContent = note;
  }

  // ------------------------------------------------------------ search

  /* The name folding of kg.names.normalise_name (the CLI's NameIndex), so that a typed name meets
     the folded forms the page carries: compatibility decomposition without combining marks,
     case folded, apostrophes dropped, words joined by one space, the article "al" dropped. */
  var APOSTROPHES = /['\u2018\u2019\u02bc\u02bb\u02bf\u02be`\u00b4]/g;
  var WORDS = /[\p{L}\p{N}]+/gu;
  function fold(text) {
    var bare = String(text).normalize("NFKD").replace(/\p{Mn}/gu, "");
    bare = bare.toLowerCase().replace(/\u00df/g, "ss").replace(/\u03c2/g, "\u03c3").replace(APOSTROPHES, "");
    var words = bare.match(WORDS) || [];
    var kept = words.filter(function (w) { return w !== "al"; });
    return (kept.length ? kept : words).join(" ");
  }

  /* rapidfuzz's fuzz.ratio, as kg.names scores a misspelling: 200 * LCS / (len a + len b). */
  var lcsRow = new Uint16Array(64);
  function ratio(a, b, cutoff) {
    var total = a.length + b.length;
    if (!total) return 100;
    if (200 * Math.min(a.length, b.length) / total < cutoff) return 0;
    if (lcsRow.length < b.length + 1) lcsRow = new Uint16Array(b.length + 1);
    var row = lcsRow;
    row.fill(0, 0, b.length + 1);
    for (var x = 0; x < a.length; x++) {
      var diag = 0, ch = a.charCodeAt(x);
      for (var y = 1; y <= b.length; y++) {
        var up = row[y];
        row[y] = ch === b.charCodeAt(y - 1) ? diag + 1 : Math.max(up, row[y - 1]);
        diag = up;
      }
    }
    return 200 * row[b.length] / total;
  }

  /* Suggestions for a typed name, best first: an id or Wikidata id; a name or alias that folds to
     the same form; a close spelling the CLI would resolve (fuzzy score >= META.fuzzyCutoff); a
     name that starts with it, has a word starting with it, or contains it; then close spellings
     down to META.suggestCutoff. `resolves` marks what `kg` would resolve the name to. */
  function suggest(query, limit) {
    var raw = String(query || "").trim();
    var q = fold(raw);
    if (!raw) return [];
    limit = limit || 10;
    var hits = [];
    var direct = byId.has(raw) ? byId.get(raw) : byQid.has(raw.toUpperCase()) ? byQid.get(raw.toUpperCase()) : -1;
    for (var i = 0; i < N.length; i++) {
      var forms = N[i].forms, best = i === direct ? 0 : 99, via = -1, score = 0;
      if (q) {
        for (var a = 0; a < forms.length; a++) {
          var k = forms[a], rank, alias = a > 0 ? 1 : 0, s = 0;
          if (k === q) rank = alias;
          else if ((s = ratio(q, k, META.suggestCutoff)) >= META.fuzzyCutoff) rank = 2;
          else if (k.lastIndexOf(q, 0) === 0) rank = 4 + alias;
          else if (k.indexOf(" " + q) >= 0) rank = 6 + alias;
          else if (k.indexOf(q) >= 0) rank = 8;
          else if (s >= META.suggestCutoff) rank = 9;
          else continue;
          if (rank < best || (rank === best && s > score)) { best = rank; via = a; score = s; }
        }
      }
      if (best < 99) hits.push([best, -score, -N[i].degree, i, via]);
    }
    hits.sort(function (x, y) { return (x[0] - y[0]) || (x[1] - y[1]) || (x[2] - y[2]) || (x[3] - y[3]); });
    return hits.slice(0, limit).map(function (h) {
      var n = N[h[3]];
      return {
        index: h[3], id: n.id, name: n.name, type: TYPES[n.type].name,
        alias: h[4] > 0 ? n.aliases[h[4] - 1] : null,
        close: h[0] === 2 || h[0] === 9,
        resolves: h[0] <= 2
      };
    });
  }

  var suggestions = [];
  var active = -1;

  function renderSuggestions() {
    var list = $("kg-suggest");
    clear(list);
    suggestions.forEach(function (s, k) {
      var sub = s.type + (s.alias ? " \u00b7 alias \u201c" + s.alias + "\u201d" : "") + (s.close ? " \u00b7 close spelling" : "");
      list.appendChild(el("li", {
        attrs: { role: "option", "aria-selected": String(k === active), "data-entity": s.id },
        on: { mousedown: function (ev) { ev.preventDefault(); choose(k); } }
      }, [el("span", { text: s.name }), el("span", { className: "kg-sub", text: sub })]));
    });
    list.hidden = suggestions.length === 0;
    $("kg-search").setAttribute("aria-expanded", String(suggestions.length > 0));
  }

  function choose(k) {
    var s = suggestions[k];
    if (!s) return;
    $("kg-search").value = s.name;
    suggestions = [];
    active = -1;
    renderSuggestions();
    select(s.index);
  }

  function bindSearch() {
    var input = $("kg-search");
    input.addEventListener("input", function () {
      suggestions = suggest(input.value, 10);
      active = suggestions.length ? 0 : -1;
      renderSuggestions();
    });
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
        if (!suggestions.length) return;
        ev.preventDefault();
        active = (active + (ev.key === "ArrowDown" ? 1 : suggestions.length - 1)) % suggestions.length;
        renderSuggestions();
      } else if (ev.key === "Enter") {
        ev.preventDefault();
        if (!suggestions.length) suggestions = suggest(input.value, 10);
        choose(active >= 0 ? active : 0);
      } else if (ev.key === "Escape") {
        suggestions = [];
        renderSuggestions();
      }
    });
    input.addEventListener("blur", function () { suggestions = []; renderSuggestions(); });
  }

  // ------------------------------------------------------------ wiring

  function bind() {
    bindSearch();
    $("kg-view-graph").addEventListener("click", function () { showView("graph"); });
    $("kg-view-attacks").addEventListener("click", function () { showView("attacks"); });
    $("kg-whole").addEventListener("click", whole);
    $("kg-more").addEventListener("click", showMore);
    $("kg-all").addEventListener("click", showAll);
    $("kg-isolated").addEventListener("change", function (ev) { showIsolated(ev.target.checked); });
    $("kg-reset").addEventListener("click", resetFilters);
    $("kg-panel-close").addEventListener("click", function () {
      $("kg-panel").hidden = true;
      state.selected = null;
      if (network) { network.unselectAll(); network.redraw(); }
    });
  }

  function domPosition(ref) {
    var i = indexOf(ref);
    if (i < 0 || !shownNodes.has(i)) return null;
    var p = network.canvasToDOM(network.getPositions([i])[i]);
    var box = $("kg-network").getBoundingClientRect();
    return { x: box.left + p.x, y: box.top + p.y };
  }

  /* Each shown node's drawn box, label included, in page coordinates, with the canvas's box. */
  function labelBoxes() {
    var frame = $("kg-network").getBoundingClientRect();
    var out = [];
    shownNodes.forEach(function (i) {
      var b = network.getBoundingBox(i);
      var tl = network.canvasToDOM({ x: b.left, y: b.top }), br = network.canvasToDOM({ x: b.right, y: b.bottom });
      out.push({ id: N[i].id, name: N[i].name, left: frame.left + tl.x, top: frame.top + tl.y,
                 right: frame.left + br.x, bottom: frame.top + br.y });
    });
    return { canvas: { left: frame.left, top: frame.top, right: frame.right, bottom: frame.bottom }, nodes: out };
  }

  function timeRedraw(count) {
    count = count || 10;
    var samples = [];
    for (var k = 0; k < count; k++) {
      var t = performance.now();
      network.redraw();
      samples.push(performance.now() - t);
    }
    samples.sort(function (a, b) { return a - b; });
    return {
      median: samples[Math.floor(samples.length / 2)],
      max: samples[samples.length - 1],
      mean: samples.reduce(function (a, b) { return a + b; }, 0) / samples.length
    };
  }

  var api = {
    ready: false,
    busy: false,  // physics is settling nodes that just appeared
    firstDrawMs: null,
    settleMs: null,
    readyMs: null,
    data: DATA,
    network: null,
    nodes: nodesDS,
    edges: edgesDS,
    indexOf: indexOf,
    suggest: suggest,
    select: select,
    showPanel: function (ref) {  // the entity's panel, whatever the view (the map opens it)
      var i = indexOf(ref);
      if (i < 0) return -1;
      state.selected = i;
      renderPanel(i);
      return i;
    },
    expand: expand,
    ego: ego,
    whole: whole,
    fit: fit,
    showMore: showMore,
    showAll: showAll,
    showIsolated: showIsolated,
    fold: fold,
    labelPx: function () { return network.getScale() * FONT; },
    labelBoxes: labelBoxes,
    showView: showView,
    setTypeFilter: setTypeFilter,
    setRelationFilter: setRelationFilter,
    setDateRange: setDateRange,
    resetFilters: resetFilters,
    domPosition: domPosition,
    timeRedraw: timeRedraw,
    selected: function () { return state.selected === null ? null : N[state.selected].id; },
    visibleNodeIds: function () { return Array.from(shownNodes, function (i) { return N[i].id; }); },
    visibleEdgeCount: function () { return shownEdges.size; }
  };
  window.kgExplorer = api;

  buildFilters();
  bind();
  start();
})();
