import type { Rule } from '../types.js';
import { PLACEHOLDER_ALLOWLIST } from './shared.js';
import { prefixedToken } from './shapes.js';

/** AWS: access key ids have a fixed shape; secret keys are 40 base64 characters found through their key name. */
export const awsRules: readonly Rule[] = [
  {
    id: 'aws-access-key-id',
    category: 'secret',
    description: 'AWS access key id (AKIA long-term, ASIA temporary, ABIA, ACCA, A3T legacy).',
    keywords: ['akia', 'asia', 'abia', 'acca', 'a3t'],
    matchStart: [0, 0],
    pattern: /(?<![A-Za-z0-9])(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Za-z0-9])/,
    minEntropy: 3,
    // AWS's documentation keys (AKIAIOSFODNN7EXAMPLE) end in EXAMPLE.
    allowlist: [/EXAMPLE$/],
    truePositives: [
      'aws_access_key_id = AKIA4X3YDICBBPBHM35X',
      'export AWS_ACCESS_KEY_ID="ASIA5BPIWSIZNLKDP6GK"',
      'key_id: A3TX4X3YDICBBPBHM35X',
      '{"AccessKeyId": "AKIA4X3YDICBBPBHM35X", "Region": "eu-west-1"}',
    ],
    falsePositives: [
      'aws_access_key_id = AKIAIOSFODNN7EXAMPLE',
      'key: AKIA4X3YDICBBPBHM35', // one character short
      'key: AKIA4X3YDICBBPBHM35XQ', // one character long
      'id = AKIA1X0YDICBBPBHM18X', // 0, 1 and 8 are not base32
      'id = akia4x3ydicbbpbhm35x', // lowercase
      'AKIAAAAAAAAAAAAAAAAA', // no entropy
    ],
  },
  {
    id: 'aws-secret-access-key',
    category: 'secret',
    description:
      'AWS secret access key: 40 base64 characters assigned to an aws_secret / secret_access_key name.',
    keywords: ['secret'],
    // `aws_secret...` starts up to 4 characters before `secret`; `secret_access_key` at it.
    matchStart: [-4, 0],
    pattern:
      /(?:aws[_.-]?secret(?:[_.-]?access)?(?:[_.-]?key)?|secret[_.-]?access[_.-]?key)["']?\s{0,5}(?::=|=>|[:=])\s{0,5}["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/i,
    secretGroup: 1,
    minEntropy: 4,
    allowlist: [/EXAMPLE/, ...PLACEHOLDER_ALLOWLIST],
    truePositives: [
      'aws_secret_access_key = WZn8rt/zJGkBUHnRwXme3UlxIicyt4VPlf61npx0',
      'AWS_SECRET_ACCESS_KEY="9JxhiobaKsmwa23fQmY/oR/tYJFleYM3IfOY/yyn"',
      '{"SecretAccessKey": "WZn8rt/zJGkBUHnRwXme3UlxIicyt4VPlf61npx0"}',
      'awsSecret: 9JxhiobaKsmwa23fQmY/oR/tYJFleYM3IfOY/yyn',
    ],
    falsePositives: [
      'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      'aws_secret_access_key = ${AWS_SECRET_ACCESS_KEY}',
      'the aws_secret_access_key field holds 40 characters',
      'aws_secret_access_key = aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      'secret_access_key_id: 2fd4e1c67a2d28fced849ee1bb76e7391b93eb12', // a hex digest, low entropy
    ],
  },
  prefixedToken({
    id: 'aws-bedrock-api-key-long-lived',
    description: 'Amazon Bedrock long-lived API key (ABSK + base64 of "BedrockAPIKey-…").',
    keywords: ['absk'],
    body: 'ABSKQmVkcm9ja0FQSUtleS[A-Za-z0-9+/]{91,251}={0,2}',
    boundary: 'A-Za-z0-9+/',
    minEntropy: 3,
    truePositives: [
      'AWS_BEARER_TOKEN_BEDROCK=ABSKQmVkcm9ja0FQSUtleS1D8ec7d1j+dkWL0zSpKHZbDnx9LSLMmL4sxowfbnqoRxltyDSRzBfZ6zG1UQByWCdxmA5rrQk3pJmkYAXZBLjqZ2uPhTrQNI2MmAD/QgWB6nfW=',
    ],
    falsePositives: [
      'ref ABSKQmVkcm9ja0FQSUtleS1D8ec7d1j+dkWL0zSpKHZbDnx9', // too short
      'ref ABSKQmVkcm9ja0FQSUtleS1EXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLE==',
      'ref ABSKD8ec7d1j+dkWL0zSpKHZbDnx9LSLMmL4sxowfbnqoRxltyDSRzBfZ6zG1UQByWCdxmA5rrQk3pJmkYAXZBLjqZ2uPhTrQNI2MmAD/QgWB6nfW', // not a Bedrock key
    ],
  }),
  prefixedToken({
    id: 'aws-bedrock-api-key-short-lived',
    description:
      'Amazon Bedrock short-lived API key (bedrock-api-key- + base64 of a presigned bedrock.amazonaws.com URL).',
    keywords: ['bedrock-api-key-'],
    body: 'bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t[A-Za-z0-9+/]{0,2048}={0,2}',
    boundary: 'A-Za-z0-9+/_',
    truePositives: [
      'AWS_BEARER_TOKEN_BEDROCK=bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29tLz9BY3Rpb249Q2FsbFdpdGhCZWFyZXJUb2tlbiZYLUFtei1BbGdvcml0aG09',
    ],
    falsePositives: [
      'ref bedrock-api-key-', // prefix only
      'ref bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29x', // not bedrock.amazonaws.com
    ],
  }),
];
