/** `vrrpsim run`: every expectation held / one failed / bad input (file:line:col on stderr). */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_BAD_INPUT = 2;
