import { bundleExternals, packageOf } from './bundle-externals';

describe('bundleExternals', () => {
  it('lists the packages a webpack bundle leaves to node_modules, without Node`s own modules', () => {
    const bundle = [
      '/***/ "@nestjs/core":',
      '/***/ ((module) => {',
      'module.exports = require("@nestjs/core");',
      '/***/ "fs": ((module) => { module.exports = require("fs"); })',
      'module.exports = require("node:path");',
      "module.exports = require('@bufbuild/protobuf/wire');",
      'module.exports = require("typeorm");',
      'module.exports = require("typeorm");',
      'const local = require("./local");',
    ].join('\n');
    expect(bundleExternals(bundle)).toEqual(['@bufbuild/protobuf/wire', '@nestjs/core', 'typeorm']);
  });

  it('names the package of a request', () => {
    expect(packageOf('@bufbuild/protobuf/wire')).toBe('@bufbuild/protobuf');
    expect(packageOf('yaml')).toBe('yaml');
    expect(packageOf('rxjs/operators')).toBe('rxjs');
  });
});
