// A real OpenID Connect provider (the `oidc-provider` package) for tests/it/oidc.rs. The test starts it with
// Node on a spare port: `node provider.mjs '<settings as JSON>'`, where the settings are
//   { "port": 4000, "clients": [{ "client_id": "…", "client_secret": "…", "redirect_uris": ["…"] }],
//     "wrong_audience": ["client id", …] }
// It prints "listening" once it accepts connections. Sign-in uses the package's own login and consent
// pages (devInteractions): any login name is an account, with the claims of USERS below if it is there.
//
// Two settings exist only to let the test see Samsyn refuse what a real deployment can meet:
// - the authorization code of the account "sena" expires after one second (a person who waited too long);
// - ID tokens for a client listed in `wrong_audience` name another client as their audience (`aud`), as a
//   token meant for another application would.
import Provider from 'oidc-provider';

const settings = JSON.parse(process.argv[2]);
const issuer = `http://127.0.0.1:${settings.port}`;

const USERS = {
  anna: { name: 'Anna Andersson', email: 'Anna.Andersson@exempelby.se', email_verified: true },
  bo: { preferred_username: 'bo.berg', email: 'bo@exempelby.se', email_verified: false },
};

const configuration = {
  clients: settings.clients.map((client) => ({
    ...client,
    grant_types: ['authorization_code'],
    response_types: ['code'],
  })),
  pkce: { required: () => true },
  claims: {
    openid: ['sub'],
    profile: ['name', 'preferred_username'],
    email: ['email', 'email_verified'],
  },
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: id, ...(USERS[id] ?? {}) };
      },
    };
  },
  ttl: {
    AuthorizationCode: (ctx, code) => (code.accountId === 'sena' ? 1 : 60),
    IdToken: 3600,
    AccessToken: 3600,
    Grant: 3600,
    Interaction: 600,
    Session: 3600,
  },
  cookies: { keys: ['samsyn-test-only-cookie-key'] },
  features: { devInteractions: { enabled: true } },
};

const provider = new Provider(issuer, configuration);

const wrongAudience = new Set(settings.wrong_audience ?? []);
const issue = provider.IdToken.prototype.issue;
provider.IdToken.prototype.issue = function issueWithAudience(options) {
  if (options?.use === 'idtoken' && wrongAudience.has(this.client?.clientId)) {
    const client = this.client;
    this.client = new Proxy(client, {
      get(target, property) {
        if (property === 'clientId') return 'another-application';
        const value = Reflect.get(target, property);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }
  return issue.call(this, options);
};

provider.on('server_error', (ctx, error) => console.error('server_error', error));

provider.listen(settings.port, '127.0.0.1', () => {
  console.log('listening');
});
