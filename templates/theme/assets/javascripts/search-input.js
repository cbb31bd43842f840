/*
 * Search on every change of the search box, not only on key releases.
 *
 * Material reads the box on `keyup` (and focus): a query pasted with the
 * mouse, dropped, filled in by the browser or committed by an input method
 * without a key release would stay unsearched ("键入以开始搜索"). Every
 * `input` event (outside an input method's composition) and every
 * composition end is followed by a synthetic `keyup` on the box, which
 * Material handles as a typed key; it ignores a value it has already sent.
 * Listening on the document works whenever this script runs.
 */
(function () {
  "use strict";
  var BOX = '[data-md-component="search-query"]';

  function poke(event) {
    var box = event.target;
    if (!box || !box.matches || !box.matches(BOX)) return;
    if (event.type === "input" && event.isComposing) return;
    box.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
  }

  document.addEventListener("input", poke, true);
  document.addEventListener("compositionend", poke, true);
})();
