// Formats generated TypeScript with the repository's Prettier settings, so that `nx format` leaves the
// committed output alone. Uses the Prettier API with the configuration resolved for the real generated
// folder: the result is the same wherever the files are (the drift check writes them to a temp dir,
// where the Prettier CLI would neither find .prettierrc nor format files outside its working directory).
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import prettier from 'prettier';

const workspaceRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const configAnchor = path.join(workspaceRoot, 'libs/grpc-contracts/src/generated/index.ts');

async function listTypeScriptFiles(dir) {
  const files = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const entryPath = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await listTypeScriptFiles(entryPath)));
    else if (entry.isFile() && entry.name.endsWith('.ts')) files.push(entryPath);
  }
  return files;
}

async function main() {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: node tools/codegen/format-generated.mjs <generated-dir>');
    process.exit(2);
  }
  const options = (await prettier.resolveConfig(configAnchor, { editorconfig: true })) ?? {};
  for (const file of await listTypeScriptFiles(dir)) {
    const source = await readFile(file, 'utf8');
    await writeFile(file, await prettier.format(source, { ...options, filepath: file }));
  }
}

await main();
