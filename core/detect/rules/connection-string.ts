import type { Rule } from '../types.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';
import { PASSWORD_WORDS } from './url-credentials.js';

/**
 * `Password=...` inside a connection string: ADO.NET / ODBC `Key=Value;` lists (the password follows another
 * `key=value;` pair, or comes first with another pair after it) and JDBC or URL query parameters (`;password=`,
 * `?password=`, `&pwd=`). Also Azure storage `AccountKey=` and Service Bus `SharedAccessKey=`. The regex is
 * anchored on the key name; what must come before it is a lookbehind, what must follow a lookahead. Oracle's
 * `jdbc:oracle:thin:user/password@host` has a rule of its own.
 */
export const connectionStringRules: readonly Rule[] = [
  {
    id: 'connection-string-password',
    category: 'secret',
    description: 'Password (or account key) in an ADO.NET, ODBC, JDBC or Azure connection string.',
    keywords: ['password', 'pwd', 'accountkey', 'sharedaccesskey'],
    matchStart: [0, 0],
    pattern:
      /(?:password|pwd|accountkey|sharedaccesskey)(?:(?<=(?:=[^;=\n]{1,256};\s{0,3}|[?&;])(?:password|pwd|accountkey|sharedaccesskey))|(?<![A-Za-z0-9_.-](?:password|pwd|accountkey|sharedaccesskey))(?=\s{0,3}=\s{0,3}["'{]?[^;&\s"'{}<>]{1,256}["'}]?;\s{0,3}[A-Za-z][A-Za-z ]{0,31}=))\s{0,3}=\s{0,3}["'{]?([^;&\s"'{}<>]{1,256})/i,
    secretGroup: 1,
    allowlist: [PASSWORD_WORDS, ...PLACEHOLDER_ALLOWLIST, /^\$/, /^%[A-Za-z_]+%$/],
    truePositives: [
      'Password=Kq8#vL2pZx9m;User ID=svc_orders;Server=sql-prod.internal;',
      'Server=tcp:sql-prod.internal,1433;Initial Catalog=orders;User ID=svc_orders;Password=Vq7#kLp29xZr;Encrypt=True;',
      'Driver={ODBC Driver 18 for SQL Server};Server=db01;Database=hr;Uid=report;Pwd={h3Rt$9wQ2m};',
      'jdbc:sqlserver://db01.internal:1433;databaseName=hr;user=report;password=Xk3m9Qw2Lp7z;',
      'jdbc:mysql://db01.internal:3306/shop?user=shop_rw&password=Rt5yU8iO2pQw&useSSL=true',
      'DefaultEndpointsProtocol=https;AccountName=acmelogs;AccountKey=kD3pX8vR2mQ9wL5tY7uI1oP4aS6dF0gH2jK4lZ8xC1vB3nM5qW7eR9tY0uI2oP4aS6dF8gH0jK2lZ4xC6vB8nM0q==;EndpointSuffix=core.windows.net',
    ],
    falsePositives: [
      'Server=db01;Database=hr;User ID=report;Password=${DB_PASSWORD};',
      'Server=db01;Database=hr;User ID=report;Password=<password>;',
      'Server=db01;Database=hr;Integrated Security=SSPI;',
      'Server=db01;Database=hr;User Id=sa;Password=;',
      'https://example.org/login?password=&user=jane',
      'password=Kq8#vL2pZx9m; // set by the installer',
    ],
  },
  {
    id: 'jdbc-oracle-password',
    category: 'secret',
    description: 'Password in an Oracle JDBC URL (jdbc:oracle:thin:user/password@host).',
    keywords: ['jdbc:oracle:'],
    matchStart: [0, 0],
    pattern: /jdbc:oracle:(?:thin|oci8?):([^\s/@:;"']{1,128})\/(?!\1@)([^\s/@"';]{1,256})@/i,
    secretGroup: 2,
    allowlist: [PASSWORD_WORDS, ...PLACEHOLDER_ALLOWLIST, /^\$/, /^tiger$/i],
    truePositives: [
      'url=jdbc:oracle:thin:billing/Rv7!kQ2pLx9z@//ora01.internal.test:1521/BILLPDB',
      'jdbc:oracle:oci:etl/Hm4zT8wQ2v@ORCL',
    ],
    falsePositives: [
      'jdbc:oracle:thin:scott/tiger@localhost:1521:orcl',
      'jdbc:oracle:thin:${DB_USER}/${DB_PASSWORD}@db:1521/APP',
      'jdbc:oracle:thin:@//ora01.internal.test:1521/BILLPDB',
      'jdbc:oracle:thin:app/app@localhost:1521/XE',
    ],
  },
];
