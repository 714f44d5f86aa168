/* ticketstream report charts: small SVG bar, stacked-bar and line charts with no dependencies.
   Written for this project (Apache-2.0, like the rest of ticketstream). Each chart marks its <svg> with
   data-marks="<number of bars/points drawn>" so a test can check that the chart drew its data. */
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
                 "#9c755f", "#bab0ac"];
  var W = 640, H = 260, M = {top: 16, right: 16, bottom: 48, left: 56};

  function el(name, attrs, parent) {
    var node = document.createElementNS(NS, name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (parent) parent.appendChild(node);
    return node;
  }
  function text(parent, x, y, s, attrs) {
    var t = el("text", Object.assign({x: x, y: y, "font-size": 11, fill: "#333"}, attrs || {}), parent);
    t.textContent = s;
    return t;
  }
  function fmt(v) {
    if (Math.abs(v) >= 1000) return (v / 1000).toFixed(v >= 10000 ? 0 : 1) + "k";
    if (Math.abs(v) < 1 && v !== 0) return v.toFixed(3);
    return String(Math.round(v * 100) / 100);
  }
  function svgFor(container, title) {
    var box = document.createElement("figure");
    var cap = document.createElement("figcaption");
    cap.textContent = title;
    box.appendChild(cap);
    var svg = el("svg", {viewBox: "0 0 " + W + " " + H, width: W, height: H, role: "img", "aria-label": title});
    box.appendChild(svg);
    container.appendChild(box);
    return svg;
  }
  function empty(svg) {
    text(svg, W / 2, H / 2, "no data in this period", {"text-anchor": "middle", fill: "#888"});
    svg.setAttribute("data-marks", "0");
  }
  function axes(svg, maxY, labels) {
    var ih = H - M.top - M.bottom;
    for (var i = 0; i <= 4; i++) {
      var y = M.top + ih - (ih * i) / 4;
      el("line", {x1: M.left, x2: W - M.right, y1: y, y2: y, stroke: "#e5e5e5"}, svg);
      text(svg, M.left - 6, y + 4, fmt((maxY * i) / 4), {"text-anchor": "end"});
    }
    var iw = W - M.left - M.right, step = iw / Math.max(1, labels.length);
    var every = Math.ceil(labels.length / 12);
    labels.forEach(function (l, i) {
      if (i % every === 0) {
        text(svg, M.left + step * (i + 0.5), H - M.bottom + 14, l, {"text-anchor": "middle", "font-size": 10});
      }
    });
    return step;
  }
  function legend(svg, names) {
    var x = M.left;
    names.forEach(function (n, i) {
      el("rect", {x: x, y: H - 18, width: 10, height: 10, fill: PALETTE[i % PALETTE.length]}, svg);
      text(svg, x + 14, H - 9, n);
      x += 24 + n.length * 6.5;
    });
  }

  /* x: labels; series: [{name, values[]}] stacked per x. */
  function stackedBars(container, title, x, series) {
    var svg = svgFor(container, title);
    var totals = x.map(function (_, i) {
      return series.reduce(function (s, ser) { return s + (ser.values[i] || 0); }, 0);
    });
    var maxY = Math.max.apply(null, totals.concat([0]));
    if (!x.length || maxY <= 0) return empty(svg);
    var step = axes(svg, maxY, x), ih = H - M.top - M.bottom, marks = 0;
    var base = x.map(function () { return 0; });
    series.forEach(function (ser, si) {
      ser.values.forEach(function (v, i) {
        if (!v) return;
        var h = (ih * v) / maxY, y = M.top + ih - base[i] - h;
        var r = el("rect", {x: M.left + step * i + step * 0.15, y: y, width: step * 0.7, height: Math.max(h, 0.5),
                            fill: PALETTE[si % PALETTE.length], "class": "mark"}, svg);
        el("title", {}, r).textContent = x[i] + " · " + ser.name + ": " + fmt(v);
        base[i] += h;
        marks++;
      });
    });
    legend(svg, series.map(function (s) { return s.name; }));
    svg.setAttribute("data-marks", String(marks));
  }

  /* Horizontal bars: labels[i] -> values[i]. */
  function hbars(container, title, labels, values, unit) {
    var svg = svgFor(container, title);
    var maxV = Math.max.apply(null, values.concat([0]));
    if (!labels.length || maxV <= 0) return empty(svg);
    var left = 150, rowH = Math.min(28, (H - 24) / labels.length), marks = 0;
    labels.forEach(function (l, i) {
      var w = ((W - left - 70) * values[i]) / maxV, y = 12 + i * rowH;
      text(svg, left - 8, y + rowH * 0.6, l || "(none)", {"text-anchor": "end"});
      var r = el("rect", {x: left, y: y, width: Math.max(w, 0.5), height: rowH * 0.7,
                          fill: PALETTE[i % PALETTE.length], "class": "mark"}, svg);
      el("title", {}, r).textContent = l + ": " + fmt(values[i]) + (unit || "");
      text(svg, left + w + 6, y + rowH * 0.6, fmt(values[i]) + (unit || ""));
      marks++;
    });
    svg.setAttribute("data-marks", String(marks));
  }

  /* Lines: x labels; series [{name, values[]}]. */
  function lines(container, title, x, series) {
    var svg = svgFor(container, title);
    var all = [];
    series.forEach(function (s) { all = all.concat(s.values); });
    var maxY = Math.max.apply(null, all.concat([0]));
    if (!x.length || maxY <= 0) return empty(svg);
    var step = axes(svg, maxY, x), ih = H - M.top - M.bottom, marks = 0;
    series.forEach(function (ser, si) {
      var color = PALETTE[si % PALETTE.length], d = "";
      ser.values.forEach(function (v, i) {
        var px = M.left + step * (i + 0.5), py = M.top + ih - (ih * (v || 0)) / maxY;
        d += (i ? "L" : "M") + px.toFixed(1) + " " + py.toFixed(1);
        var c = el("circle", {cx: px, cy: py, r: 3, fill: color, "class": "mark"}, svg);
        el("title", {}, c).textContent = x[i] + " · " + ser.name + ": " + fmt(v || 0);
        marks++;
      });
      el("path", {d: d, fill: "none", stroke: color, "stroke-width": 2}, svg);
    });
    legend(svg, series.map(function (s) { return s.name; }));
    svg.setAttribute("data-marks", String(marks));
  }

  function table(container, title, columns, rows) {
    var box = document.createElement("figure");
    var cap = document.createElement("figcaption");
    cap.textContent = title;
    box.appendChild(cap);
    var t = document.createElement("table");
    var head = t.insertRow();
    columns.forEach(function (c) { var th = document.createElement("th"); th.textContent = c; head.appendChild(th); });
    rows.forEach(function (r) {
      var tr = t.insertRow();
      r.forEach(function (v) { tr.insertCell().textContent = v === null ? "" : String(v); });
    });
    if (!rows.length) { t.insertRow().insertCell().textContent = "none in this period"; }
    box.appendChild(t);
    container.appendChild(box);
  }

  window.TicketstreamCharts = {stackedBars: stackedBars, hbars: hbars, lines: lines, table: table};
})();
