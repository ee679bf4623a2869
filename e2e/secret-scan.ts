/**
 * The check that no broker secret ever reached a browser: every file the traffic recorder wrote during the run
 * (HTTP response bodies, WebSocket frames both ways) is searched for each secret the server holds, in the forms
 * a leak could take (as is, URL-encoded, JSON-escaped, base64 at each alignment). A scan of (almost) nothing
 * proves nothing, so too little recorded traffic fails too.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { TrafficRecord } from './traffic-recorder';

/** A whole e2e run records hundreds of each; fewer than this means the recorder was not attached. */
export const MIN_HTTP_BODIES = 20;
export const MIN_WS_FRAMES = 20;

export interface NamedSecret {
  /** Where it comes from, for the failure message (never the secret itself). */
  name: string;
  value: string;
}

export interface Leak {
  secret: string;
  file: string;
  url: string;
  kind: TrafficRecord['kind'];
  form: string;
}

export interface ScanReport {
  files: number;
  httpBodies: number;
  wsFrames: number;
  bytes: number;
  leaks: Leak[];
}

/** The shapes a secret can take on its way into a page. */
export function leakForms(secret: string): Array<[form: string, text: string]> {
  const forms: Array<[string, string]> = [
    ['as is', secret],
    ['URL-encoded', encodeURIComponent(secret)],
    ['JSON-escaped', JSON.stringify(secret).slice(1, -1)],
  ];
  // Base64 of the secret at each of the three byte alignments, minus the edge characters that depend on neighbours.
  const bytes = Buffer.from(secret, 'utf8');
  for (let shift = 0; shift < 3; shift++) {
    const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64').replace(/=+$/, '');
    const core = encoded.slice(Math.ceil((shift * 4) / 3) + 1, -2);
    if (core.length >= 8) forms.push([`base64 (offset ${shift})`, core], [`base64url (offset ${shift})`, core.replace(/\+/g, '-').replace(/\//g, '_')]);
  }
  return forms.filter(([, text], i, all) => text.length > 0 && all.findIndex(([, other]) => other === text) === i);
}

export function scanTraffic(dir: string, secrets: readonly NamedSecret[]): ScanReport {
  const report: ScanReport = { files: 0, httpBodies: 0, wsFrames: 0, bytes: 0, leaks: [] };
  if (!existsSync(dir)) return report;
  const patterns = secrets.flatMap((secret) => leakForms(secret.value).map(([form, text]) => ({ name: secret.name, form, text })));
  for (const entry of readdirSync(dir).sort()) {
    if (!entry.endsWith('.jsonl')) continue;
    report.files++;
    const file = path.join(dir, entry);
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line) continue;
      const record = JSON.parse(line) as TrafficRecord;
      report.bytes += record.text.length;
      if (record.kind === 'http') report.httpBodies++;
      else report.wsFrames++;
      for (const pattern of patterns) {
        if (record.text.includes(pattern.text) || record.url.includes(pattern.text)) {
          report.leaks.push({ secret: pattern.name, file: entry, url: record.url, kind: record.kind, form: pattern.form });
        }
      }
    }
  }
  return report;
}

/** The scan's verdict as an Error to throw (null when clean and enough was recorded). */
export function scanFailure(report: ScanReport, dir: string): Error | null {
  if (report.leaks.length > 0) {
    const lines = report.leaks.slice(0, 20).map((l) => `  - ${l.secret} (${l.form}) in ${l.kind} ${l.url}\n    file: ${path.join(dir, l.file)}`);
    return new Error(`broker secrets reached the browser (${report.leaks.length} finds):\n${lines.join('\n')}`);
  }
  if (report.httpBodies < MIN_HTTP_BODIES || report.wsFrames < MIN_WS_FRAMES) {
    return new Error(
      `the secret scan saw too little to prove anything: ${report.httpBodies} HTTP bodies (need ${MIN_HTTP_BODIES}) and ` +
        `${report.wsFrames} WebSocket frames (need ${MIN_WS_FRAMES}) in ${dir}; is the traffic recorder attached (e2e/fixtures.ts)?`,
    );
  }
  return null;
}
