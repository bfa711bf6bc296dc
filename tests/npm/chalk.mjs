// chalk 5 (ESM only): loading it runs its bundled supports-color, which reads node:tty's isatty,
// node:os and process.env. The default instance's level depends on where the tests run (a pipe
// here, but FORCE_COLOR or a CI service may raise it), so the styles print from instances with
// a fixed level, each code shown through JSON.stringify.
import chalk, { Chalk, chalkStderr, supportsColor, modifierNames, foregroundColorNames,
  backgroundColorNames, colorNames } from "chalk";

const show = (label, s) => console.log(label, JSON.stringify(s));
console.log([0, 1, 2, 3].includes(chalk.level), [0, 1, 2, 3].includes(chalkStderr.level),
  supportsColor === false || typeof supportsColor.level === "number");
console.log(modifierNames.join(), foregroundColorNames.length, backgroundColorNames.length, colorNames.length);
console.log(foregroundColorNames.join());

for (const level of [0, 1, 2, 3]) {
  const c = new Chalk({ level });
  console.log("level", level, c.level);
  show(" fg", foregroundColorNames.map((n) => c[n](n)).join(""));
  show(" bg", backgroundColorNames.map((n) => c[n](n)).join(""));
  show(" mods", modifierNames.map((n) => c[n](n)).join(""));
  // true colour goes down to 256 colours at level 2 and to the 16 at level 1
  show(" hex", c.hex("#ff8800")("o") + c.bgHex("#0af")("b") + c.hex("#FFF").bgHex("#000")("w"));
  show(" rgb", c.rgb(255, 0, 0)("r") + c.bgRgb(0, 128, 255)("b") + c.rgb(128, 128, 128)("g") + c.rgb(10, 10, 10)("d"));
  show(" ansi256", c.ansi256(196)("a") + c.bgAnsi256(21)("b") + c.ansi256(8)("c") + c.ansi256(244)("g"));
  // an inner style's close code reopens the outer one; line breaks close and reopen every style
  show(" nested", c.red("a" + c.blue("b") + "c" + c.bold.underline("d" + c.green("e")) + "f"));
  show(" same", c.red("a" + c.red("b") + "c") + c.bold("x" + c.dim("y") + "z"));
  show(" lines", c.bgRed.white("one\ntwo\r\nthree") + c.green("\n"));
  show(" args", c.yellow("a", 1, true, null, undefined, { k: 1 }, [1, 2]));
  show(" empty", c.red("") + c.red() + "|" + c.visible("seen") + "|" + c.reset("r"));
  show(" chain", c.bold.italic.underline.strikethrough.inverse.overline.dim.hidden("all"));
  show(" call", c("a", "b") + c.bold(c.red("x"), c.blue("y")));
  show(" number", c.cyan(42) + c.magenta(-0) + c.gray(1e21));
}

// a style function made before a level change follows the instance's new level
const c = new Chalk({ level: 2 });
c.level = 1;
show("level change", c.red("x") + " " + c.level);
const red = c.red;
c.level = 3;
show("detached", red("y") + c.hex("#010203")("z"));
for (const level of [4, -1, 1.5]) {
  try { new Chalk({ level }); } catch (e) { console.log(e.name, e.message); }
}
console.log(typeof chalk.red, typeof chalk.red.bold, chalk.red instanceof Function,
  Object.getPrototypeOf(chalk.red) === Function.prototype);
