/** keepalived's KEEPALIVED_EXIT_CONFIG: the parent reports it as `permanent error CONFIG` and stops. */
export const EXIT_CONFIG = 2;
