// decimal.js: arbitrary-precision decimals (ES module through exports' "import" condition)
import Decimal from "decimal.js";

Decimal.set({ precision: 50 });
console.log(new Decimal(2).sqrt().toString());
console.log(new Decimal("0.1").plus("0.2").toString(), 0.1 + 0.2);
console.log(new Decimal(1).dividedBy(7).toString());
console.log(Decimal.exp(1).toString());
console.log(new Decimal(10).ln().toString());
console.log(new Decimal("123456789012345678901234567890").times("987654321098765432109876543210").toString());
console.log(new Decimal(2).pow(200).toFixed(), new Decimal(2).pow(-10).toString());
console.log(Decimal.acos(-1).toString());
console.log(new Decimal("1.23456789").toFixed(3), new Decimal("1234.5678").toExponential(2), new Decimal("0.000123").toPrecision(2));
console.log(new Decimal(-7.5).round().toString(), new Decimal(7.5).floor().toString(), new Decimal("-0").isNegative(), new Decimal(NaN).isNaN());
console.log(new Decimal(255).toHexadecimal(), new Decimal("0xff").toString(), new Decimal(5).toBinary(), new Decimal("1e-7").toString());
console.log(Decimal.max(1, "3", 2).toString(), Decimal.sum(1, 2, 3).toString(), new Decimal(3).comparedTo(2), new Decimal("3.0").equals(3));
const D20 = Decimal.clone({ precision: 20, rounding: Decimal.ROUND_DOWN });
console.log(new D20(2).div(3).toString(), new D20(1).div(3).toSignificantDigits(5).toString());
console.log(new Decimal("12.5").mod(3).toString(), new Decimal(100).log(10).toString(), new Decimal(8).cbrt().toString());
console.log(JSON.stringify({ d: new Decimal("1.50") }), `${new Decimal(42)}`, new Decimal(1e21).toString(), +new Decimal("3.25"));
