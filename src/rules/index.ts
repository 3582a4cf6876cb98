/** Every rule, in documentation order. Adding a rule: one file here, one docs page, one fixture folder. */
import hcpDatasourceArguments from './hcp-datasource-arguments.js';
import hcpDatasourceDeprecated from './hcp-datasource-deprecated.js';
import hcpDatasourceType from './hcp-datasource-type.js';
import hcpBuildFingerprint from './hcp-build-fingerprint.js';
import hcpCredentials from './hcp-credentials.js';
import hcpProjectIdVersion from './hcp-project-id-version.js';
import hcpRegistryDisabled from './hcp-registry-disabled.js';
import hcpRegistryEnvValue from './hcp-registry-env-value.js';
import jsonLegacyTemplate from './json-legacy-template.js';
import jsonRegistryKey from './json-registry-key.js';
import registryBucketName from './registry-bucket-name.js';
import registryBucketNameRequired from './registry-bucket-name-required.js';
import registryChannels from './registry-channels.js';
import registryDescription from './registry-description.js';
import registryDuplicate from './registry-duplicate.js';
import registryEnvOverride from './registry-env-override.js';
import registryInBuildDeprecated from './registry-in-build-deprecated.js';
import registryLabelType from './registry-label-type.js';
import registryLabelsDeprecated from './registry-labels-deprecated.js';
import registryMultipleBuilds from './registry-multiple-builds.js';
import registryPlacement from './registry-placement.js';
import registryReservedLabel from './registry-reserved-label.js';
import registryUnknownArgument from './registry-unknown-argument.js';
import registryUnknownValue from './registry-unknown-value.js';
import removedArgument from './removed-argument.js';
import syntax from './syntax.js';
import type { Rule } from './types.js';
import unusedIgnore from './unused-ignore.js';
import registryMissing from './registry-missing.js';
import unknownArgument from './unknown-argument.js';
import undefinedReference from './undefined-reference.js';
import unusedVariable from './unused-variable.js';
import unknownComponent from './unknown-component.js';
import argumentForm from './argument-form.js';
import argumentType from './argument-type.js';
import requiredPluginsRule from './required-plugins.js';

export const rules: readonly Rule[] = [
  syntax,
  registryPlacement,
  registryInBuildDeprecated,
  registryDuplicate,
  registryMultipleBuilds,
  registryBucketName,
  registryBucketNameRequired,
  registryEnvOverride,
  registryDescription,
  registryUnknownArgument,
  registryLabelsDeprecated,
  registryLabelType,
  registryUnknownValue,
  registryReservedLabel,
  registryChannels,
  hcpRegistryEnvValue,
  hcpRegistryDisabled,
  hcpProjectIdVersion,
  hcpBuildFingerprint,
  hcpCredentials,
  hcpDatasourceDeprecated,
  hcpDatasourceType,
  hcpDatasourceArguments,
  jsonRegistryKey,
  jsonLegacyTemplate,
  unknownArgument,
  undefinedReference,
  unusedVariable,
  unknownComponent,
  argumentForm,
  argumentType,
  requiredPluginsRule,
  removedArgument,
  unusedIgnore,
  registryMissing,
];

export const ruleById: ReadonlyMap<string, Rule> = new Map(rules.map((r) => [r.meta.id, r]));
