// semver: version parsing, comparison and ranges (CommonJS, many internal modules)
const semver = require("semver");
const Range = require("semver/classes/range");

console.log(semver.valid("1.2.3"), semver.valid("a.b.c"), semver.clean("  =v1.2.3   "), semver.coerce("v2.4 beta").version);
console.log(semver.gt("1.2.3", "9.8.7"), semver.lt("1.2.3", "9.8.7"), semver.compare("1.0.0-alpha", "1.0.0"), semver.eq("1.0.0", "1.0.0+build"));
console.log(semver.satisfies("1.2.3", "1.x || >=2.5.0 || 5.0.0 - 7.2.3"), semver.satisfies("3.0.0", "^2.0.0"), semver.satisfies("2.1.0-beta.1", "^2.0.0", { includePrerelease: true }));
console.log(semver.inc("1.2.3", "prerelease", "beta"), semver.inc("1.2.3-beta.1", "prerelease"), semver.inc("1.2.3", "major"), semver.inc("1.2.3", "minor"));
console.log(semver.sort(["1.10.0", "1.2.0", "1.2.0-rc.1", "0.9.9", "1.2.0-alpha"]).join(" "), semver.rsort(["1.0.0", "2.0.0"]).join(" "));
console.log(semver.maxSatisfying(["1.2.3", "1.2.4", "1.3.0", "2.0.0"], "~1.2.0"), semver.minVersion(">=1.4.0 <2").version);
console.log(new Range("^1.2.3").range, new Range("~0.1").range, new Range(">1.0.0 <2.0.0 || 3.x").set.length, semver.validRange("1.2 - 2"));
const v = semver.parse("1.2.3-pre.4+build.5");
console.log(v.major, v.minor, v.patch, v.prerelease, v.build, v.format(), String(v));
console.log(semver.diff("1.2.3", "1.3.0"), semver.diff("1.2.3", "1.2.3-pre"), semver.major("4.5.6"), semver.prerelease("1.2.3-alpha.1"));
console.log(semver.intersects(">1.0.0", "<2.0.0"), semver.outside("3.0.0", "<2.0.0", ">"), semver.gtr("3.0.0", "^2.0.0"), semver.ltr("1.0.0", "^2.0.0"));
try {
  semver.inc("1.2.3", "bogus");
  new semver.SemVer("not a version");
} catch (e) {
  console.log(e.constructor.name, e.message);
}
