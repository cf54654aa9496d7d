// ldr's live reload, served as /__ldr/live-reload.js to the preview's pages only.
//
// Kept small and dependency-free: it runs only in the preview, never in the published site.
// It is a file, not inline code, because every page's Content-Security-Policy allows only
// the site's own scripts (for the same reason the overlay, in overlay.js, is styled by a
// constructed stylesheet, which the policy allows, where a `<style>` element is blocked).
//
// On `reload` (a new build is served) a tab whose page changed fetches its new HTML and
// morphs the document into it, so the editor keeps their place: scroll position, focus,
// text selection and open <details> survive, and nothing is requested again but the page.
// It reloads instead when a script or an image changed (a morph would not fetch it again)
// or when its page is gone. On `css` the stylesheets are fetched again; on `build-error`
// the overlay shows (overlay.js).
function ldrLive(version, error) {
  var overlay = ldrOverlay();
  var show = overlay.show, hide = overlay.hide;
  if (error) {
    if (document.body) show(error);
    else document.addEventListener('DOMContentLoaded', function () { show(error); });
  }

  // One fetch at a time; a build announced during it is fetched once it is done.
  var fetching = false, again = false;
  function update() {
    if (fetching) { again = true; return; }
    fetching = true;
    var address = location.pathname + location.search;
    fetch(address, { cache: 'no-store' })
      .then(function (response) {
        // The page is gone (404) or moved: what the editor should see is what a reload shows.
        if (!response.ok || response.redirected) throw new Error('page gone');
        return response.text();
      })
      .then(function (html) {
        var next = new DOMParser().parseFromString(html, 'text/html');
        if (scripts(document) !== scripts(next)) throw new Error('scripts changed');
        hide();
        morphAttributes(document.documentElement, next.documentElement);
        morph(document.head, next.head);
        morph(document.body, next.body);
        var own = next.querySelector('script[data-ldr-version]');
        if (own && own.dataset.ldrError) show(own.dataset.ldrError);
      })
      .catch(function () { location.reload(); })
      .finally(function () {
        fetching = false;
        if (again) { again = false; update(); }
      });
  }

  var here = decodeURIComponent(location.pathname);
  var events = new EventSource('/__ldr/events?version=' + version);
  events.addEventListener('reload', function (e) {
    var what = JSON.parse(e.data);
    if (what.reload) { location.reload(); return; }
    // A tab showing an error follows every good build: its own page may not have changed.
    if (overlay.failing() || !what.pages || what.pages.indexOf(here) >= 0) update();
  });
  events.addEventListener('build-error', function (e) { show(e.data); });
  events.addEventListener('css', function (e) {
    if (overlay.failing()) { location.reload(); return; }
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      var url = new URL(link.href); url.searchParams.set('ldr', e.data); link.href = url.toString();
    });
  });
}

// The scripts a document runs, by address: if they differ, only a reload runs the new ones.
// Data blocks (JSON-LD, which holds the page's title) run nothing: the morph updates them.
function scripts(doc) {
  var runs = /^(|text\/javascript|module|application\/javascript)$/i;
  return Array.prototype.filter.call(doc.querySelectorAll('script'), function (script) {
    return runs.test((script.getAttribute('type') || '').trim());
  }).map(function (script) {
    return (script.type || '') + ' ' + (script.getAttribute('src') || script.textContent);
  }).join('\n');
}

// Morphs the live node `from` into the parsed node `to` (of the same kind), changing only
// what differs, so that the nodes that stay keep their state.
function morph(from, to) {
  if (from.nodeType !== 1) {
    if (from.nodeValue !== to.nodeValue) from.nodeValue = to.nodeValue;
    return;
  }
  morphAttributes(from, to);
  if (from.isEqualNode(to)) return;
  var live = from.firstChild;
  var wanted = to.childNodes;
  for (var i = 0; i < wanted.length; i++) {
    var want = wanted[i];
    if (live && live.nodeType === 1 && want.nodeType === 1 && !live.isEqualNode(want)) {
      // One element inserted before `live` (a new paragraph): add it, leave `live` be.
      var after = nextElement(wanted, i);
      if (after && live.isEqualNode(after)) {
        from.insertBefore(document.importNode(want, true), live);
        continue;
      }
      // `live` was deleted: drop it and what lies between it and the next element.
      var following = live.nextElementSibling;
      if (following && following.isEqualNode(want)) {
        while (live !== following) { var gone = live; live = live.nextSibling; gone.remove(); }
      }
    }
    var keyed = want.nodeType === 1 && want.id ? childById(from, want.id) : null;
    if (keyed && keyed !== live) from.insertBefore(keyed, live);
    else keyed = live && sameKind(live, want) ? live : null;
    if (keyed) {
      morph(keyed, want);
      live = keyed.nextSibling;
    } else {
      from.insertBefore(document.importNode(want, true), live);
    }
  }
  while (live) { var rest = live; live = live.nextSibling; rest.remove(); }
}

function sameKind(a, b) {
  return a.nodeType === b.nodeType && a.nodeName === b.nodeName
    && (a.nodeType !== 1 || (a.id || '') === (b.id || ''));
}

function nextElement(nodes, i) {
  for (var j = i + 1; j < nodes.length; j++) if (nodes[j].nodeType === 1) return nodes[j];
  return null;
}

function childById(parent, id) {
  for (var child = parent.firstElementChild; child; child = child.nextElementSibling) {
    if (child.id === id) return child;
  }
  return null;
}

// What the editor set is theirs: a <details> they opened or closed stays so, and a
// stylesheet swapped in by a `css` event keeps its address (no second download).
function morphAttributes(from, to) {
  function kept(name) {
    if (name === 'open' && from.nodeName === 'DETAILS') return true;
    return name === 'href' && from.nodeName === 'LINK'
      && withoutVersion(from.getAttribute('href')) === new URL(to.getAttribute('href'), location.href).href;
  }
  Array.prototype.slice.call(from.attributes).forEach(function (attribute) {
    if (!to.hasAttribute(attribute.name) && !kept(attribute.name)) from.removeAttribute(attribute.name);
  });
  Array.prototype.forEach.call(to.attributes, function (attribute) {
    if (from.getAttribute(attribute.name) !== attribute.value && !kept(attribute.name)) {
      from.setAttribute(attribute.name, attribute.value);
    }
  });
}

// A stylesheet's address as the page gives it, without the `ldr` version a `css` event adds.
function withoutVersion(href) {
  var url = new URL(href, location.href);
  url.searchParams.delete('ldr');
  return url.href;
}

(function (script) {
  ldrLive(Number(script.dataset.ldrVersion), script.dataset.ldrError || null);
})(document.currentScript);
