// argparse: Python's argparse ported to JavaScript (CommonJS). Its Action classes extend Function
// and call themselves through arguments.callee; its namespaces print through util.inspect.custom.
const { ArgumentParser, ArgumentDefaultsHelpFormatter } = require("argparse");

const parser = new ArgumentParser({ prog: "demo", description: "Argparse example" });
parser.add_argument("-v", "--version", { action: "version", version: "1.0" });
parser.add_argument("-f", "--foo", { help: "foo bar", type: "int", default: 3 });
parser.add_argument("-b", "--bar", { help: "bar foo", action: "store_true" });
parser.add_argument("-n", "--name", { action: "append", help: "names" });
parser.add_argument("-q", { action: "count", default: 0 });
const sub = parser.add_subparsers({ dest: "cmd" });
const run = sub.add_parser("run", { help: "run it" });
run.add_argument("file");
run.add_argument("--times", { type: "int", default: 1 });
run.add_argument("--mode", { choices: ["fast", "slow"], default: "fast" });
const ls = sub.add_parser("ls", { help: "list" });
ls.add_argument("paths", { nargs: "*" });

console.log(parser.parse_args(["-f", "7", "-b", "run", "x.txt", "--times", "2"]));
console.log(parser.parse_args(["-n", "a", "--name", "b", "-qqq", "ls", "p1", "p2"]));
console.log(parser.format_help());
console.log(run.format_usage());
console.log(parser.parse_known_args(["--foo", "1", "--zzz", "run", "y"]));

// errors go through parser.error; exit_on_error: false turns them into exceptions
const strict = new ArgumentParser({ prog: "strict", exit_on_error: false });
strict.add_argument("count", { type: "int" });
const group = strict.add_mutually_exclusive_group();
group.add_argument("--up", { action: "store_true" });
group.add_argument("--down", { action: "store_true" });
for (const argv of [["x"], ["3", "--up", "--down"], ["4", "--down"]]) {
  try {
    console.log(strict.parse_args(argv));
  } catch (e) {
    console.log(e.constructor.name, e.message);
  }
}

const defaults = new ArgumentParser({ prog: "d", formatter_class: ArgumentDefaultsHelpFormatter, add_help: false });
defaults.add_argument("--size", { type: "float", default: 1.5, help: "the size" });
defaults.add_argument("rest", { nargs: "+" });
console.log(defaults.format_help());
console.log(defaults.parse_args(["--size", "2.25", "a", "b"]));
