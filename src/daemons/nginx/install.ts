import type { Vfs } from '../../host/vfs';
import { stockMimeTypesText } from './mime-types';

/** The seed lab builds nginx from source with the default prefix (`./configure && make install`). */
export const NGINX_PREFIX = '/usr/local/nginx/';
export const NGINX_CONF = `${NGINX_PREFIX}conf/nginx.conf`;
export const NGINX_BINARY = `${NGINX_PREFIX}sbin/nginx`;

/**
 * The stock conf/nginx.conf of nginx 1.22.1 reduced to its directives (the shipped file has the same ones
 * plus commented-out examples): one server on port 80 serving html/, error pages from html/50x.html.
 */
const STOCK_CONF = `worker_processes  1;

events {
    worker_connections  1024;
}

http {
    include       mime.types;
    default_type  application/octet-stream;
    sendfile        on;
    keepalive_timeout  65;

    server {
        listen       80;
        server_name  localhost;

        location / {
            root   html;
            index  index.html index.htm;
        }

        error_page   500 502 503 504  /50x.html;
        location = /50x.html {
            root   html;
        }
    }
}
`;

/** html/index.html as nginx 1.22.1 installs it (615 bytes; the same file as Debian's /usr/share/nginx/html). */
const STOCK_INDEX = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`;

/** html/50x.html as nginx 1.22.1 installs it: what `error_page 500 502 503 504 /50x.html` serves. */
const STOCK_50X = `<!DOCTYPE html>
<html>
<head>
<title>Error</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>An error occurred.</h1>
<p>Sorry, the page you are looking for is currently unavailable.<br/>
Please try again later.</p>
<p>If you are the system administrator of this resource then you should check
the error log for details.</p>
<p><em>Faithfully yours, nginx.</em></p>
</body>
</html>
`;

/** The files `make install` leaves under the prefix; files the host already has (the scenario's) are kept. */
export function installNginx(vfs: Vfs): void {
  const files: readonly (readonly [string, string, number])[] = [
    [`${NGINX_PREFIX}conf/nginx.conf`, STOCK_CONF, 0o644],
    [`${NGINX_PREFIX}conf/mime.types`, stockMimeTypesText(), 0o644],
    [`${NGINX_PREFIX}html/index.html`, STOCK_INDEX, 0o644],
    [`${NGINX_PREFIX}html/50x.html`, STOCK_50X, 0o644],
    // The binary is the simulated shell's `nginx` command; this script lets the full path work too.
    [NGINX_BINARY, '#!/bin/sh\nnginx "$@"\n', 0o755],
  ];
  for (const [path, text, mode] of files) if (!vfs.stat(path)) vfs.write(path, text, mode);
}
