/**
 * The simulated AWS: ACM, the Resource Groups Tagging API, ELBv2, IAM server certificates, STS,
 * Organizations, Account and Security Hub's BatchImportFindings as SimServices over one world.
 * `seedAws(scenario.aws, ca, now)` builds the world; `awsServices(world)` serves it.
 */
import type { SimService } from '../types.js';
import { acmService, serialiseAcmBodies } from './acm.js';
import { elbv2Service } from './elbv2.js';
import { accountService, organizationsService } from './organizations.js';
import { stsService } from './sts.js';
import { iamService } from './iam.js';
import { securityHubService } from './securityhub.js';
import { taggingService } from './tagging.js';
import type { AwsWorld } from './world.js';

export function awsServices(world: AwsWorld): SimService[] {
  serialiseAcmBodies(world);
  return [
    acmService(world),
    taggingService(world),
    organizationsService(world),
    accountService(world),
    stsService(world),
    elbv2Service(world),
    iamService(world),
    securityHubService(world),
  ];
}

export { seedAws, acmKeyAlgorithm } from './world.js';
export type {
  AwsWorld,
  AcmCertificate,
  ElbLoadBalancer,
  ElbListener,
  AwsRegionState,
  IamCertificate,
} from './world.js';
export type * from './scenario.js';
export { SSL_POLICIES } from './ssl-policies.js';
export { acmService, taggingService, elbv2Service, stsService, organizationsService, accountService, iamService };
export { securityHubService, securityHubFindings, type ImportedFinding } from './securityhub.js';
