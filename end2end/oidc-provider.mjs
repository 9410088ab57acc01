// An OpenID provider on loopback for the end-to-end tests: the certified `oidc-provider`
// package with its development sign-in pages (any login and password; the login is the
// account, used as subject and, verified, as e-mail address) and one client, the portal.
// Usage: node oidc-provider.mjs PORT PORTAL_BASE_URL
import Provider from 'oidc-provider';

const [port, portal] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'ozg-portal',
      client_secret: 'e2e-geheimnis',
      redirect_uris: [`${portal}/anmelden/landeskonto/rueckruf`],
      post_logout_redirect_uris: [`${portal}/anmelden?abgemeldet=1`],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
  ],
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  scopes: ['openid', 'email', 'profile'],
  pkce: { required: () => true },
  // The e-mail claims go into the ID token itself (as Keycloak does), not only to userinfo.
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  async findAccount(_ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: id, email_verified: true, name: id };
      },
    };
  },
});
provider.proxy = false;
provider.listen(Number(port), '127.0.0.1', () => {
  console.log(`OpenID provider ${issuer}`);
});
