export { startProxy, type ProxyOptions, type ProxyServer, type ProxyCounters } from './server.js';
export { PROXY_USER, PROXY_AUTH_HINT } from './auth.js';
