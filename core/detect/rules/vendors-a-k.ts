/** Vendor secrets (a distinctive prefix or shape), vendors a–k. One file per vendor beside this one. */
import type { Rule } from '../types.js';
import { onePasswordRules } from './onepassword.js';
import { adafruitRules } from './adafruit.js';
import { adobeRules } from './adobe.js';
import { adyenRules } from './adyen.js';
import { ageRules } from './age.js';
import { airtableRules } from './airtable.js';
import { algoliaRules } from './algolia.js';
import { alibabaRules } from './alibaba.js';
import { anthropicRules } from './anthropic.js';
import { asanaRules } from './asana.js';
import { atlassianRules } from './atlassian.js';
import { authressRules } from './authress.js';
import { awsRules } from './aws.js';
import { azureRules } from './azure.js';
import { beamerRules } from './beamer.js';
import { bitbucketRules } from './bitbucket.js';
import { bittrexRules } from './bittrex.js';
import { braintreeRules } from './braintree.js';
import { castaiRules } from './castai.js';
import { chargebeeRules } from './chargebee.js';
import { chieftoolsRules } from './chieftools.js';
import { ciscoRules } from './cisco.js';
import { clickhouseRules } from './clickhouse.js';
import { clojarsRules } from './clojars.js';
import { cloudflareRules } from './cloudflare.js';
import { codecovRules } from './codecov.js';
import { cohereRules } from './cohere.js';
import { coinbaseRules } from './coinbase.js';
import { confluentRules } from './confluent.js';
import { contentfulRules } from './contentful.js';
import { databricksRules } from './databricks.js';
import { datadogRules } from './datadog.js';
import { definedNetworkingRules } from './definednetworking.js';
import { digitaloceanRules } from './digitalocean.js';
import { discordRules } from './discord.js';
import { djangoRules } from './django.js';
import { dockerRules } from './docker.js';
import { dopplerRules } from './doppler.js';
import { droneciRules } from './droneci.js';
import { dropboxRules } from './dropbox.js';
import { duffelRules } from './duffel.js';
import { dynatraceRules } from './dynatrace.js';
import { easypostRules } from './easypost.js';
import { etsyRules } from './etsy.js';
import { facebookRules } from './facebook.js';
import { fastlyRules } from './fastly.js';
import { figmaRules } from './figma.js';
import { finicityRules } from './finicity.js';
import { finnhubRules } from './finnhub.js';
import { flickrRules } from './flickr.js';
import { flutterwaveRules } from './flutterwave.js';
import { flyioRules } from './flyio.js';
import { frameioRules } from './frameio.js';
import { freemiusRules } from './freemius.js';
import { freshbooksRules } from './freshbooks.js';
import { githubRules } from './github.js';
import { gitlabRules } from './gitlab.js';
import { gitterRules } from './gitter.js';
import { gocardlessRules } from './gocardless.js';
import { googleRules } from './google.js';
import { grafanaRules } from './grafana.js';
import { groqRules } from './groq.js';
import { harnessRules } from './harness.js';
import { hashicorpRules } from './hashicorp.js';
import { herokuRules } from './heroku.js';
import { hubspotRules } from './hubspot.js';
import { huggingfaceRules } from './huggingface.js';
import { ibmRules } from './ibm.js';
import { infracostRules } from './infracost.js';
import { intercomRules } from './intercom.js';
import { intra42Rules } from './intra42.js';
import { jfrogRules } from './jfrog.js';
import { krakenRules } from './kraken.js';
import { kucoinRules } from './kucoin.js';

export const vendorRulesAtoK: readonly Rule[] = [
  ...awsRules,
  ...onePasswordRules,
  ...adafruitRules,
  ...adobeRules,
  ...adyenRules,
  ...ageRules,
  ...airtableRules,
  ...algoliaRules,
  ...alibabaRules,
  ...anthropicRules,
  ...asanaRules,
  ...atlassianRules,
  ...authressRules,
  ...azureRules,
  ...beamerRules,
  ...bitbucketRules,
  ...bittrexRules,
  ...braintreeRules,
  ...castaiRules,
  ...chargebeeRules,
  ...chieftoolsRules,
  ...ciscoRules,
  ...clickhouseRules,
  ...clojarsRules,
  ...cloudflareRules,
  ...codecovRules,
  ...cohereRules,
  ...coinbaseRules,
  ...confluentRules,
  ...contentfulRules,
  ...databricksRules,
  ...datadogRules,
  ...definedNetworkingRules,
  ...digitaloceanRules,
  ...discordRules,
  ...djangoRules,
  ...dockerRules,
  ...dopplerRules,
  ...droneciRules,
  ...dropboxRules,
  ...duffelRules,
  ...dynatraceRules,
  ...easypostRules,
  ...etsyRules,
  ...facebookRules,
  ...fastlyRules,
  ...figmaRules,
  ...finicityRules,
  ...finnhubRules,
  ...flickrRules,
  ...flutterwaveRules,
  ...flyioRules,
  ...frameioRules,
  ...freemiusRules,
  ...freshbooksRules,
  ...githubRules,
  ...gitlabRules,
  ...gitterRules,
  ...gocardlessRules,
  ...googleRules,
  ...grafanaRules,
  ...groqRules,
  ...harnessRules,
  ...hashicorpRules,
  ...herokuRules,
  ...hubspotRules,
  ...huggingfaceRules,
  ...ibmRules,
  ...infracostRules,
  ...intercomRules,
  ...intra42Rules,
  ...jfrogRules,
  ...krakenRules,
  ...kucoinRules,
];
