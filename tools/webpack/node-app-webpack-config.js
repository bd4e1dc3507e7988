const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join } = require('path');

const WORKSPACE_ROOT = join(__dirname, '../..');

/**
 * The webpack configuration of every Node program of the workspace (both apps and both simulators), run from the
 * program's folder. Node target: node_modules stay external, so native drivers (better-sqlite3, pg) load at run
 * time. The .proto files travel with the bundle: gRPC reflection and proto-loader read them from disk.
 *
 * @param {string} outputPath the bundle's folder under dist/, e.g. 'apps/gateway-api'
 * @param {{ protos?: boolean, assets?: Array<{glob: string, input: string, output: string}> }} [options]
 *   protos: copy proto/ (default true; the REST simulator serves none); assets: more files beside main.js
 */
function nodeAppWebpackConfig(outputPath, { protos = true, assets = [] } = {}) {
  return {
    output: { path: join(WORKSPACE_ROOT, 'dist', outputPath), clean: true },
    devtool: 'source-map',
    plugins: [
      new NxAppWebpackPlugin({
        target: 'node',
        compiler: 'tsc',
        main: './src/main.ts',
        tsConfig: './tsconfig.app.json',
        assets: [
          ...(protos ? [{ glob: '**/*.proto', input: '../../proto', output: 'proto' }] : []),
          ...assets,
        ],
        optimization: false,
        outputHashing: 'none',
        generatePackageJson: false,
        sourceMap: true,
      }),
    ],
  };
}

/** The consoles' scripts and stylesheet, served from memory by each app (no build step, no CDN). */
const CONSOLE_UI_ASSETS = { glob: '*.{js,css}', input: '../../libs/console-ui/assets', output: 'console-ui' };

module.exports = { nodeAppWebpackConfig, CONSOLE_UI_ASSETS };
