/* The site stores nothing on the device. mkdocs-material keeps small preferences (the
 * colour scheme chosen with the toggle, and so on) in localStorage or sessionStorage
 * through two global helpers; these replacements keep them in memory for the life of the
 * page instead. Loaded in <head>, after the theme defines its helpers and before any of
 * its scripts use them. Colour scheme still follows the device's light/dark setting. */
(function () {
  "use strict";
  var memory = new Map();
  function key(name, scope) {
    return (scope || window.__md_scope || location).pathname + "." + name;
  }
  window.__md_get = function (name, _storage, scope) {
    var value = memory.get(key(name, scope));
    return value === undefined ? null : JSON.parse(value);
  };
  window.__md_set = function (name, value, _storage, scope) {
    memory.set(key(name, scope), JSON.stringify(value));
  };
})();
