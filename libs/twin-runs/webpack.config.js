// The apps' webpack build (nest-cli.json `webpackConfigPath` of api and worker): Nest's defaults plus a
// second entry, the twin worker thread, written next to main.js as twin-worker.js. A worker thread needs a
// file of its own to start from, and the apps ship as single bundles (docs: libs/twin-runs/README.md).
const { dirname, join } = require('node:path');

module.exports = (options) => ({
  ...options,
  entry: { main: options.entry, 'twin-worker': join(__dirname, 'src', 'twin.worker.ts') },
  output: { ...options.output, filename: join(dirname(options.output.filename), '[name].js') },
});
