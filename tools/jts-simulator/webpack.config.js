const { nodeAppWebpackConfig } = require('../../tools/webpack/node-app-webpack-config');

// One configuration for every Node program of the workspace: tools/webpack/node-app-webpack-config.js.
module.exports = nodeAppWebpackConfig('tools/jts-simulator');
