// Engines-test probe, run before any page script: records in window.__cwcProblems every
// uncaught error, unhandled rejection, failed resource load, console.error call and CSP
// violation, so a driver without a console API (WebKitWebDriver) can read them afterwards.
(function () {
  "use strict";
  if (window.__cwcProblems) return;
  var problems = (window.__cwcProblems = []);
  function note(kind, text) {
    problems.push(kind + ": " + text);
  }
  window.addEventListener("error", function (event) {
    var target = event.target;
    if (target && target !== window && (target.src || target.href)) {
      note("failed to load", target.src || target.href);
    } else {
      note("error", (event.message || String(event.error)) + " at " + event.filename + ":" + event.lineno);
    }
  }, true);
  window.addEventListener("unhandledrejection", function (event) {
    var reason = event.reason;
    note("unhandled rejection", reason && reason.message ? reason.message : String(reason));
  });
  document.addEventListener("securitypolicyviolation", function (event) {
    note("CSP violation", event.violatedDirective + " refused " + (event.blockedURI || "inline") +
      " at " + event.sourceFile + ":" + event.lineNumber);
  });
  var consoleError = console.error;
  console.error = function () {
    note("console.error", Array.prototype.map.call(arguments, String).join(" "));
    return consoleError.apply(console, arguments);
  };
})();
