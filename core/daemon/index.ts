export { startDaemon, permittedHosts, type Daemon, type DaemonOptions } from './daemon.js';
