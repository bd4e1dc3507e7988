const { nodeAppWebpackConfig, CONSOLE_UI_ASSETS } = require('../../tools/webpack/node-app-webpack-config');

// One configuration for every Node program of the workspace: tools/webpack/node-app-webpack-config.js.
module.exports = nodeAppWebpackConfig('apps/gateway-api', { assets: [CONSOLE_UI_ASSETS] });
