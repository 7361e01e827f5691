/** Query parameters that carry credentials (compared in lower case). */
const SECRET_PARAMETERS = new Set(['connectionparams', 'apikey', 'api_key', 'token', 'access_token']);

/** Quoted field names whose presence in a parameter's value (a JSON `input`) marks it as secret. */
const SECRET_FIELDS = ['"apikey"', '"token"', '"authorization"', '"password"', '"secret"'];

const REDACTED = '[REDACTED]';

function decoded(text: string): string {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    return text;
  }
}

function isSecret(name: string, value: string): boolean {
  if (SECRET_PARAMETERS.has(decoded(name).toLowerCase())) return true;
  const lowered = decoded(value).toLowerCase();
  return SECRET_FIELDS.some((field) => lowered.includes(field));
}

/**
 * The URL with the value of every credential-bearing query parameter replaced, so request logs
 * (and whatever reads them) never hold a key: subscriptions send theirs as `connectionParams`.
 */
export function redactUrl(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart === -1) return url;
  const parameters = url
    .slice(queryStart + 1)
    .split('&')
    .map((parameter) => {
      const equals = parameter.indexOf('=');
      if (equals === -1) return parameter;
      const name = parameter.slice(0, equals);
      return isSecret(name, parameter.slice(equals + 1)) ? `${name}=${REDACTED}` : parameter;
    });
  return `${url.slice(0, queryStart)}?${parameters.join('&')}`;
}
