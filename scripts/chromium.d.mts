/** The browser binary: Debian's chromium unless `CHROMIUM_PATH` names another. */
export declare const CHROMIUM_PATH: string;
/** Launch flags for that binary. */
export declare const CHROMIUM_ARGS: string[];
