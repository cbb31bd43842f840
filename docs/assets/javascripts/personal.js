// 关注、收藏、已读 with no server: everything stays in this browser's localStorage.
//   field and tag pages: a 关注 button (follow the field or tag);
//   paper pages: a 收藏 button (bookmark), and opening one marks it read;
//   every page: links to read papers (and day-page cards) get a small 已读 mark;
//   我的 (me.md): the new papers of followed fields and tags since the last visit of that
//   page (from feeds/recent.js, written by generator/feeds.py), the bookmarks, and export /
//   import as a JSON file.
// The page kind comes from the URL path relative to the site root (__md_scope, the root the
// theme computes; else __config's base). Titles come from the page (h1) or from recent.js:
// both are digest text, so the DOM is built with textContent only. Ids, slugs and dates are
// checked with strict patterns wherever they come from (storage, an imported file, recent.js).
// Without storage (private mode, disabled, full) the buttons still render and say 无法保存.
(function () {
  "use strict";

  var ID = /^[0-9]{4}\.[0-9]{4,5}$/;
  var SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
  var DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
  var KINDS = { field: "领域", tag: "标签" };
  var LIMIT = { follows: 200, bookmarks: 2000, read: 5000, title: 300, name: 100, shown: 300, file: 2000000 };
  var UNSAVED = "无法保存：此浏览器不允许本地存储（隐私模式或已禁用），关注与收藏不会被记住";

  // -- where we are -------------------------------------------------------------------------

  function siteRoot() {
    try {
      if (window.__md_scope instanceof URL) return new URL(window.__md_scope.href);
    } catch (error) { /* fall through */ }
    try {
      var base = JSON.parse(document.getElementById("__config").textContent).base || ".";
      return new URL(base.replace(/\/?$/, "/"), location.href);
    } catch (error) {
      return new URL("./", location.href);
    }
  }
  var root = siteRoot();

  // A path under the root, without it ("papers/2601.04211/", from disk "tags/x/index.html"), or null.
  function relative(url) {
    if (url.protocol !== root.protocol || url.host !== root.host) return null;
    if (url.pathname.indexOf(root.pathname) !== 0) return null;
    return url.pathname.slice(root.pathname.length);
  }

  var PAPER_PATH = /^papers\/([0-9]{4}\.[0-9]{4,5})\/(?:index\.html)?$/;
  var FOLLOW_PATH = /^(fields|tags)\/([a-z0-9]+(?:-[a-z0-9]+)*)\/(?:index\.html)?$/;
  var ME_PATH = /^me\/(?:index\.html)?$/;

  function pageKind() {
    var path = relative(new URL(location.href)) || "";
    var match = PAPER_PATH.exec(path);
    if (match) return { kind: "paper", id: match[1] };
    match = FOLLOW_PATH.exec(path);
    if (match && match[2].length <= 64) return { kind: match[1] === "fields" ? "field" : "tag", slug: match[2] };
    if (ME_PATH.test(path)) return { kind: "me" };
    return { kind: "other" };
  }

  // Pages are folders; opened from disk (the offline copy), where a folder shows as a file
  // listing, the link names its index.html (as file-worker.js makes the theme's links do).
  function pageUrl(section, key) {
    return new URL(section + "/" + key + (location.protocol === "file:" ? "/index.html" : "/"), root).href;
  }

  function headingText() {
    var heading = document.querySelector(".md-content h1");
    if (!heading) return "";
    var copy = heading.cloneNode(true);
    Array.prototype.forEach.call(copy.querySelectorAll(".headerlink"), function (link) { link.remove(); });
    return clip(copy.textContent, LIMIT.title);
  }

  function clip(text, limit) {
    text = String(text).replace(/\s+/g, " ").trim();
    return text.length > limit ? text.slice(0, limit - 1) + "…" : text;
  }

  // -- storage --------------------------------------------------------------------------------

  var KEY = root.pathname + ".daily-papers.personal";  // one site per root, as the theme keys its own
  var storage = (function () {
    try {
      var local = window.localStorage;
      var probe = KEY + ".probe";
      local.setItem(probe, "1");
      local.removeItem(probe);
      return local;
    } catch (error) {
      return null;
    }
  })();

  function empty() {
    return { version: 1, follows: [], bookmarks: [], read: [], seen: "", since: "" };
  }

  // Untrusted input (storage another script may have written, an imported file) to a state:
  // known keys only, every value checked, every list capped.
  function clean(data) {
    var state = empty();
    if (!data || typeof data !== "object" || Array.isArray(data)) return state;
    var seen = {};
    (Array.isArray(data.follows) ? data.follows : []).forEach(function (follow) {
      if (state.follows.length >= LIMIT.follows || !follow || typeof follow !== "object") return;
      if (!KINDS.hasOwnProperty(follow.kind) || typeof follow.slug !== "string" || !SLUG.test(follow.slug) || follow.slug.length > 64) return;
      var key = follow.kind + ":" + follow.slug;
      if (seen[key]) return;
      seen[key] = true;
      state.follows.push({ kind: follow.kind, slug: follow.slug, name: typeof follow.name === "string" ? clip(follow.name, LIMIT.name) : "" });
    });
    (Array.isArray(data.bookmarks) ? data.bookmarks : []).forEach(function (mark) {
      if (state.bookmarks.length >= LIMIT.bookmarks || !mark || typeof mark !== "object") return;
      if (typeof mark.id !== "string" || !ID.test(mark.id) || seen["b:" + mark.id]) return;
      seen["b:" + mark.id] = true;
      state.bookmarks.push({
        id: mark.id,
        title: typeof mark.title === "string" ? clip(mark.title, LIMIT.title) : "",
        date: typeof mark.date === "string" && DATE.test(mark.date) ? mark.date : "",
        added: typeof mark.added === "string" && DATE.test(mark.added) ? mark.added : "",
      });
    });
    var read = (Array.isArray(data.read) ? data.read : []).filter(function (id) {
      if (typeof id !== "string" || !ID.test(id) || seen["r:" + id]) return false;
      seen["r:" + id] = true;
      return true;
    });
    state.read = read.slice(Math.max(0, read.length - LIMIT.read));  // the newest marks
    ["seen", "since"].forEach(function (key) {
      if (typeof data[key] === "string" && DATE.test(data[key])) state[key] = data[key];
    });
    return state;
  }

  function load() {
    if (!storage) return empty();
    try {
      return clean(JSON.parse(storage.getItem(KEY) || "null"));
    } catch (error) {
      return empty();
    }
  }

  // Read, change and write back in one go (another tab may have written since this page loaded).
  // Returns whether the change was saved.
  function update(change) {
    if (!storage) return false;
    var state = load();
    change(state);
    try {
      storage.setItem(KEY, JSON.stringify(state));
      return true;
    } catch (error) {
      return false;  // quota, or storage withdrawn meanwhile
    }
  }

  function today() {
    var now = new Date();
    return now.getFullYear() + "-" + ("0" + (now.getMonth() + 1)).slice(-2) + "-" + ("0" + now.getDate()).slice(-2);
  }

  // -- DOM helpers (text only) ------------------------------------------------------------------

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  var statusCount = 0;
  // A pressed/unpressed button and its status line. A click flips it: ``change(state, on)`` edits the
  // stored state; the status says ``texts.on`` or ``texts.off`` (``texts.shown`` when it starts pressed).
  function toggleButton(label, pressed, texts, change) {
    var button = element("button", "md-button personal-button", label);
    button.type = "button";
    button.setAttribute("aria-pressed", pressed ? "true" : "false");
    var status = element("span", "personal-status");
    status.id = "personal-status-" + ++statusCount;
    status.setAttribute("role", "status");
    button.setAttribute("aria-describedby", status.id);
    if (!storage) {
      status.textContent = UNSAVED;
      button.classList.add("personal-unavailable");
      button.title = UNSAVED;
    } else if (pressed) {
      status.textContent = texts.shown;
    }
    button.addEventListener("click", function () {
      var now = button.getAttribute("aria-pressed") !== "true";
      if (!update(function (state) { change(state, now); })) {
        status.textContent = UNSAVED;
        return;
      }
      button.setAttribute("aria-pressed", now ? "true" : "false");
      status.textContent = now ? texts.on : texts.off;
    });
    return { button: button, status: status };
  }

  // -- field and tag pages: 关注 ---------------------------------------------------------------

  function isFollowed(state, kind, slug) {
    return state.follows.some(function (f) { return f.kind === kind && f.slug === slug; });
  }

  function installFollow(kind, slug) {
    var heading = document.querySelector(".md-content h1");
    if (!heading || document.querySelector(".personal-actions")) return;
    var name = headingText();
    var followed = isFollowed(load(), kind, slug);
    var following = "已关注，新论文会列在“我的”页面";
    var parts = toggleButton("关注", followed, { shown: following, on: following, off: "已取消关注" }, function (state, on) {
      state.follows = state.follows.filter(function (f) { return !(f.kind === kind && f.slug === slug); });
      if (on) state.follows.push({ kind: kind, slug: slug, name: clip(name, LIMIT.name) });
      state.follows = state.follows.slice(-LIMIT.follows);
    });
    parts.button.setAttribute("aria-label", "关注" + KINDS[kind] + "“" + name + "”");
    var box = element("p", "personal-actions");
    box.appendChild(parts.button);
    box.appendChild(parts.status);
    heading.insertAdjacentElement("afterend", box);
  }

  // -- paper pages: 收藏, and opening one marks it read -----------------------------------------

  function paperDate() {
    var newest = "";
    Array.prototype.forEach.call(document.querySelectorAll(".md-content .paper-meta a[href]"), function (link) {
      var match = /(?:^|\/)days\/([0-9]{4}-[0-9]{2}-[0-9]{2})\/(?:index\.html)?$/.exec(relative(link) || "");
      if (match && match[1] > newest) newest = match[1];
    });
    return newest;
  }

  function installBookmark(id) {
    var heading = document.querySelector(".md-content h1");
    if (!heading || document.querySelector(".personal-actions")) return;
    var title = headingText();
    var date = paperDate();
    var marked = load().bookmarks.some(function (b) { return b.id === id; });
    var texts = { shown: "已收藏", on: "已收藏，见“我的”页面", off: "已取消收藏" };
    var parts = toggleButton("收藏", marked, texts, function (state, on) {
      state.bookmarks = state.bookmarks.filter(function (b) { return b.id !== id; });
      if (on) state.bookmarks.push({ id: id, title: title, date: date, added: today() });
      state.bookmarks = state.bookmarks.slice(-LIMIT.bookmarks);
    });
    parts.button.setAttribute("aria-label", "收藏这篇论文");
    var box = element("span", "personal-actions");
    box.appendChild(parts.button);
    box.appendChild(parts.status);
    var share = document.querySelector(".md-content .share-button");
    if (share) share.insertAdjacentElement("afterend", box);
    else heading.insertAdjacentElement("afterend", box);
    markRead(id);
  }

  function markRead(id) {
    update(function (state) {
      if (state.read.indexOf(id) >= 0) return;
      state.read.push(id);
      state.read = state.read.slice(-LIMIT.read);
    });
  }

  // -- listings: 已读 marks, one pass over the article's links -----------------------------------

  function readMark() {
    var mark = element("span", "read-mark", "已读");
    return mark;
  }

  function showReadMarks(read, current) {
    if (!read.length) return;
    var isRead = {};
    read.forEach(function (id) { isRead[id] = true; });
    var content = document.querySelector(".md-content");
    if (!content) return;
    Array.prototype.forEach.call(content.querySelectorAll("a[href]"), function (link) {
      var match = PAPER_PATH.exec(relative(link) || "");
      if (!match || !isRead[match[1]] || match[1] === current) return;
      if (link.nextElementSibling && link.nextElementSibling.classList.contains("read-mark")) return;
      link.insertAdjacentElement("afterend", readMark());
      var card = link.closest(".paper-card");
      if (card && card.id === "p-" + match[1].replace(".", "-")) card.classList.add("is-read");
    });
  }

  // -- 我的 ------------------------------------------------------------------------------------

  function loadRecent(done) {
    if (window.__recentPapers) return done(window.__recentPapers);
    var script = document.createElement("script");
    script.src = new URL("feeds/recent.js", root).href;
    script.onload = function () { done(window.__recentPapers || null); };
    script.onerror = function () { done(null); };
    document.head.appendChild(script);
  }

  // recent.js is generated, but its titles are digest text: checked like any input.
  function recentPapers(data) {
    var result = { newest: "", days: 30, papers: [], names: { field: {}, tag: {} } };
    if (!data || typeof data !== "object") return result;
    if (typeof data.newest === "string" && DATE.test(data.newest)) result.newest = data.newest;
    if (typeof data.days === "number" && data.days > 0 && data.days < 1000) result.days = Math.floor(data.days);
    var slugs = { field: [], tag: [] };
    [["field", data.fields], ["tag", data.tags]].forEach(function (pair) {
      (Array.isArray(pair[1]) ? pair[1] : []).forEach(function (term, index) {
        if (!Array.isArray(term) || typeof term[0] !== "string" || !SLUG.test(term[0])) return;
        slugs[pair[0]][index] = term[0];
        result.names[pair[0]][term[0]] = typeof term[1] === "string" ? clip(term[1], LIMIT.name) : term[0];
      });
    });
    (Array.isArray(data.papers) ? data.papers : []).forEach(function (paper) {
      if (!Array.isArray(paper) || typeof paper[0] !== "string" || !ID.test(paper[0])) return;
      if (typeof paper[1] !== "string" || !DATE.test(paper[1]) || typeof paper[2] !== "string") return;
      function terms(kind, numbers) {
        return (Array.isArray(numbers) ? numbers : []).map(function (n) { return slugs[kind][n]; }).filter(Boolean);
      }
      result.papers.push({ id: paper[0], date: paper[1], title: clip(paper[2], LIMIT.title), field: terms("field", paper[3]), tag: terms("tag", paper[4]) });
    });
    return result;
  }

  function paperItem(id, title, date, note, isRead) {
    var item = element("li", "personal-paper");
    var link = element("a", "", title || id);
    link.href = pageUrl("papers", id);
    item.appendChild(link);
    if (isRead) item.appendChild(readMark());
    var meta = element("span", "personal-meta", [date, note].filter(Boolean).join(" · "));
    if (meta.textContent) item.appendChild(meta);
    return item;
  }

  function section(container, title) {
    var heading = element("h2", "", title);
    container.appendChild(heading);
    return heading;
  }

  function renderMe(container, recent) {
    var state = load();
    var data = recentPapers(recent);
    // The window of "new": papers newer than what this page showed before the newest data
    // arrived. It moves only when the site has newer papers, so a reload shows the same list.
    var since = state.since;
    if (data.newest && data.newest > state.seen) {
      since = state.seen;
      update(function (s) { s.since = s.seen; s.seen = data.newest; });
    }
    var isRead = {};
    state.read.forEach(function (id) { isRead[id] = true; });
    container.textContent = "";

    if (!storage) container.appendChild(element("p", "personal-warning", UNSAVED));

    // New papers of followed fields and tags.
    section(container, "关注的新论文");
    if (!state.follows.length) {
      container.appendChild(element("p", "", "还没有关注任何领域或标签：在领域或标签页上按“关注”。"));
    } else if (!recent) {
      container.appendChild(element("p", "personal-warning", "无法读取最近论文列表（feeds/recent.js）。"));
    } else {
      var followed = state.follows.map(function (f) { return f.kind + ":" + f.slug; });
      var fresh = data.papers.filter(function (paper) {
        return (!since || paper.date > since) && ["field", "tag"].some(function (kind) {
          return paper[kind].some(function (slug) { return followed.indexOf(kind + ":" + slug) >= 0; });
        });
      });
      container.appendChild(element("p", "personal-note", since ? "自 " + since + " 以来，关注的领域和标签中的论文：" + fresh.length + " 篇。"
        : "最近 " + data.days + " 天里，关注的领域和标签中的论文：" + fresh.length + " 篇。"));
      if (fresh.length) {
        var list = element("ul", "personal-list personal-new");
        fresh.slice(0, LIMIT.shown).forEach(function (paper) {
          var names = [];
          ["field", "tag"].forEach(function (kind) {
            paper[kind].forEach(function (slug) {
              if (followed.indexOf(kind + ":" + slug) >= 0) names.push(data.names[kind][slug] || slug);
            });
          });
          list.appendChild(paperItem(paper.id, paper.title, paper.date, names.join("、"), isRead[paper.id]));
        });
        container.appendChild(list);
      }
    }

    // What is followed, each with its page and an 取消关注 button.
    if (state.follows.length) {
      container.appendChild(element("h3", "", "关注中"));
      var follows = element("ul", "personal-list personal-follows");
      state.follows.forEach(function (follow) {
        var item = element("li");
        var link = element("a", "", data.names[follow.kind][follow.slug] || follow.name || follow.slug);
        link.href = pageUrl(follow.kind === "field" ? "fields" : "tags", follow.slug);
        item.appendChild(link);
        item.appendChild(element("span", "personal-meta", KINDS[follow.kind]));
        item.appendChild(removeButton("取消关注", link.textContent, function (s) {
          s.follows = s.follows.filter(function (f) { return !(f.kind === follow.kind && f.slug === follow.slug); });
        }, container, recent));
        follows.appendChild(item);
      });
      container.appendChild(follows);
    }

    // Bookmarks, the newest first.
    section(container, "收藏");
    if (!state.bookmarks.length) {
      container.appendChild(element("p", "", "还没有收藏：在论文页上按“收藏”。"));
    } else {
      var marks = element("ul", "personal-list personal-bookmarks");
      state.bookmarks.slice().reverse().forEach(function (mark) {
        var item = paperItem(mark.id, mark.title, mark.date, mark.id, isRead[mark.id]);
        item.appendChild(removeButton("取消收藏", mark.title || mark.id, function (s) {
          s.bookmarks = s.bookmarks.filter(function (b) { return b.id !== mark.id; });
        }, container, recent));
        marks.appendChild(item);
      });
      container.appendChild(marks);
    }

    // Export and import.
    section(container, "导出与导入");
    container.appendChild(element("p", "", "关注、收藏和已读记录只保存在这个浏览器里。导出为 JSON 文件，可在另一个浏览器或设备上导入（与已有记录合并）。"));
    var tools = element("p", "personal-tools");
    var download = element("a", "md-button personal-export", "导出 JSON");
    download.setAttribute("download", "daily-papers-personal.json");
    // The file is what storage holds when the link is followed (another tab may have changed it).
    function refresh() {
      var json = JSON.stringify(load(), null, 2) + "\n";
      try {
        if (download.dataset.url) URL.revokeObjectURL(download.dataset.url);
        download.dataset.url = URL.createObjectURL(new Blob([json], { type: "application/json" }));
        download.href = download.dataset.url;
      } catch (error) {
        download.href = "data:application/json;charset=utf-8," + encodeURIComponent(json);
      }
    }
    refresh();
    download.addEventListener("click", refresh);
    tools.appendChild(download);
    var label = element("label", "md-button personal-import");
    label.appendChild(document.createTextNode("导入 JSON"));
    var input = element("input", "personal-file");
    input.type = "file";
    input.accept = "application/json,.json";
    label.appendChild(input);
    tools.appendChild(label);
    var status = element("span", "personal-status");
    status.setAttribute("role", "status");
    tools.appendChild(status);
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      if (!file) return;
      if (file.size > LIMIT.file) {
        status.textContent = "导入失败：文件太大";
        return;
      }
      var reader = new FileReader();
      reader.onload = function () {
        var imported;
        try {
          imported = clean(JSON.parse(String(reader.result)));
        } catch (error) {
          status.textContent = "导入失败：不是有效的 JSON 文件";
          return;
        }
        var saved = update(function (s) { merge(s, imported); });
        input.value = "";
        if (!saved) {
          status.textContent = UNSAVED;
          return;
        }
        renderMe(container, recent);
        var again = container.querySelector(".personal-tools .personal-status");
        if (again) again.textContent = "已导入：" + imported.follows.length + " 个关注、" + imported.bookmarks.length + " 篇收藏、" + imported.read.length + " 篇已读";
      };
      reader.onerror = function () { status.textContent = "导入失败：无法读取文件"; };
      reader.readAsText(file);
    });
    container.appendChild(tools);
  }

  function merge(state, imported) {
    var merged = clean({
      follows: state.follows.concat(imported.follows),
      bookmarks: state.bookmarks.concat(imported.bookmarks),
      read: imported.read.concat(state.read),
      seen: state.seen || imported.seen,
      since: state.since || imported.since,
    });
    Object.keys(merged).forEach(function (key) { state[key] = merged[key]; });
  }

  function removeButton(label, what, change, container, recent) {
    var button = element("button", "personal-remove", label);
    button.type = "button";
    button.setAttribute("aria-label", label + "：" + what);
    button.addEventListener("click", function () {
      if (update(change)) {
        renderMe(container, recent);
        var heading = container.querySelector("h2");
        if (heading) { heading.tabIndex = -1; heading.focus(); }  // the button is gone: keep focus in the page
      } else {
        button.textContent = "无法保存";
      }
    });
    return button;
  }

  // -- start -------------------------------------------------------------------------------------

  function install() {
    var page = pageKind();
    if (page.kind === "paper") installBookmark(page.id);
    else if (page.kind === "field" || page.kind === "tag") installFollow(page.kind, page.slug);
    else if (page.kind === "me") {
      var container = document.getElementById("personal");
      if (container) loadRecent(function (recent) { renderMe(container, recent); });
    }
    if (page.kind !== "me") showReadMarks(load().read, page.id);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", install);
  else install();
})();
