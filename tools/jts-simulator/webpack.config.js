const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join } = require('path');

// Node target: node_modules stay external. The .proto files travel with the bundle: server reflection
// reads them from disk (PROTO_ROOT finds dist/tools/jts-simulator/proto next to main.js).
module.exports = {
  output: { path: join(__dirname, '../../dist/tools/jts-simulator'), clean: true },
  devtool: 'source-map',
  plugins: [
    new NxAppWebpackPlugin({
      target: 'node',
      compiler: 'tsc',
      main: './src/main.ts',
      tsConfig: './tsconfig.app.json',
      assets: [{ glob: '**/*.proto', input: '../../proto', output: 'proto' }],
      optimization: false,
      outputHashing: 'none',
      generatePackageJson: false,
      sourceMap: true,
    }),
  ],
};
