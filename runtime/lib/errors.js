// Shared error helpers for the stdlib: Errors with a `code`, as libuv names them.

export function codeError(code, message, props = {}) {
  const error = new Error(`${code}: ${message}`);
  error.code = code;
  Object.assign(error, props);
  return error;
}

export function typeError(message, code = 'ERR_INVALID_ARG_TYPE') {
  const error = new TypeError(message);
  error.code = code;
  return error;
}
