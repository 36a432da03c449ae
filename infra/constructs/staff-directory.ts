/** The practice's staff accounts: a Cognito user pool with MFA, one group per role, and the sign-in client. */
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import type { Role } from '../../shared/identity/roles.ts';
import { pascalCase } from './pascal-case.ts';

export interface StaffDirectoryProps {
  readonly practiceName: string;
  /** The roles handlers authorize against; each becomes a Cognito group and arrives in `cognito:groups`. */
  readonly roles: readonly Role[];
  readonly removalPolicy: RemovalPolicy;
  readonly deletionProtection: boolean;
}

export class StaffDirectory extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;

  constructor(scope: Construct, id: string, props: StaffDirectoryProps) {
    super(scope, id);
    this.userPool = new cognito.UserPool(this, 'UserPool', {
      // Staff accounts are created by an administrator, never by sign-up.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      mfa: cognito.Mfa.REQUIRED,
      // Authenticator apps only: SMS codes can be intercepted (SIM swap) and need an SNS spending role.
      mfaSecondFactor: { otp: true, sms: false, email: false },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
        passwordHistorySize: 12,
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      // The Plus tier enables threat protection: compromised-credential checks and adaptive authentication.
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: props.deletionProtection,
      removalPolicy: props.removalPolicy,
      userInvitation: {
        emailSubject: `Your ${props.practiceName} clinical AI account`,
        emailBody:
          'Your username is {username} and your temporary password is {####}. You will set up an authenticator app ' +
          'at first sign-in.',
      },
    });

    for (const role of props.roles) {
      this.userPool.addGroup(`${pascalCase(role)}Group`, {
        groupName: role,
        description: `Staff role "${role}"; handlers authorize on this group claim`,
      });
    }

    this.client = this.userPool.addClient('StaffClient', {
      // A browser or EHR-embedded app cannot keep a secret; SRP never sends the password itself.
      generateSecret: false,
      authFlows: { userSrp: true },
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.minutes(60),
      idTokenValidity: Duration.minutes(60),
      // One clinical shift; after that staff sign in again (HIPAA 164.312(a)(2)(iii) automatic logoff).
      refreshTokenValidity: Duration.hours(12),
    });
  }
}
