// node's tty module, run with stdout and stderr pipes and stdin /dev/null (as the tests run it):
// isatty, the two stream classes and their errors, getColorDepth / hasColors over explicit
// environments (never process.env, which differs between machines), and the cursor methods
// through a stand-in stream.
const tty = require("tty");

console.log(Object.keys(tty), require("node:tty") === tty);
console.log(typeof tty.isatty, tty.isatty.name, tty.isatty.length);
console.log(tty.ReadStream.name, tty.ReadStream.length, tty.WriteStream.name, tty.WriteStream.length);

// nothing here is a terminal; what is not a whole number in range is not even asked about
for (const fd of [0, 1, 2, 99, -1, 1.5, "1", null, undefined, NaN, Infinity, 2 ** 31, true, {}]) {
  console.log(String(fd), tty.isatty(fd));
}

// process.stdout is a pipe: not a tty.WriteStream, and without the terminal's properties
for (const s of [process.stdout, process.stderr]) {
  console.log(s instanceof tty.WriteStream, s.isTTY, s.columns, s.rows, typeof s.getColorDepth,
              typeof s.hasColors, typeof s.getWindowSize);
}

// (the methods are assigned in node's tty.js, so enumerable; some are anonymous)
for (const C of [tty.WriteStream, tty.ReadStream]) {
  const P = C.prototype;
  console.log(Object.keys(P).map((k) => k + ":" + (typeof P[k] === "function" ? JSON.stringify(P[k].name) : P[k])).join(" "));
  console.log(Object.getOwnPropertyNames(P).length, Object.getOwnPropertyDescriptor(P, "constructor").enumerable);
}
console.log(tty.WriteStream.prototype.isTTY, tty.WriteStream.prototype.constructor === tty.WriteStream);

// bad descriptors are a RangeError; a descriptor that is no terminal (nor pipe) fails to open
function attempt(label, f) {
  try {
    const r = f();
    console.log(label, "made", r instanceof tty.WriteStream || r instanceof tty.ReadStream);
  } catch (e) {
    console.log(label, e.name, e.code, e.message, e instanceof Error);
    if (e.info) console.log("  ", Object.keys(e), e.info, e.errno, e.syscall, String(e));
  }
}
attempt("write -1", () => new tty.WriteStream(-1));
attempt("write 1.5", () => new tty.WriteStream(1.5));
attempt("write 'x'", () => new tty.WriteStream("x"));
attempt("write 2**31", () => new tty.WriteStream(2 ** 31));
attempt("read -3", () => new tty.ReadStream(-3));
attempt("read stdin", () => new tty.ReadStream(0));
attempt("read 99", () => new tty.ReadStream(99));
attempt("write 99", () => new tty.WriteStream(99));
attempt("write call 99", () => tty.WriteStream(99));

// getColorDepth(env): FORCE_COLOR first, then what turns colours off, then CI services, the
// terminal program and TERM
const depth = (env) => tty.WriteStream.prototype.getColorDepth.call({}, env);
const envs = [
  {}, { FORCE_COLOR: "" }, { FORCE_COLOR: "1" }, { FORCE_COLOR: "true" }, { FORCE_COLOR: "2" },
  { FORCE_COLOR: "3" }, { FORCE_COLOR: "0" }, { FORCE_COLOR: "false" }, { FORCE_COLOR: "4" },
  { FORCE_COLOR: "yes" }, { FORCE_COLOR: 1 }, { FORCE_COLOR: undefined, TERM: "xterm" },
  { FORCE_COLOR: "2", TERM: "dumb" },
  { NO_COLOR: "", TERM: "xterm-256color" }, { NODE_DISABLE_COLORS: "1", TERM: "xterm-256color" },
  { NO_COLOR: undefined, TERM: "xterm-256color" }, { TERM: "dumb" }, { TERM: "dumb", TMUX: "1" },
  { TF_BUILD: "1" }, { TF_BUILD: "", TERM: "xterm" }, { TF_BUILD: "1", TMUX: "1" }, { TMUX: "1", CI: "1" },
  { CI: "1" }, { CI: "" , TERM: "xterm"}, { CI: "1", TERM: "xterm-256color" },
  { CI: "1", GITHUB_ACTIONS: "" }, { CI: "1", TRAVIS: "1" }, { CI: "1", APPVEYOR: "1" },
  { CI: "1", GITLAB_CI: "1" }, { CI: "1", BUILDKITE: "1" }, { CI: "1", DRONE: "1" },
  { CI: "1", CIRCLECI: "1" }, { CI: "1", GITEA_ACTIONS: "1" }, { CI: "1", CI_NAME: "codeship" },
  { CI: "1", TEAMCITY_VERSION: "10.0" }, { TEAMCITY_VERSION: "9.1.0" }, { TEAMCITY_VERSION: "9.0.1" },
  { TEAMCITY_VERSION: "8.0" }, { TEAMCITY_VERSION: "10." }, { TEAMCITY_VERSION: "" },
  { TERM_PROGRAM: "iTerm.app" }, { TERM_PROGRAM: "iTerm.app", TERM_PROGRAM_VERSION: "2.9" },
  { TERM_PROGRAM: "iTerm.app", TERM_PROGRAM_VERSION: "3.4" }, { TERM_PROGRAM: "iTerm.app", TERM_PROGRAM_VERSION: "" },
  { TERM_PROGRAM: "HyperTerm" }, { TERM_PROGRAM: "MacTerm" }, { TERM_PROGRAM: "Apple_Terminal" },
  { TERM_PROGRAM: "vscode" }, { TERM_PROGRAM: "Apple_Terminal", COLORTERM: "truecolor" },
  { COLORTERM: "truecolor" }, { COLORTERM: "24bit" }, { COLORTERM: "yes" }, { COLORTERM: "" },
  { COLORTERM: "truecolor", TERM: "dumb" }, { COLORTERM: "1", TERM: "xterm" }, { COLORTERM: "1", TERM: "foo" },
  { TEAMCITY_VERSION: "8.0", TERM_PROGRAM: "MacTerm" }, { TMUX: "1", TEAMCITY_VERSION: "8.0" },
  { COLORTERM: "truecolor", TERM: "xterm" }, { COLORTERM: "1", TERM: "mosh" }, { COLORTERM: "1", TERM: "xterm-256color" },
  { TERM_PROGRAM: "iTerm.app", TERM_PROGRAM_VERSION: "10.1" }, { TERM_PROGRAM: "iTerm.app", TERM_PROGRAM_VERSION: "3" },
  { CI: "1", TRAVIS: "" }, { TEAMCITY_VERSION: undefined }, { TERM: 7 },
];
const terms = ["xterm", "xterm-256color", "xterm-256", "XTERM-256color", "screen", "screen-256color",
  "tmux-256color", "linux", "vt100", "vt220", "rxvt", "rxvt-unicode", "rxvt-unicode-24bit", "ansi",
  "cons25", "con80x25", "con132x43", "conx", "eterm", "Eterm", "mosh", "putty", "st", "st-256color",
  "terminator", "xterm-kitty", "xterm-ghostty", "wezterm", "konsole", "gnome", "hurd", "jfbterm",
  "kterm", "mlterm", "dtterm", "console", "cygwin", "alacritty", "foo", "mycolorterm", "Linux", ""];
for (const t of terms) envs.push({ TERM: t });
for (const env of envs) console.log(JSON.stringify(env), depth(env));

// hasColors([count][, env]): count defaults to 16; a lone object is the environment
const has = (...args) => tty.WriteStream.prototype.hasColors.call({}, ...args);
for (const args of [[2, {}], [3, {}], [16, {}], [16, { TERM: "xterm" }], [17, { TERM: "xterm" }],
                    [256, { TERM: "xterm-256color" }], [{ TERM: "xterm-256color" }], [{}],
                    [2 ** 24, { COLORTERM: "truecolor" }], [2 ** 24 + 1, { COLORTERM: "truecolor" }],
                    [null], [1], [0, {}], [2.5], ["16"], [NaN], [2 ** 53], [16, null]]) {
  try {
    console.log(JSON.stringify(args), has(...args));
  } catch (e) {
    console.log(JSON.stringify(args), e.name, e.code, e.message);
  }
}
console.log(tty.WriteStream.prototype.getColorDepth.length, tty.WriteStream.prototype.hasColors.length);

// cursor control writes CSI sequences to the stream it is called on
const written = [];
const fake = { write(s, cb) { written.push(s); if (cb) cb(); return true; } };
const P = tty.WriteStream.prototype;
console.log(P.cursorTo.call(fake, 3), P.cursorTo.call(fake, 3, 4), P.cursorTo.call(fake, 0, 0));
P.moveCursor.call(fake, 2, -3); P.moveCursor.call(fake, -1, 5); P.moveCursor.call(fake, 0, 0);
P.clearLine.call(fake, -1); P.clearLine.call(fake, 1); P.clearLine.call(fake, 0); P.clearLine.call(fake);
P.clearScreenDown.call(fake);
P.moveCursor.call(fake, 0, 0, (err) => console.log("nothing to move:", err, written.length));
console.log(JSON.stringify(written));
console.log(P.cursorTo.length, P.moveCursor.length, P.clearLine.length, P.clearScreenDown.length,
            P.getWindowSize.length, tty.ReadStream.prototype.setRawMode.length);
console.log(P.getWindowSize.call({ columns: 80, rows: 24 }), P.getWindowSize.call({}));
try { P.cursorTo.call(fake, NaN); } catch (e) { console.log(e.name, e.code, e.message); }

// a FORCE_COLOR that overrides NO_COLOR says so once, as a process warning
process.on("warning", (w) => console.log("warning event:", w.name, w.message));
console.log(depth({ FORCE_COLOR: "1" }), depth({ FORCE_COLOR: "3", NO_COLOR: "1", NODE_DISABLE_COLORS: "" }),
            depth({ FORCE_COLOR: "2", NO_COLOR: "1" }), depth({ FORCE_COLOR: "0", NO_COLOR: "1" }));
