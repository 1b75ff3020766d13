/**
 * The user's side of a sign-in, driven over HTTP: a tiny cookie-keeping user agent that walks the test
 * IdP's own login, consent and device pages and follows the final redirect to llmgate's loopback
 * listener, as a browser would. (Debian's chromium is not installed on these machines; the IdP's pages
 * are plain forms, so HTTP drives the same server-side flow.)
 */
import { Agent, request } from 'undici';

export interface Page {
  url: string;
  status: number;
  body: string;
}

export class TestBrowser {
  private readonly cookies = new Map<string, string>();
  private readonly agent: Agent;

  constructor(caPem: string) {
    this.agent = new Agent({ connect: { ca: caPem } });
  }

  private async fetchOnce(url: string, method: 'GET' | 'POST', form?: Record<string, string>) {
    const headers: Record<string, string> = {};
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const body = form === undefined ? undefined : new URLSearchParams(form).toString();
    if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await request(url, { method, headers, body, dispatcher: this.agent });
    const setCookie = res.headers['set-cookie'];
    for (const line of setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [setCookie]) {
      const [pair] = line.split(';', 1);
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await res.body.text();
    const location = res.headers.location;
    return {
      status: res.statusCode,
      body: text,
      location: typeof location === 'string' ? location : undefined,
    };
  }

  /** Requests `url` and follows redirects (including the one to llmgate's loopback listener). */
  async go(url: string, method: 'GET' | 'POST' = 'GET', form?: Record<string, string>): Promise<Page> {
    let current = url;
    let res = await this.fetchOnce(current, method, form);
    for (let hops = 0; res.location !== undefined && res.status >= 300 && res.status < 400; hops++) {
      if (hops > 20) throw new Error('too many redirects');
      current = new URL(res.location, current).href;
      res = await this.fetchOnce(current, 'GET');
    }
    return { url: current, status: res.status, body: res.body };
  }

  /** The action of the page's first form, resolved against the page URL. */
  static formAction(page: Page): string {
    const match = /<form[^>]*action="([^"]+)"/.exec(page.body);
    if (match === null)
      throw new Error(`no form on ${page.url} (HTTP ${page.status}): ${page.body.slice(0, 300)}`);
    return new URL(match[1]!.replace(/&amp;/g, '&'), page.url).href;
  }

  static hidden(page: Page, name: string): string {
    const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(page.body);
    if (match === null) throw new Error(`no ${name} field on ${page.url}`);
    return match[1]!;
  }

  /** Logs in as `user` and consents (or refuses) on the IdP's interaction pages, then follows redirects. */
  async completeInteraction(page: Page, user: string, deny = false): Promise<Page> {
    let current = page;
    for (let step = 0; step < 4 && current.url.includes('/interaction/'); step++) {
      if (current.body.includes('name="login"')) {
        current = await this.go(TestBrowser.formAction(current), 'POST', {
          prompt: 'login',
          login: user,
          password: 'x',
        });
      } else if (deny) {
        current = await this.go(`${current.url.replace(/\/$/, '')}/abort`);
      } else {
        current = await this.go(TestBrowser.formAction(current), 'POST', { prompt: 'consent' });
      }
    }
    return current;
  }

  /** The browser leg of an authorization code sign-in. */
  async signIn(authorizationUrl: string, user: string, options: { deny?: boolean } = {}): Promise<Page> {
    return this.completeInteraction(await this.go(authorizationUrl), user, options.deny);
  }

  /** The second-device leg of a device sign-in: enter the code, confirm (or abort), log in, consent. */
  async confirmDeviceCode(
    verificationUri: string,
    userCode: string,
    user: string,
    options: { deny?: boolean } = {},
  ): Promise<Page> {
    const entry = await this.go(verificationUri);
    const confirm = await this.go(TestBrowser.formAction(entry), 'POST', {
      xsrf: TestBrowser.hidden(entry, 'xsrf'),
      user_code: userCode,
    });
    const form: Record<string, string> = {
      xsrf: TestBrowser.hidden(confirm, 'xsrf'),
      user_code: TestBrowser.hidden(confirm, 'user_code'),
    };
    if (options.deny) form.abort = 'yes';
    else form.confirm = 'yes';
    const next = await this.go(TestBrowser.formAction(confirm), 'POST', form);
    return this.completeInteraction(next, user);
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}
