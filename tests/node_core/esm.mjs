// The core modules as ES modules: default and named imports, with and without `node:`.
import fs, { readFileSync, writeFileSync, promises as fsp } from 'node:fs';
import { readFile } from 'fs/promises';
import { Buffer as B } from 'buffer';
import os, { EOL } from 'os';
import { StringDecoder } from 'node:string_decoder';
import url, { fileURLToPath, pathToFileURL } from 'url';
import process2 from 'process';
import qs from 'querystring';
writeFileSync('esm.txt', B.from('esm ✓'));
console.log(readFileSync('esm.txt', 'utf8'), fs.existsSync('esm.txt'), fsp === fs.promises, await readFile('esm.txt', 'utf8'));
console.log(B === Buffer, JSON.stringify(EOL), typeof os.cpus, new StringDecoder('hex').write(B.from([255])), typeof url.parse);
console.log(fileURLToPath(pathToFileURL('/a b/c')), process2 === process, qs.stringify({ x: [1, 2] }));
fs.unlinkSync('esm.txt');
