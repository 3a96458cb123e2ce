/** The errno values the kernel's IPVS control path returns; ipvsadm and keepalived turn them into text. */
export type IpvsErrno = 'EEXIST' | 'ENOENT' | 'ESRCH' | 'EINVAL' | 'ERANGE' | 'ENODEV';

export class IpvsError extends Error {
  constructor(
    readonly errno: IpvsErrno,
    message: string,
  ) {
    super(message);
    this.name = 'IpvsError';
  }
}
