// "复制分享" on paper pages: copies "title — contribution — permalink" for chats
// that show no link preview. Reads the page's own Open Graph tags; no network.
// The permalink is the address the reader is on when the page is served (a fork
// or a preview that never set SITE_URL still shares a working link), without
// its query (search highlighting) and fragment; opened from disk, where that
// address means nothing to others, it is the canonical address (og:url).
(function () {
  "use strict";
  function meta(property) {
    var element = document.querySelector('meta[property="' + property + '"]');
    return element ? element.getAttribute("content") : "";
  }
  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = document.execCommand("copy");
    area.remove();
    return ok ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }
  function permalink() {
    if (location.protocol === "http:" || location.protocol === "https:") return location.origin + location.pathname;
    return meta("og:url");
  }
  function install() {
    if (meta("og:type") !== "article" || document.querySelector(".share-button")) return;
    var heading = document.querySelector(".md-content h1");
    if (!heading) return;
    var text = [meta("og:title"), meta("og:description"), permalink()].filter(Boolean).join(" — ");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-button share-button";
    button.textContent = "复制分享";
    button.setAttribute("data-share-text", text);
    button.addEventListener("click", function () {
      copy(text).then(function () { button.textContent = "已复制"; }, function () { button.textContent = "复制失败"; });
      setTimeout(function () { button.textContent = "复制分享"; }, 2000);
    });
    heading.insertAdjacentElement("afterend", button);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", install);
  else install();
})();
