module.exports = { ok: "modules inside the program directory load" };
