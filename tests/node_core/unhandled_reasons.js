// A rejection nothing handles reaches 'uncaughtException' listeners as node's
// UnhandledPromiseRejection error when its reason is no Error, and as itself when it is one.
process.on("uncaughtException", (err, origin) => {
  console.log(origin, typeof err, err instanceof Error, err.name, err.code);
  console.log("  ", String(err.message).replace(/^.*reason /, "reason "));
});
Promise.reject("just a string");
Promise.reject(42);
Promise.reject(undefined);
Promise.reject({ a: 1 });
Promise.reject(new RangeError("an error itself"));
