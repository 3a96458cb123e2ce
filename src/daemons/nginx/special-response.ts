/**
 * Status lines and the built-in error pages of nginx 1.22.1 (ngx_http_header_filter_module.c,
 * ngx_http_special_response.c): page titles differ from reason phrases for 302 (`Found`) and 401.
 */
const REASONS: Record<number, string> = {
  200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content', 206: 'Partial Content',
  301: 'Moved Permanently', 302: 'Moved Temporarily', 303: 'See Other', 304: 'Not Modified',
  307: 'Temporary Redirect', 308: 'Permanent Redirect',
  400: 'Bad Request', 401: 'Unauthorized', 402: 'Payment Required', 403: 'Forbidden', 404: 'Not Found',
  405: 'Not Allowed', 406: 'Not Acceptable', 408: 'Request Time-out', 409: 'Conflict', 410: 'Gone',
  411: 'Length Required', 412: 'Precondition Failed', 413: 'Request Entity Too Large',
  414: 'Request-URI Too Large', 415: 'Unsupported Media Type', 416: 'Requested Range Not Satisfiable',
  421: 'Misdirected Request', 429: 'Too Many Requests',
  500: 'Internal Server Error', 501: 'Not Implemented', 502: 'Bad Gateway',
  503: 'Service Temporarily Unavailable', 504: 'Gateway Time-out', 505: 'HTTP Version Not Supported',
  507: 'Insufficient Storage',
};

const PAGE_TITLES: Record<number, string> = { ...REASONS, 302: 'Found', 401: 'Authorization Required' };
for (const code of [200, 201, 202, 204, 206, 304]) delete PAGE_TITLES[code];

/** `HTTP/1.1 404 Not Found`; a code nginx has no phrase for is sent as `HTTP/1.1 <code> ` with nothing after. */
export function statusLine(status: number): string {
  let line = STATUS_LINES.get(status);
  if (line === undefined) {
    const reason = REASONS[status];
    line = reason === undefined ? `HTTP/1.1 ${status} ` : `HTTP/1.1 ${status} ${reason}`;
    STATUS_LINES.set(status, line);
  }
  return line;
}

/** Written once per status code (nginx's table of status lines is static too). */
const STATUS_LINES = new Map<number, string>();

/** The built-in page for an error/redirect status, or undefined when nginx sends none (e.g. 418, 204). */
export function specialResponseBody(status: number, serverTokens: boolean): string | undefined {
  const title = PAGE_TITLES[status];
  if (title === undefined) return undefined;
  const text = `${status} ${title}`;
  const tail = serverTokens ? 'nginx/1.22.1' : 'nginx';
  return `<html>\r\n<head><title>${text}</title></head>\r\n<body>\r\n<center><h1>${text}</h1></center>\r\n<hr><center>${tail}</center>\r\n</body>\r\n</html>\r\n`;
}

/** Errors after which nginx drops keep-alive (ngx_http_special_response_handler). */
export function closesConnection(status: number): boolean {
  return status === 400 || status === 413 || status === 414 || status === 500 || status === 501;
}

/** Statuses for which add_header (without `always`) and expires act. */
export function addsHeaders(status: number): boolean {
  return ADDS_HEADERS.has(status);
}

const ADDS_HEADERS: ReadonlySet<number> = new Set([200, 201, 204, 206, 301, 302, 303, 304, 307, 308]);
