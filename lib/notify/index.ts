export { AlertIndex } from './alert-index.ts';
export { CompiledAlert, type CompiledSource, type LabelsOf } from './alert-matcher.ts';
export { EVENT_ANNOTATION_PREFIX, type MergedMetadata, mergeAlertMetadata } from './alert-metadata.ts';
export { type NotificationProblems, notificationFor } from './alert-notification.ts';
export { admitEvent, DEDUPE_WINDOW_SECONDS, eventKey } from './dedupe.ts';
export { type DeliverOptions, type DeliveryReceipt, deliver } from './deliver.ts';
export {
  type DeliveryErrorData,
  DeliveryFailedError,
  DeliveryRateLimitedError,
  DeliveryRejectedError,
} from './delivery-errors.ts';
export { DISCORD_LIMITS, discordPayload } from './discord.ts';
export { genericPayload } from './generic.ts';
export { messageTemplateOf, renderMessage } from './message-template.ts';
export { MSTEAMS_LIMITS, msteamsPayload, type TeamsMessage } from './msteams.ts';
export type { Notification, ProviderEndpoint } from './notification.ts';
export { ProviderConfigError, type ProviderConfigErrorData } from './provider-config-error.ts';
export {
  isSupportedProviderType,
  resolveProviderEndpoint,
  SUPPORTED_PROVIDER_TYPES,
  type SupportedProviderType,
} from './provider-endpoint.ts';
export { SLACK_LIMITS, type SlackMessage, slackPayload } from './slack.ts';
