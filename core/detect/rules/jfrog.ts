import type { Rule } from '../types.js';
import { keyedSecret, prefixedToken } from './shapes.js';

const JFROG_NAMES = ['jfrog', 'artifactory', 'bintray', 'xray'];

/**
 * JFrog Artifactory: API keys `AKCp` + 69, reference tokens (base64 of `reftkn`, `cmVmd` + 59), and older
 * API keys (73) and identity tokens (64) found next to a jfrog, artifactory, bintray or xray name.
 */
export const jfrogRules: readonly Rule[] = [
  prefixedToken({
    id: 'artifactory-api-key',
    description: 'JFrog Artifactory API key (AKCp + 69 characters).',
    keywords: ['akcp'],
    body: 'AKCp[A-Za-z0-9]{69}',
    minEntropy: 4,
    truePositives: [
      'X-JFrog-Art-Api: AKCpTYHQ9rRogtpiQRqMRvaU0Re1UmH4C5ZY4F4YmWzK95ZchGArysR2QlhJuhzBTpQbVUoUb',
    ],
    falsePositives: [
      'ref AKCpTYHQ9rRogtpiQRqMRvaU0Re1UmH4C5ZY4F4YmWzK95ZchGArysR2QlhJuhzBTpQbVUoU',
      'ref AKCxxxxxxxxxx',
    ],
  }),
  prefixedToken({
    id: 'artifactory-reference-token',
    description: 'JFrog Artifactory reference token (cmVmd + 59 characters).',
    keywords: ['cmvmd'],
    body: 'cmVmd[A-Za-z0-9]{59}',
    minEntropy: 4,
    truePositives: ['ARTIFACTORY_TOKEN=cmVmdU0kKid9uSYBrzXCwGW0AMfeFa5Aqk577A0sRQj5mhPuLCKOaqxVOvfAQypN'],
    falsePositives: [
      'ref cmVmdU0kKid9uSYBrzXCwGW0AMfeFa5Aqk577A0sRQj5mhPuLCKOaqxVOvfAQyp',
      'ref cmVmdXJlbmNl',
    ],
  }),
  keyedSecret({
    id: 'jfrog-api-key',
    description: 'JFrog API key (73 characters) assigned to a jfrog, artifactory, bintray or xray key name.',
    names: JFROG_NAMES,
    value: '[a-z0-9]{73}',
    valueCaseInsensitive: true,
    minEntropy: 3,
    truePositives: [
      'JFROG_API_KEY=0b81ikwpn54kz5i7va2lpcrzshbizxg74rrb2d9tvoz068v8x8rdass4yqca0i1uisap6hmj0',
    ],
    falsePositives: ['jfrog: 0b81ikwpn54kz5i7va2lpcrzshbizxg74rrb2d9tvoz068v8x8rdass4yqca0i1uisap6hmj'],
  }),
  keyedSecret({
    id: 'jfrog-identity-token',
    description:
      'JFrog identity token (64 characters) assigned to a jfrog, artifactory, bintray or xray key name.',
    names: JFROG_NAMES,
    value: '[a-z0-9]{64}',
    valueCaseInsensitive: true,
    minEntropy: 3,
    truePositives: [
      'var xrayToken string = "2eq7stj8f27bliefngwlwjb4znntag0cmw9lx3tphaqb4kx5q2hbqjfpbteet1ke"',
      '"artifactory", "2eq7stj8f27bliefngwlwjb4znntag0cmw9lx3tphaqb4kx5q2hbqjfpbteet1ke"',
      '<bintrayToken>\n    2eq7stj8f27bliefngwlwjb4znntag0cmw9lx3tphaqb4kx5q2hbqjfpbteet1ke\n</bintrayToken>',
    ],
    falsePositives: [
      'xray: 2eq7stj8f27bliefngwlwjb4znntag0cmw9lx3tphaqb4kx5q2hbqjfpbteet1k',
      'ARTIFACTORY_URL=https://acme.jfrog.io/artifactory',
    ],
  }),
];
