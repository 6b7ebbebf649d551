// Validates SARIF files against the OASIS SARIF 2.1.0 JSON schema
// (2.1.0-rtm.5, JSON Schema draft-04) that @microsoft/jest-sarif ships in
// tests/web/node_modules. The schema is third-party and not copied into the
// repository; its sha256 is pinned here, so a changed upstream file is
// noticed instead of silently validating against something else.
//
// Usage: node tests/web/check_sarif.mjs FILE...
// Prints "FILE: valid" or each error with its instance path; exits 0 when
// every file is valid, 1 when any is invalid or unreadable, 2 when the
// schema is missing or not the pinned one (run scripts/install-web-deps.sh).
//
// The schema's "format"s (uri, uri-reference, date-time) are checked by the
// small validators below rather than ignored: ajv-formats is not a pinned
// dependency, and ajv would otherwise skip them.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const schemaPath = join(here, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
const schemaSha256 = '2d99159ae54a3eea97f81781cff48780548657c35949f4b7f25e99a2ba4de4f8';

function die(message) {
  console.error(`check_sarif: ${message}`);
  process.exit(2);
}

const files = process.argv.slice(2);
if (files.length === 0) die('usage: node tests/web/check_sarif.mjs FILE...');
if (!existsSync(schemaPath)) {
  die(`${schemaPath} is missing; run scripts/install-web-deps.sh to install tests/web's npm packages`);
}
const schemaText = readFileSync(schemaPath);
const sha = createHash('sha256').update(schemaText).digest('hex');
if (sha !== schemaSha256) die(`${schemaPath} has sha256 ${sha}, want ${schemaSha256}`);

// Imported only now, so a missing node_modules gets the message above.
const { default: Ajv } = await import('ajv-draft-04');

const isUri = (s) => {
  try {
    new URL(s);
    return true;
  } catch {
    return false;
  }
};
const isUriReference = (s) => !/[\s<>"{}|\\^`]/.test(s) && isUri(new URL(s, 'http://base.invalid/').href);
const dateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

// unicodeRegExp off: the schema's "language" pattern has a stray ']' that is
// an error under the u flag (fine in a draft-04 validator's plain RegExp).
const ajv = new Ajv({ allErrors: true, unicodeRegExp: false });
ajv.addFormat('uri', isUri);
ajv.addFormat('uri-reference', isUriReference);
ajv.addFormat('date-time', (s) => dateTime.test(s) && !Number.isNaN(Date.parse(s)));
const validate = ajv.compile(JSON.parse(schemaText));

let invalid = 0;
for (const file of files) {
  let doc;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    console.log(`${file}: unreadable: ${e.message}`);
    ++invalid;
    continue;
  }
  if (validate(doc)) {
    console.log(`${file}: valid`);
    continue;
  }
  ++invalid;
  console.log(`${file}: invalid`);
  for (const e of validate.errors) {
    console.log(`  ${e.instancePath || '/'}: ${e.message} ${JSON.stringify(e.params)}`);
  }
}
process.exit(invalid ? 1 : 0);
