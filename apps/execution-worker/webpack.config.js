const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join } = require('path');

// Node target: node_modules stay external, so native drivers (better-sqlite3, pg) load at run time.
// The .proto files travel with the bundle (gRPC reflection and proto-loader read them from disk), and so do the
// console's assets.
module.exports = {
  output: { path: join(__dirname, '../../dist/apps/execution-worker'), clean: true },
  devtool: 'source-map',
  plugins: [
    new NxAppWebpackPlugin({
      target: 'node',
      compiler: 'tsc',
      main: './src/main.ts',
      tsConfig: './tsconfig.app.json',
      assets: [
        { glob: '**/*.proto', input: '../../proto', output: 'proto' },
        // The operations console's scripts and stylesheet, served from memory by the app (no build step, no CDN).
        { glob: '*.{js,css}', input: '../../libs/console-ui/assets', output: 'console-ui' },
      ],
      optimization: false,
      outputHashing: 'none',
      generatePackageJson: false,
      sourceMap: true,
    }),
  ],
};
