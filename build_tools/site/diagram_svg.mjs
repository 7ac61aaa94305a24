// Draw Graphviz DOT as SVG with the pinned @viz-js/viz (Graphviz compiled to WebAssembly).
// Called by build_tools/diagram.py, once per build for every diagram not yet cached:
//   stdin:  {"viz": "/path/to/viz.js", "jobs": {"name": "digraph { ... }", ...}}
//   stdout: {"graphviz": "16.1.0", "svgs": {"name": "<svg ...>"}, "errors": {"name": [...]}}
// One process for all diagrams, because starting Node and Graphviz is most of the cost.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const request = JSON.parse(readFileSync(0, "utf-8"));
const { instance } = await import(pathToFileURL(request.viz).href);
const viz = await instance();
const answer = { graphviz: viz.graphvizVersion, svgs: {}, errors: {} };
for (const [name, dot] of Object.entries(request.jobs)) {
  const result = viz.render(dot, { format: "svg", engine: "dot" });
  if (result.status === "success") {
    answer.svgs[name] = result.output;
  }
  const messages = result.errors
    .filter((e) => result.status !== "success" || e.level === "error")
    .map((e) => e.message.trim());
  if (result.status !== "success" && messages.length === 0) messages.push("rendering failed");
  answer.errors[name] = messages;
}
process.stdout.write(JSON.stringify(answer));
