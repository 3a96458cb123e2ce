import type { TcpError } from '../../host/tcp/socket';
import type { HttpFailure } from './http-exchange';

/** The trace's words for how a request failed. */
export function failureWord(f: HttpFailure): string {
  switch (f.stage) {
    case 'timeout':
      return 'timeout';
    case 'closed':
      return f.empty ? 'empty' : 'closed';
    case 'connect':
    case 'recv':
      return errnoWord(f.errno);
  }
}

function errnoWord(e: TcpError): string {
  switch (e) {
    case 'ECONNREFUSED':
      return 'refused';
    case 'ECONNRESET':
      return 'reset';
    case 'ETIMEDOUT':
      return 'timeout';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'unreachable';
    case 'EADDRNOTAVAIL':
      return 'no-port';
  }
}
