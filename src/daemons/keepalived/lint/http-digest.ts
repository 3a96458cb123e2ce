import { createHash } from 'node:crypto';
import type { HttpChecker } from '../config';
import type { LintContext, LintFinding, LintHost } from './types';

/**
 * HTTP_GET / SSL_GET urls against what the scenario's real servers serve: keepalived takes a real server
 * out when the MD5 of the body differs from `digest` or the page is missing (keepalived/check/check_http.c).
 */
export function httpDigests(hosts: readonly LintHost[], servedFile: NonNullable<LintContext['servedFile']>): LintFinding[] {
  const seen = new Map<string, { finding: LintFinding; hosts: string[] }>();
  for (const h of hosts) {
    for (const vs of h.config.virtualServers) {
      for (const rs of vs.realServers) {
        for (const c of rs.checkers) {
          if (c.kind !== 'HTTP_GET' && c.kind !== 'SSL_GET') continue;
          const http = c as HttpChecker;
          const ip = http.connectIp ?? rs.ip;
          const port = http.connectPort ?? rs.port;
          for (const url of http.urls) {
            if (url.path === undefined) continue;
            const key = `${ip}:${port}${url.path}#${url.digest ?? ''}`;
            const prior = seen.get(key);
            if (prior) {
              if (!prior.hosts.includes(h.host)) prior.hosts.push(h.host);
              continue;
            }
            const body = servedFile(ip, port, url.path);
            const target = `http://${ip}:${port}${url.path}`;
            let finding: LintFinding | undefined;
            if (body === undefined) {
              finding = {
                code: 'http-check-not-served',
                severity: 'warning',
                hosts: [],
                at: { host: h.host, ref: c.ref },
                message: `${c.kind} checks ${target}, which the scenario does not serve.`,
                why: `The check fails (no page, or an error status), so keepalived removes real server ${ip}:${port} after ${c.retry + 1} failed attempts.`,
                fix: `Serve ${url.path} on ${ip}:${port}, or check a path that exists.`,
              };
            } else if (url.digest !== undefined) {
              const actual = createHash('md5').update(body).digest('hex');
              if (actual !== url.digest) {
                finding = {
                  code: 'http-digest-mismatch',
                  severity: 'error',
                  hosts: [],
                  at: { host: h.host, ref: c.ref },
                  message: `${c.kind} digest for ${target} is ${url.digest}, but the page served there has MD5 ${actual}.`,
                  why: `keepalived logs "MD5 digest error" and removes real server ${ip}:${port} from the virtual server: it never carries traffic.`,
                  fix: `Set \`digest ${actual}\` (the MD5 of the body, e.g. \`genhash -s ${ip} -p ${port} -u ${url.path}\`), or fix the page.`,
                };
              }
            }
            if (finding) seen.set(key, { finding, hosts: [h.host] });
          }
        }
      }
    }
  }
  return [...seen.values()].map(({ finding, hosts }) => ({ ...finding, hosts }));
}
