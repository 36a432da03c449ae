/**
 * Defaults for Powertools and the AWS SDK when running outside Lambda; imported first by the local entry points
 * because the telemetry singletons read the environment when their modules load.
 */
const defaults: Record<string, string> = {
  POWERTOOLS_TRACE_ENABLED: 'false',
  POWERTOOLS_LOG_LEVEL: 'INFO',
  // Node 20 is supported here; the SDK's notice about its end of support is not actionable at run time.
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

for (const [name, value] of Object.entries(defaults)) process.env[name] ??= value;
