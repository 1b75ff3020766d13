/**
 * Vendor secrets, vendors l–z: a distinctive prefix or shape, or (gitleaks' "semi-generic" rules) a bare value
 * that is a secret only next to the vendor's key name. One file per vendor (or family) beside this one.
 */
import type { Rule } from '../types.js';
import { langsmithRules } from './langsmith.js';
import { launchdarklyRules } from './launchdarkly.js';
import { linearRules } from './linear.js';
import { linkedinRules } from './linkedin.js';
import { lobRules } from './lob.js';
import { lookerRules } from './looker.js';
import { mailchimpRules } from './mailchimp.js';
import { mailgunRules } from './mailgun.js';
import { mapboxRules } from './mapbox.js';
import { mattermostRules } from './mattermost.js';
import { maxmindRules } from './maxmind.js';
import { messagebirdRules } from './messagebird.js';
import { microsoftTeamsRules } from './microsoft-teams.js';
import { netlifyRules } from './netlify.js';
import { newRelicRules } from './new-relic.js';
import { notionRules } from './notion.js';
import { nytimesRules } from './nytimes.js';
import { octopusDeployRules } from './octopus-deploy.js';
import { oktaRules } from './okta.js';
import { openaiRules } from './openai.js';
import { openshiftRules } from './openshift.js';
import { perplexityRules } from './perplexity.js';
import { plaidRules } from './plaid.js';
import { planetscaleRules } from './planetscale.js';
import { postmanRules } from './postman.js';
import { prefectRules } from './prefect.js';
import { privateaiRules } from './privateai.js';
import { pulumiRules } from './pulumi.js';
import { rapidapiRules } from './rapidapi.js';
import { readmeRules } from './readme.js';
import { registryRules } from './registries.js';
import { scalingoRules } from './scalingo.js';
import { sendbirdRules } from './sendbird.js';
import { sendgridRules } from './sendgrid.js';
import { sendinblueRules } from './sendinblue.js';
import { sentryRules } from './sentry.js';
import { settlemintRules } from './settlemint.js';
import { shippoRules } from './shippo.js';
import { shopifyRules } from './shopify.js';
import { sidekiqRules } from './sidekiq.js';
import { slackRules } from './slack.js';
import { snykRules } from './snyk.js';
import { softlayerRules } from './softlayer.js';
import { sonarRules } from './sonar.js';
import { sourcegraphRules } from './sourcegraph.js';
import { squareRules } from './square.js';
import { squarespaceRules } from './squarespace.js';
import { stripeRules } from './stripe.js';
import { sumologicRules } from './sumologic.js';
import { tailscaleRules } from './tailscale.js';
import { telegramRules } from './telegram.js';
import { travisciRules } from './travisci.js';
import { twilioRules } from './twilio.js';
import { twitchRules } from './twitch.js';
import { twitterRules } from './twitter.js';
import { typeformRules } from './typeform.js';
import { vercelRules } from './vercel.js';
import { yandexRules } from './yandex.js';
import { zendeskRules } from './zendesk.js';

export const vendorRulesLtoZ: readonly Rule[] = [
  ...langsmithRules,
  ...launchdarklyRules,
  ...linearRules,
  ...linkedinRules,
  ...lobRules,
  ...lookerRules,
  ...mailchimpRules,
  ...mailgunRules,
  ...mapboxRules,
  ...mattermostRules,
  ...maxmindRules,
  ...messagebirdRules,
  ...microsoftTeamsRules,
  ...netlifyRules,
  ...newRelicRules,
  ...notionRules,
  ...nytimesRules,
  ...octopusDeployRules,
  ...oktaRules,
  ...openaiRules,
  ...openshiftRules,
  ...perplexityRules,
  ...plaidRules,
  ...planetscaleRules,
  ...postmanRules,
  ...prefectRules,
  ...privateaiRules,
  ...pulumiRules,
  ...rapidapiRules,
  ...readmeRules,
  ...registryRules,
  ...scalingoRules,
  ...sendbirdRules,
  ...sendgridRules,
  ...sendinblueRules,
  ...sentryRules,
  ...settlemintRules,
  ...shippoRules,
  ...shopifyRules,
  ...sidekiqRules,
  ...slackRules,
  ...snykRules,
  ...softlayerRules,
  ...sonarRules,
  ...sourcegraphRules,
  ...squareRules,
  ...squarespaceRules,
  ...stripeRules,
  ...sumologicRules,
  ...tailscaleRules,
  ...telegramRules,
  ...travisciRules,
  ...twilioRules,
  ...twitchRules,
  ...twitterRules,
  ...typeformRules,
  ...vercelRules,
  ...yandexRules,
  ...zendeskRules,
];
